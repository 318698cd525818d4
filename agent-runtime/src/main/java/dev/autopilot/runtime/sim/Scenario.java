package dev.autopilot.runtime.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * One reproducible run: a seed, a length, the pipelines, their (shared) workload and the fault
 * schedule. The same scenario run twice gives the same telemetry and ground truth, tick by tick.
 *
 * @param seed root seed; every random stream of the run derives from it
 * @param days length of the run, days
 * @param pipelineIds the pipelines, in a fixed order
 * @param workload offered load of every pipeline
 * @param faults the planned faults
 */
public record Scenario(
    long seed, int days, List<String> pipelineIds, Workload workload, FaultSchedule faults) {

  public Scenario {
    if (days < 1) {
      throw new IllegalArgumentException("a scenario needs at least one day, got " + days);
    }
    if (pipelineIds == null || pipelineIds.isEmpty()) {
      throw new IllegalArgumentException("a scenario needs at least one pipeline");
    }
    pipelineIds = List.copyOf(pipelineIds);
  }

  /** The default scenario with the configured fault count. */
  public static Scenario defaultScenario(SimSettings settings, long seed, int days, int pipelines) {
    return defaultScenario(settings, seed, days, pipelines, settings.faults().count());
  }

  /**
   * The default scenario: pipelines {@code p1..pN}, the generated workload (seeded), and a
   * generated fault schedule of {@code faultCount} faults.
   */
  public static Scenario defaultScenario(
      SimSettings settings, long seed, int days, int pipelines, int faultCount) {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= pipelines; i++) {
      ids.add("p" + i);
    }
    long ticks = days * settings.ticksPerDay();
    Workload workload =
        new GeneratedWorkload(
            settings.workload(), seed, ticks, settings.tickSeconds(), settings.startEpochMillis());
    FaultSchedule faults =
        FaultSchedule.generate(settings.faults(), seed, ids, ticks, settings.tickSeconds(), faultCount);
    return new Scenario(seed, days, ids, workload, faults);
  }

  /** Ticks in the run. */
  public long ticks(SimSettings settings) {
    return days * settings.ticksPerDay();
  }

  public Scenario withWorkload(Workload w) {
    return new Scenario(seed, days, pipelineIds, w, faults);
  }

  public Scenario withFaults(FaultSchedule f) {
    return new Scenario(seed, days, pipelineIds, workload, f);
  }
}
