package dev.autopilot.agents.recovery.detect;

import dev.autopilot.api.Metric;
import dev.autopilot.api.TaskManagerMetrics;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded synthetic telemetry for the detector tests: a periodic healthy pipeline plus noise. */
final class Telemetry {
  private Telemetry() {}

  /** A healthy snapshot; the load follows a 40-tick cycle. */
  static TelemetrySnapshot healthy(long tick, Random r) {
    double phase = Math.sin(2 * Math.PI * tick / 40.0);
    double load = 1 + 0.15 * phase;
    TelemetrySnapshot s =
        Snapshots.builder("p1", tick)
            .throughput(500_000 * load * (1 + 0.01 * r.nextGaussian()))
            .latencyP99(120 * (1 + 0.1 * phase) * (1 + 0.02 * r.nextGaussian()))
            .lag(1_000 * load * (1 + 0.05 * r.nextGaussian()))
            .busy(0.5 * load + 0.01 * r.nextGaussian())
            .checkpointMs(2_000 * (1 + 0.03 * r.nextGaussian()))
            .build();
    return edit(
        s,
        v -> {
          v[Metric.NET_LATENCY.ordinal()] = 0.5 * (1 + 0.05 * r.nextGaussian());
          v[Metric.HEAP_USED_RATIO.ordinal()] = 0.45 + 0.05 * phase + 0.005 * r.nextGaussian();
          v[Metric.CPU_LOAD.ordinal()] = 0.45 * load + 0.01 * r.nextGaussian();
          v[Metric.IN_POOL_USAGE.ordinal()] = 0.2 + 0.02 * r.nextGaussian();
          v[Metric.OUT_POOL_USAGE.ordinal()] = 0.2 + 0.02 * r.nextGaussian();
          v[Metric.GC_TIME_RATIO.ordinal()] = 0.02 + 0.002 * r.nextGaussian();
          v[Metric.THREADS.ordinal()] = 200 + r.nextInt(5);
        });
  }

  /** A snapshot far outside the healthy range on the isolation forest's five features. */
  static TelemetrySnapshot outlier(long tick, Random r) {
    TelemetrySnapshot s =
        Snapshots.builder("p1", tick)
            .throughput(300_000)
            .latencyP99(4_000)
            .lag(900_000)
            .busy(1.0)
            .backPressure(0.9)
            .checkpointMs(60_000)
            .build();
    return edit(
        s,
        v -> {
          v[Metric.NET_LATENCY.ordinal()] = 40;
          v[Metric.HEAP_USED_RATIO.ordinal()] = 0.97;
          v[Metric.IN_POOL_USAGE.ordinal()] = 1.0;
          v[Metric.GC_TIME_RATIO.ordinal()] = 0.4;
        });
  }

  interface Edit {
    void apply(double[] values);
  }

  static TelemetrySnapshot edit(TelemetrySnapshot s, Edit e) {
    List<TaskManagerMetrics> tms = new ArrayList<>();
    for (TaskManagerMetrics tm : s.taskManagers()) {
      double[] v = tm.values().clone();
      e.apply(v);
      tms.add(new TaskManagerMetrics(tm.taskManagerId(), tm.nodeId(), v, tm.absent()));
    }
    return new TelemetrySnapshot(
        s.pipelineId(), s.tick(), s.eventTimeMillis(), tms, s.operators(), s.checkpoints(), s.job(),
        s.config());
  }

  /** Features of {@code n} consecutive healthy ticks from {@code start}. */
  static float[][] healthyFeatures(long start, int n, long seed) {
    Random r = new Random(seed);
    SnapshotFeatures f = new SnapshotFeatures();
    float[][] out = new float[n][];
    for (int i = 0; i < n; i++) {
      out[i] = f.next(healthy(start + i, r));
    }
    return out;
  }

  /** The LSTM metric subset of feature rows. */
  static float[][] lstmSeries(float[][] features) {
    float[][] out = new float[features.length][];
    for (int i = 0; i < features.length; i++) {
      out[i] = SnapshotFeatures.select(features[i], SnapshotFeatures.LSTM);
    }
    return out;
  }
}
