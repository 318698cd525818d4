package dev.autopilot.runtime.bench.baseline.fko;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.OperatorMetrics;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.autoscaler.JobAutoScalerContext;
import org.apache.flink.autoscaler.metrics.FlinkMetric;
import org.apache.flink.autoscaler.metrics.ScalingMetric;
import org.apache.flink.autoscaler.state.InMemoryAutoScalerStateStore;
import org.apache.flink.autoscaler.topology.JobTopology;
import org.apache.flink.autoscaler.topology.ShipStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.jobgraph.JobVertexID;
import org.apache.flink.runtime.rest.messages.job.metrics.AggregatedMetric;
import org.junit.jupiter.api.Test;

/** What the FKO library receives from a snapshot: topology, I/O totals and vertex metrics. */
class SimulatorMetricsCollectorTest {

  private static final long T0 = Snapshots.EPOCH;
  private static final FkoJobGraph GRAPH =
      new FkoJobGraph(List.of("src", "map", "agg"), Set.of("agg"));

  private final SimulatedClock clock = new SimulatedClock(Instant.EPOCH);
  private final SimulatorMetricsCollector collector =
      new SimulatorMetricsCollector(GRAPH, clock, 10);
  private final InMemoryAutoScalerStateStore<String, JobAutoScalerContext<String>> store =
      new InMemoryAutoScalerStateStore<>();
  private final Map<String, JobVertexID> ids = collector.vertexIds();

  private static TelemetrySnapshot snapshot(long tick, JobMetrics.JobState state, long restarts) {
    PipelineConfig config =
        new PipelineConfig(Map.of("src", 2, "map", 4, "agg", 2), 32, 30, 2, 4.0, 16.0, 4);
    List<OperatorMetrics> ops =
        List.of(
            new OperatorMetrics("src", 2, 1000, 1000, 400, 100, 500, 5000, 0),
            new OperatorMetrics("map", 4, 1000, 500, 250, 0, 750, 20, 0),
            new OperatorMetrics("agg", 2, 500, 0, 600, 0, 400, 0, 1e6));
    TelemetrySnapshot healthy = Snapshots.healthy("p1", tick);
    return new TelemetrySnapshot(
        "p1",
        tick,
        T0 + tick * 10_000,
        healthy.taskManagers(),
        ops,
        healthy.checkpoints(),
        new JobMetrics(state, 1000, 100, 5000, restarts, 2),
        config);
  }

  private void observe(TelemetrySnapshot s) {
    clock.set(Instant.ofEpochMilli(s.eventTimeMillis()));
    collector.observe(s);
  }

  private static JobAutoScalerContext<String> context() {
    return new JobAutoScalerContext<>(
        "p1",
        new JobID(1, 2),
        JobStatus.RUNNING,
        new Configuration(),
        new UnregisteredMetricsGroup(),
        () -> {
          throw new UnsupportedOperationException();
        });
  }

  @Test
  void servesTheJobPlanAndTheAccumulatedIoCounters() throws Exception {
    observe(snapshot(0, JobMetrics.JobState.RUNNING, 0));
    observe(snapshot(1, JobMetrics.JobState.RUNNING, 0));
    JobAutoScalerContext<String> ctx = context();
    JobTopology t =
        collector.getJobTopology(ctx, store, collector.getJobDetailsInfo(ctx, Duration.ZERO));

    assertEquals(
        List.of(ids.get("src"), ids.get("map"), ids.get("agg")), t.getVerticesInTopologicalOrder());
    assertTrue(t.isSource(ids.get("src")));
    assertFalse(t.isSource(ids.get("map")));
    assertEquals(Map.of(ids.get("src"), ShipStrategy.REBALANCE), t.get(ids.get("map")).getInputs());
    assertEquals(Map.of(ids.get("map"), ShipStrategy.HASH), t.get(ids.get("agg")).getInputs());
    assertEquals(4, t.get(ids.get("map")).getParallelism());
    // Flink's default max parallelism for these parallelisms: 128 key groups
    assertEquals(128, t.get(ids.get("agg")).getMaxParallelism());
    // two ticks of 10 s: the source reads no network input (as in Flink), writes 2 x 10 x 1000
    assertEquals(0, t.get(ids.get("src")).getIoMetrics().getNumRecordsIn());
    assertEquals(20_000, t.get(ids.get("src")).getIoMetrics().getNumRecordsOut());
    assertEquals(20_000, t.get(ids.get("map")).getIoMetrics().getNumRecordsIn());
    assertEquals(10_000, t.get(ids.get("map")).getIoMetrics().getNumRecordsOut());
    // busy ms summed over subtasks: 250 ms/s x 4 subtasks x 20 s
    assertEquals(20_000.0, t.get(ids.get("map")).getIoMetrics().getAccumulatedBusyTime(), 1e-9);
  }

