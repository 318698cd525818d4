package dev.autopilot.runtime.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.TelemetrySnapshot;
import org.junit.jupiter.api.Test;

/** The same seed gives identical snapshots and ground truth, tick by tick; another seed does not. */
class DeterminismTest {

  private static final int TICKS = 3_000;

  @Test
  void oneSeedGivesIdenticalRuns() {
    SimulatedPlatform a = platform(42);
    SimulatedPlatform b = platform(42);
    for (int t = 0; t < TICKS; t++) {
      for (String p : a.pipelines()) {
        TelemetrySnapshot sa = a.observe(p);
        assertEquals(sa, b.observe(p), "snapshot of " + p + " at tick " + t);
        assertEquals(sa, a.observe(p), "observing twice in a tick gives the same snapshot");
        assertEquals(a.truth(p), b.truth(p), "truth of " + p + " at tick " + t);
      }
      a.advance();
      b.advance();
    }
    assertFalse(a.faults().isEmpty(), "faults were injected along the way");
    assertEquals(a.faults(), b.faults());
  }

  @Test
  void anotherSeedGivesAnotherRun() {
    SimulatedPlatform a = platform(42);
    SimulatedPlatform b = platform(43);
    boolean differs = false;
    for (int t = 0; t < 50 && !differs; t++) {
      differs = !a.observe("p1").equals(b.observe("p1"));
      a.advance();
      b.advance();
    }
    assertTrue(differs);
  }

  private static SimulatedPlatform platform(long seed) {
    SimSettings s = SimFixtures.SETTINGS;
    return new SimulatedPlatform(s, Scenario.defaultScenario(s, seed, 1, 2));
  }
}
