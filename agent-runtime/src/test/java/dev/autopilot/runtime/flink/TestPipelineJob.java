package dev.autopilot.runtime.flink;

import dev.autopilot.api.PipelineConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.DiscardingSink;
import org.apache.flink.streaming.api.functions.source.RichParallelSourceFunction;

/**
 * The small streaming job the Flink REST platform tests run on a MiniCluster: a rate-limited source
 * with a {@code pendingRecords} backlog gauge, a stateless map, a keyed counter and a discarding
 * sink. Chaining is off, so each operator is its own vertex with its own parallelism; the vertex
 * names map to the operator ids {@code source-numbers}, {@code enrich}, {@code count} and {@code
 * sink-discard}.
 */
final class TestPipelineJob {

  static final String JOB_NAME = "autopilot-rest-test";
  static final String SOURCE = "source-numbers";
  static final String ENRICH = "enrich";
  static final String COUNT = "count";
  static final String SINK = "sink-discard";

  /** Records per second the source is offered, over all its subtasks. */
  static final long DEMAND_PER_SECOND = 4_000;

  private TestPipelineJob() {}

  /** The job graph for a configuration, restoring from {@code restorePath} when given. */
  static JobGraph jobGraph(PipelineConfig config, Optional<String> restorePath) {
    Configuration conf = new Configuration();
    conf.setString("pipeline.name", JOB_NAME);
    conf.setString("execution.checkpointing.interval", config.checkpointIntervalSeconds() + " s");
    conf.setString(
        "execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.disableOperatorChaining();
    env.setMaxParallelism(64);
    env.addSource(new BacklogSource(DEMAND_PER_SECOND))
        .name("numbers")
        .uid("numbers")
        .setParallelism(config.parallelismOf(SOURCE))
        .map(x -> x * 31 % 1_000_003)
        .returns(Types.LONG)
        .name("enrich")
        .uid("enrich")
        .setParallelism(config.parallelismOf(ENRICH))
        .keyBy(x -> x % 64)
        .map(new KeyedCounter())
        .name("count")
        .uid("count")
        .setParallelism(config.parallelismOf(COUNT))
        .addSink(new DiscardingSink<>())
        .name("discard")
        .uid("discard")
        .setParallelism(config.parallelismOf(SINK));
    JobGraph graph = env.getStreamGraph(false).getJobGraph();
    graph.setSavepointRestoreSettings(
        restorePath
            .map(p -> SavepointRestoreSettings.forPath(p, false))
            .orElse(SavepointRestoreSettings.none()));
    return graph;
  }

  /**
   * Emits consecutive numbers at a fixed offered rate. What has been offered but not yet emitted is
   * its backlog, published as the {@code pendingRecords} gauge (the standard FLIP-33 name the Flink
   * autoscaler reads). The next number to emit is checkpointed.
   */
  static final class BacklogSource extends RichParallelSourceFunction<Long>
      implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private final long demandPerSecond;
    private volatile boolean running = true;
    private transient ListState<Long> offsetState;
    private long next;
    private long emitted;
    private volatile long pending;

    BacklogSource(long demandPerSecond) {
      this.demandPerSecond = demandPerSecond;
    }

    @Override
    public void open(Configuration parameters) {
      getRuntimeContext().getMetricGroup().gauge("pendingRecords", (Gauge<Long>) () -> pending);
    }

    @Override
    public void run(SourceContext<Long> ctx) throws Exception {
      int subtasks = getRuntimeContext().getNumberOfParallelSubtasks();
      double perSubtask = (double) demandPerSecond / subtasks;
      long start = System.nanoTime();
      while (running) {
        long offered = (long) (perSubtask * (System.nanoTime() - start) / 1e9);
        long due = offered - emitted;
        pending = Math.max(0, due);
        if (due <= 0) {
          Thread.sleep(5);
          continue;
        }
        long batch = Math.min(due, 100);
        synchronized (ctx.getCheckpointLock()) {
          for (long i = 0; i < batch; i++) {
            ctx.collect(next++);
          }
          emitted += batch;
        }
      }
    }

    @Override
    public void cancel() {
      running = false;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
      offsetState.update(List.of(next));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
      offsetState =
          context
              .getOperatorStateStore()
              .getListState(new ListStateDescriptor<>("offset", Types.LONG));
      List<Long> restored = new ArrayList<>();
      offsetState.get().forEach(restored::add);
      next = restored.stream().mapToLong(Long::longValue).max().orElse(0L);
    }
  }

  /** Counts records per key in keyed state. */
  static final class KeyedCounter extends RichMapFunction<Long, Long> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<Long> count;

    @Override
    public void open(Configuration parameters) {
      count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
    }

    @Override
    public Long map(Long value) throws Exception {
      long c = count.value() == null ? 1 : count.value() + 1;
      count.update(c);
      return c;
    }
  }

  /** How long a job may take to come up on a busy 2-core machine. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(90);
}
