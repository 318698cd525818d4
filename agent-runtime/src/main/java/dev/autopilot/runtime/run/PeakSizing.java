package dev.autopilot.runtime.run;

import com.typesafe.config.Config;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.runtime.sim.FaultSchedule;
import dev.autopilot.runtime.sim.Scenario;
import dev.autopilot.runtime.sim.SimSettings;
import dev.autopilot.runtime.sim.SimulatedPlatform;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sizes the static baseline's fixed configuration for the scenario's regular peak, as a capacity
 * planner with the load forecast in hand would: the given percentile of the offered load, at a
 * sizing utilisation, checked against the simulator's own capacity of the configuration.
 */
final class PeakSizing {
  private static final int MAX_ROUNDS = 8;

  private PeakSizing() {}

  static PipelineConfig peakConfig(Config config, SimSettings sim, Scenario scenario) {
    Config c = config.getConfig("autopilot.bench.static");
    double percentile = c.getDouble("peak-percentile");
    double utilisation = c.getDouble("sizing-utilisation");
    int maxParallelism = c.getInt("max-parallelism");
    long ticks = scenario.ticks(sim);
    double[] rates = new double[(int) ticks];
    for (int t = 0; t < ticks; t++) {
      rates[t] = scenario.workload().offeredRate(t);
    }
    Arrays.sort(rates);
    double peak = rates[(int) Math.floor(percentile * (rates.length - 1))];
    double needed = peak / utilisation;
    PipelineConfig candidate = sim.initialConfig();
    double factor = needed / capacity(sim, scenario, candidate);
    for (int round = 0; round < MAX_ROUNDS && factor > 1.0; round++) {
      candidate = scale(candidate, factor, maxParallelism);
      double capacity = capacity(sim, scenario, candidate);
      if (capacity >= needed) {
        break;
      }
      factor = Math.max(1.05, needed / capacity);
    }
    return candidate;
  }

  private static double capacity(SimSettings sim, Scenario scenario, PipelineConfig config) {
    SimulatedPlatform probe =
        new SimulatedPlatform(sim.withInitialConfig(config), scenario.withFaults(FaultSchedule.none()));
    return probe.truth(scenario.pipelineIds().get(0)).capacity();
  }

  private static PipelineConfig scale(PipelineConfig c, double factor, int maxParallelism) {
    Map<String, Integer> p = new LinkedHashMap<>();
    c.parallelism().forEach((op, v) -> p.put(op, Math.min(maxParallelism, (int) Math.ceil(v * factor))));
    PipelineConfig scaled = c.withParallelism(p);
    int tms =
        Math.max(
            (int) Math.ceil(c.taskManagers() * factor),
            (int) Math.ceil(scaled.requiredSlots() / (double) c.slotsPerTaskManager()));
    return scaled.withTaskManagers(tms);
  }
}
