package dev.autopilot.runtime.bench;

import java.util.List;

/**
 * The scenario every controller of one `run` goes through: a {@link ScenarioRunner} must give each
 * controller the same workload and the same (non-cascade) faults at the same ticks, derived from
 * {@link #seed()} only.
 *
 * @param days simulated days
 * @param seed seed of the workload and the fault schedule
 * @param pipelines number of pipelines, ids chosen by the runner
 * @param workload {@code "generated"} or the path of a {@code timestamp,value} CSV file
 * @param faults faults to inject (cascades come on top)
 * @param minFaultKinds distinct failure modes the schedule must cover: {@code min(faults,
 *     autopilot.bench.run.min-fault-kinds)}
 * @param mode autonomous or shadow (applies to the agents)
 * @param tickSeconds event time per tick, seconds
 * @param controllers the controllers to run, in order
 */
public record Scenario(
    double days,
    long seed,
    int pipelines,
    String workload,
    int faults,
    int minFaultKinds,
    RunMode mode,
    int tickSeconds,
    List<ControllerKind> controllers) {

  /** The value of {@link #workload()} that selects the built-in generator. */
  public static final String GENERATED = "generated";

  public Scenario {
    controllers = List.copyOf(controllers);
    if (!(days > 0) || Double.isInfinite(days)) {
      throw new IllegalArgumentException("days must be > 0, was " + days);
    }
    if (pipelines < 1) {
      throw new IllegalArgumentException("pipelines must be >= 1, was " + pipelines);
    }
    if (faults < 1) {
      throw new IllegalArgumentException("faults must be >= 1, was " + faults);
    }
    if (tickSeconds < 1) {
      throw new IllegalArgumentException("tickSeconds must be >= 1, was " + tickSeconds);
    }
    if (controllers.isEmpty()) {
      throw new IllegalArgumentException("at least one controller is needed");
    }
  }

  /** Ticks the scenario lasts: {@code round(days x 86,400 / tickSeconds)}, at least 1. */
  public long totalTicks() {
    return Math.max(1, Math.round(days * 86_400.0 / tickSeconds));
  }

  /** Whether the workload is the built-in generator rather than a CSV file. */
  public boolean generatedWorkload() {
    return GENERATED.equals(workload);
  }
}
