package dev.autopilot.runtime.sim;

import com.typesafe.config.ConfigFactory;
import java.util.List;

/** Shared test fixtures: the default settings and small scenarios. */
final class SimFixtures {
  static final SimSettings SETTINGS = SimSettings.create(ConfigFactory.load());

  private SimFixtures() {}

  /** One pipeline "p1" under a constant offered load, no scheduled faults. */
  static SimulatedPlatform constant(double rate) {
    return constant(SETTINGS, rate, 7L);
  }

  static SimulatedPlatform constant(SimSettings settings, double rate, long seed) {
    Workload w = tick -> rate;
    return new SimulatedPlatform(settings, new Scenario(seed, 1, List.of("p1"), w, FaultSchedule.none()));
  }

  static void advance(SimulatedPlatform p, int ticks) {
    for (int i = 0; i < ticks; i++) {
      p.advance();
    }
  }
}
