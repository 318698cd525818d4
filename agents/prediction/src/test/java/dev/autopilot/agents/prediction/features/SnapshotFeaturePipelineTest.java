package dev.autopilot.agents.prediction.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.Metric;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TaskManagerMetrics;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotFeaturePipelineTest {

  private static final SlaSpec SLA = new SlaSpec(800_000, 500, 0.05);

  private static int index(String name) {
    int i = SnapshotFeaturePipeline.names().indexOf(name);
    assertTrue(i >= 0, "no feature " + name);
    return i;
  }

  @Test
  void layoutHas150NamedFeatures() {
    SnapshotFeaturePipeline p = new SnapshotFeaturePipeline();
    assertEquals(150, p.size());
    assertEquals("prediction-features/1", p.schema());
    assertEquals(150, SnapshotFeaturePipeline.names().size());
    assertEquals(150, new HashSet<>(SnapshotFeaturePipeline.names()).size());
    assertEquals(150, p.observe(Snapshots.healthy("p1", 1), SLA).length);
    // documented anchors of the layout
    assertEquals(0, index("throughput_over_target"));
    assertEquals(2, index("p99_over_bound"));
    assertEquals(52, index("busy_max"));
    assertEquals(59, index("cpu_load_mean"));
    assertEquals(99, index("month_progress"));
    assertEquals(100, index("throughput_over_target_slope_5m"));
    assertEquals(149, index("gc_time_ratio_max_p90_30m"));
  }

  @Test
  void slaRelativeFeaturesOfOneSnapshot() {
    float[] f =
        new SnapshotFeaturePipeline()
            .observe(
                Snapshots.builder("p1", 1).throughput(400_000).latencyP99(250).build(), SLA);
    assertEquals(0.5, f[index("throughput_over_target")], 1e-6);
    assertEquals(0.5, f[index("p99_over_bound")], 1e-6);
    assertEquals(1, f[index("running")]);
    assertEquals(8, f[index("task_managers")]);
    assertEquals(30, f[index("checkpoint_interval_s")]);
    assertEquals(16, f[index("source_parallelism")]);
  }

  @Test
  void trendsFollowARampOverTheTrailingWindow() {
    SnapshotFeaturePipeline p = new SnapshotFeaturePipeline();
    float[] f = null;
    // p99 rises 2 ms per tick (12 ms per minute) for an hour: slopes see 12 ms/min over 500 ms
    for (long t = 1; t <= 360; t++) {
      f = p.observe(Snapshots.builder("p1", t).latencyP99(100 + 2 * t).build(), SLA);
    }
    double perMinute = 12.0 / 500;
    assertEquals(perMinute, f[index("p99_over_bound_slope_5m")], 1e-4);
    assertEquals(perMinute, f[index("p99_over_bound_slope_30m")], 1e-4);
    // the window holds ticks 181..360 (30 minutes): p50 is tick 270, p90 tick 342
    assertEquals((100 + 2 * 270) / 500.0, f[index("p99_over_bound_p50_30m")], 1e-5);
    assertEquals((100 + 2 * 342) / 500.0, f[index("p99_over_bound_p90_30m")], 1e-5);
    // the EWMA lags a rising series but stays near its recent values
    double now = (100 + 2 * 360) / 500.0;
    double ewma = f[index("p99_over_bound_ewma")];
    assertTrue(ewma < now && ewma > now - 0.2, "ewma " + ewma);
    // a flat series has no slope
    assertEquals(0, f[index("throughput_over_target_slope_30m")], 1e-6);
  }

  @Test
  void aGapShrinksTheWindowAndAnOldTickResetsIt() {
    SnapshotFeaturePipeline p = new SnapshotFeaturePipeline();
    for (long t = 1; t <= 100; t++) {
      p.observe(Snapshots.builder("p1", t).latencyP99(100 + 5 * t).build(), SLA);
    }
    // an hour later only the new snapshot is in the window: no slope
    float[] f = p.observe(Snapshots.builder("p1", 500).latencyP99(100).build(), SLA);
    assertEquals(0, f[index("p99_over_bound_slope_30m")], 1e-6);
    assertEquals(0.2, f[index("p99_over_bound_p90_30m")], 1e-6);
    // a tick not after the last one starts afresh instead of failing
    float[] g = p.observe(Snapshots.builder("p1", 3).latencyP99(300).build(), SLA);
    assertEquals(0.6, g[index("p99_over_bound_ewma")], 1e-6);
  }

  @Test
  void absentMetricsAndVariableCountsGiveFiniteNeutralValues() {
    SnapshotFeaturePipeline p = new SnapshotFeaturePipeline();
    TelemetrySnapshot base = Snapshots.healthy("p1", 1);
    List<String> everything = new ArrayList<>();
    for (Metric m : Metric.all()) {
      everything.add(m.metricName());
    }
    List<TaskManagerMetrics> blind = new ArrayList<>();
    for (TaskManagerMetrics tm : base.taskManagers()) {
      blind.add(
          new TaskManagerMetrics(
              tm.taskManagerId(), tm.nodeId(), new double[Metric.COUNT], everything));
    }
    TelemetrySnapshot noTm =
        new TelemetrySnapshot(
            "p1", 1, base.eventTimeMillis(), blind, base.operators(), null, base.job(),
            base.config());
    float[] f = p.observe(noTm, SLA);
    for (int i = 0; i < f.length; i++) {
      assertTrue(Float.isFinite(f[i]), "feature " + i);
    }
    assertEquals(0, f[index("cpu_load_mean")]);
    assertEquals(1, f[index("node_ready_min")]);
    assertEquals(1, f[index("absent_share")], 1e-6);
    assertEquals(0, f[index("checkpoint_duration_over_interval")]);

    // three operators and twenty TaskManagers fit the same layout
    Map<String, Integer> par = new LinkedHashMap<>();
    par.put("source", 4);
    par.put("map", 40);
    par.put("sink", 2);
    PipelineConfig small = new PipelineConfig(par, 64, 60, 20, 2.0, 8.0, 2);
    float[] g =
        p.observe(
            Snapshots.builder("p1", 2)
                .config(small)
                .state(JobMetrics.JobState.RESTARTING)
                .build(),
            SLA);
    assertEquals(150, g.length);
    assertEquals(3, g[index("operator_count")]);
    assertEquals(20, g[index("tms_reporting")]);
    assertEquals(40, g[index("parallelism_max")]);
    assertEquals(2, g[index("sink_parallelism")]);
    assertEquals(1, g[index("restarting")]);
  }
}
