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
 * @param workload {@code "generated"}, {@code "marathon"} (the generator's normal days with one
 *     marathon-like surge, 850k to 5.2M events/s), {@code "ycsb"} (the YCSB stream) or the path of a
 *     {@code timestamp,value} CSV file
 * @param faults faults to inject (cascades come on top); at least 1, except that the marathon
 *     scenario may run without faults (0) to isolate the surge, and a catalogue scenario's count is
 *     its plan's (0 for an analysis without background faults)
 * @param minFaultKinds distinct failure modes the schedule must cover: {@code min(faults,
 *     autopilot.bench.run.min-fault-kinds)}
 * @param mode autonomous or shadow (applies to the agents)
 * @param tickSeconds event time per tick, seconds
 * @param controllers the controllers to run, in order
 * @param name the catalogue scenario ({@link BenchScenarios}) whose workload shape, SLA and fault
 *     plan the run uses, or null for a plain run (the application's settings, {@code faults}
 *     generated faults)
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
    List<ControllerKind> controllers,
    String name) {

  /** The value of {@link #workload()} that selects the built-in generator. */
  public static final String GENERATED = "generated";

  /** The value of {@link #workload()} that selects the marathon surge ({@code MarathonWorkload}). */
  public static final String MARATHON = "marathon";

  /** The value of {@link #workload()} that selects the YCSB stream ({@code YcsbWorkload}). */
  public static final String YCSB = "ycsb";

  /** A plain run: no catalogue scenario. */
  public Scenario(
      double days,
      long seed,
      int pipelines,
      String workload,
      int faults,
      int minFaultKinds,
      RunMode mode,
      int tickSeconds,
      List<ControllerKind> controllers) {
    this(days, seed, pipelines, workload, faults, minFaultKinds, mode, tickSeconds, controllers, null);
  }

  public Scenario {
    controllers = List.copyOf(controllers);
    if (!(days > 0) || Double.isInfinite(days)) {
      throw new IllegalArgumentException("days must be > 0, was " + days);
    }
    if (pipelines < 1) {
      throw new IllegalArgumentException("pipelines must be >= 1, was " + pipelines);
    }
    if (faults < (name == null ? minFaults(workload) : 0)) {
      throw new IllegalArgumentException(
          "faults must be >= " + minFaults(workload) + " for workload " + workload + ", was " + faults);
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

  /** The fewest faults a scenario with this workload may inject: 0 for the marathon, else 1. */
  public static int minFaults(String workload) {
    return MARATHON.equals(workload) ? 0 : 1;
  }

  /** Whether the workload is the marathon surge. */
  public boolean marathonWorkload() {
    return MARATHON.equals(workload);
  }

  /** Whether the workload is the built-in generator rather than a CSV file. */
  public boolean generatedWorkload() {
    return GENERATED.equals(workload);
  }
}
