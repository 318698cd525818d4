package dev.autopilot.api.testing;

import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.Metric;
import dev.autopilot.api.OperatorMetrics;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helper: snapshots with hand-written per-operator rates over the healthy baseline. */
public final class Graphs {
  private Graphs() {}

  /** One operator: parallelism, records in and out per second, busy share. */
  public record Op(String id, int parallelism, double in, double out, double busy) {}

  public static Op op(String id, int parallelism, double in, double out, double busy) {
    return new Op(id, parallelism, in, out, busy);
  }

  public static PipelineConfig config(int taskManagers, List<Op> ops) {
    Map<String, Integer> p = new LinkedHashMap<>();
    ops.forEach(o -> p.put(o.id(), o.parallelism()));
    return new PipelineConfig(p, 32, 30, taskManagers, 4.0, 16.0, 4);
  }

  /**
   * A snapshot whose TaskManagers report no CPU load (0), so that the per-thread DS2 figures are
   * tested alone, without the CPU floor.
   */
  public static TelemetrySnapshot snapshot(
      long tick, double lag, JobMetrics.JobState state, int taskManagers, List<Op> ops) {
    return snapshot(tick, lag, state, taskManagers, ops, 0);
  }

  /** A snapshot whose TaskManagers all report {@code cpuLoad}. */
  public static TelemetrySnapshot snapshot(
      long tick,
      double lag,
      JobMetrics.JobState state,
      int taskManagers,
      List<Op> ops,
      double cpuLoad) {
    TelemetrySnapshot base =
        Snapshots.builder("p1", tick)
            .config(config(taskManagers, ops))
            .throughput(ops.get(0).in())
            .lag(lag)
            .state(state)
            .tm(Metric.CPU_LOAD, cpuLoad)
            .build();
    List<OperatorMetrics> metrics = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      Op o = ops.get(i);
      metrics.add(
          new OperatorMetrics(
              o.id(),
              o.parallelism(),
              o.in(),
              o.out(),
              o.busy() * 1000,
              0,
              (1 - o.busy()) * 1000,
              i == 0 ? lag : 0,
              0));
    }
    return new TelemetrySnapshot(
        base.pipelineId(),
        base.tick(),
        base.eventTimeMillis(),
        base.taskManagers(),
        metrics,
        base.checkpoints(),
        base.job(),
        base.config());
  }

  /** The 8 operators of the default graph, all at one parallelism, rate and busy share. */
  public static List<Op> uniform(int parallelism, double rate, double busy) {
    List<Op> ops = new ArrayList<>();
    for (String id : Snapshots.OPERATORS) {
      ops.add(op(id, parallelism, rate, rate, busy));
    }
    return ops;
  }
}
