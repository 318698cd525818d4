package dev.autopilot.api.testing;

import dev.autopilot.api.CheckpointMetrics;
import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.Metric;
import dev.autopilot.api.OperatorMetrics;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.TaskManagerMetrics;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test fixtures: a healthy, valid snapshot of an 8-operator pipeline, and a builder to bend it.
 * Shared with the other modules through this module's test-jar.
 */
public final class Snapshots {
  public static final List<String> OPERATORS =
      List.of("source", "parse", "enrich", "filter", "transform", "window-agg", "session-agg", "sink");
  public static final long TICK_MILLIS = 10_000L;
  public static final long EPOCH = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

  private Snapshots() {}

  public static PipelineConfig defaultConfig() {
    Map<String, Integer> p = new LinkedHashMap<>();
    for (String op : OPERATORS) {
      p.put(op, 16);
    }
    return new PipelineConfig(p, 32, 30, 8, 4.0, 16.0, 4);
  }

  /** A healthy snapshot at the given tick. */
  public static TelemetrySnapshot healthy(String pipelineId, long tick) {
    return builder(pipelineId, tick).build();
  }

  public static Builder builder(String pipelineId, long tick) {
    return new Builder(pipelineId, tick);
  }

  /** Mutable builder over a healthy baseline. */
  public static final class Builder {
    private final String pipelineId;
    private final long tick;
    private PipelineConfig config = defaultConfig();
    private double throughput = 500_000;
    private double latencyP99 = 120;
    private double lag = 1_000;
    private double busy = 0.55;
    private double backPressure = 0.0;
    private double checkpointMs = 2_000;
    private long checkpointFailures = 0;
    private JobMetrics.JobState state = JobMetrics.JobState.RUNNING;
    private final Map<Metric, Double> tmOverrides = new LinkedHashMap<>();

    private Builder(String pipelineId, long tick) {
      this.pipelineId = pipelineId;
      this.tick = tick;
    }

    public Builder config(PipelineConfig c) {
      this.config = c;
      return this;
    }

    public Builder throughput(double t) {
      this.throughput = t;
      return this;
    }

    public Builder latencyP99(double ms) {
      this.latencyP99 = ms;
      return this;
    }

    public Builder lag(double l) {
      this.lag = l;
      return this;
    }

    public Builder busy(double ratio) {
      this.busy = ratio;
      return this;
    }

    public Builder backPressure(double ratio) {
      this.backPressure = ratio;
      return this;
    }

    public Builder checkpointMs(double ms) {
      this.checkpointMs = ms;
      return this;
    }

    public Builder checkpointFailures(long n) {
      this.checkpointFailures = n;
      return this;
    }

    public Builder state(JobMetrics.JobState s) {
      this.state = s;
      return this;
    }

    /** Sets one TaskManager metric on every TaskManager. */
    public Builder tm(Metric m, double v) {
      tmOverrides.put(m, v);
      return this;
    }

    public TelemetrySnapshot build() {
      List<TaskManagerMetrics> tms = new ArrayList<>();
      for (int i = 0; i < config.taskManagers(); i++) {
        double[] v = new double[Metric.COUNT];
        v[Metric.CPU_LOAD.ordinal()] = busy * 0.9;
        v[Metric.CPU_CORES.ordinal()] = config.taskManagerCpu();
        v[Metric.HEAP_MAX.ordinal()] = config.taskManagerMemoryGb() * 0.4 * (1L << 30);
        v[Metric.HEAP_USED_RATIO.ordinal()] = 0.45;
        v[Metric.HEAP_USED.ordinal()] = v[Metric.HEAP_MAX.ordinal()] * 0.45;
        v[Metric.GC_TIME_RATIO.ordinal()] = 0.02;
        v[Metric.NET_LATENCY.ordinal()] = 0.5;
        v[Metric.IN_POOL_USAGE.ordinal()] = 0.2 + backPressure * 0.8;
        v[Metric.OUT_POOL_USAGE.ordinal()] = 0.2 + backPressure * 0.8;
        v[Metric.BACKPRESSURE.ordinal()] = backPressure;
        v[Metric.BUSY.ordinal()] = busy;
        v[Metric.DISK_USED_RATIO.ordinal()] = 0.3;
        v[Metric.NODE_READY.ordinal()] = 1;
        v[Metric.SLOTS_TOTAL.ordinal()] = config.slotsPerTaskManager();
        v[Metric.SLOTS_USED.ordinal()] = config.slotsPerTaskManager();
        for (Map.Entry<Metric, Double> e : tmOverrides.entrySet()) {
          v[e.getKey().ordinal()] = e.getValue();
        }
        tms.add(TaskManagerMetrics.of("tm-" + i, "node-" + (i % 4), v));
      }
      List<OperatorMetrics> ops = new ArrayList<>();
      for (String op : config.parallelism().keySet()) {
        double bp = op.equals("sink") ? 0 : backPressure;
        double b = Math.min(busy, 1 - bp);
        ops.add(
            new OperatorMetrics(
                op,
                config.parallelism().get(op),
                throughput,
                throughput,
                b * 1000,
                bp * 1000,
                Math.max(0, 1 - b - bp) * 1000,
                op.equals("source") ? lag : 0,
                op.contains("agg") ? 5e9 : 0));
      }
      return new TelemetrySnapshot(
          pipelineId,
          tick,
          EPOCH + tick * TICK_MILLIS,
          tms,
          ops,
          new CheckpointMetrics(checkpointMs, 4e9, tick / 3, checkpointFailures, 0, -1),
          new JobMetrics(state, throughput, latencyP99, lag, 0, config.taskManagers()),
          config);
    }
  }
}