  @Test
  void servesTheVertexMetricsTheLibraryAsksFor() throws Exception {
    observe(snapshot(0, JobMetrics.JobState.RUNNING, 0));
    observe(snapshot(1, JobMetrics.JobState.RUNNING, 0));
    JobAutoScalerContext<String> ctx = context();
    JobTopology t =
        collector.getJobTopology(ctx, store, collector.getJobDetailsInfo(ctx, Duration.ZERO));
    Map<JobVertexID, Map<FlinkMetric, AggregatedMetric>> m =
        collector.queryAllAggregatedMetrics(ctx, collector.queryFilteredMetricNames(ctx, t));

    Map<FlinkMetric, AggregatedMetric> src = m.get(ids.get("src"));
    assertEquals(400.0, src.get(FlinkMetric.BUSY_TIME_PER_SEC).getMax());
    assertEquals(800.0, src.get(FlinkMetric.BUSY_TIME_PER_SEC).getSum());
    assertEquals(100.0, src.get(FlinkMetric.BACKPRESSURE_TIME_PER_SEC).getAvg());
    assertEquals(1000.0, src.get(FlinkMetric.SOURCE_TASK_NUM_RECORDS_IN_PER_SEC).getSum());
    assertEquals(20_000.0, src.get(FlinkMetric.SOURCE_TASK_NUM_RECORDS_IN).getSum());
    assertEquals(20_000.0, src.get(FlinkMetric.SOURCE_TASK_NUM_RECORDS_OUT).getSum());
    assertEquals(5000.0, src.get(FlinkMetric.PENDING_RECORDS).getSum());
    // a non-source vertex: only its busy time (its rates come from the I/O counters)
    Map<FlinkMetric, AggregatedMetric> map = m.get(ids.get("map"));
    assertEquals(Set.of(FlinkMetric.BUSY_TIME_PER_SEC), map.keySet());
    assertEquals(250.0, map.get(FlinkMetric.BUSY_TIME_PER_SEC).getMax());
  }

  @Test
  void theLibraryTurnsThemIntoItsScalingMetrics() throws Exception {
    JobAutoScalerContext<String> ctx = context();
    observe(snapshot(0, JobMetrics.JobState.RUNNING, 0));
    var history = collector.updateMetrics(ctx, store);
    observe(snapshot(1, JobMetrics.JobState.RUNNING, 0));
    collector.updateMetrics(ctx, store);
    // still stabilizing (5 minutes after RUNNING): the collected history is kept in the store
    var collected = store.getCollectedMetrics(ctx);
    assertEquals(2, collected.size());
    var src = collected.get(collected.lastKey()).getVertexMetrics().get(ids.get("src"));
    assertEquals(5000.0, src.get(ScalingMetric.LAG));
    assertEquals(0.4, src.get(ScalingMetric.LOAD));
    assertEquals(20_000.0, src.get(ScalingMetric.NUM_RECORDS_IN));
    var agg = collected.get(collected.lastKey()).getVertexMetrics().get(ids.get("agg"));
    assertEquals(0.6, agg.get(ScalingMetric.LOAD));
    assertEquals(10_000.0, agg.get(ScalingMetric.NUM_RECORDS_IN));
    assertEquals(Instant.ofEpochMilli(T0), history.getJobRunningTs());
  }

  @Test
  void theJobIsRunningAgainAfterARestart() {
    observe(snapshot(0, JobMetrics.JobState.RUNNING, 0));
    observe(snapshot(1, JobMetrics.JobState.RESTARTING, 1));
    observe(snapshot(2, JobMetrics.JobState.RUNNING, 1));
    assertEquals(Instant.ofEpochMilli(T0 + 20_000), collector.runningSince());
    observe(snapshot(3, JobMetrics.JobState.RUNNING, 1));
    assertEquals(Instant.ofEpochMilli(T0 + 20_000), collector.runningSince());
    // a restart within one tick shows only as a higher restart count
    observe(snapshot(4, JobMetrics.JobState.RUNNING, 2));
    assertEquals(Instant.ofEpochMilli(T0 + 40_000), collector.runningSince());
  }
}
