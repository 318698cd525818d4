package dev.autopilot.runtime.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.Metric;
import dev.autopilot.api.OperatorMetrics;
import dev.autopilot.api.SnapshotValidator;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A multi-day default scenario with two pipelines and its faults, left uncontrolled: every snapshot
 * is valid, and the ground truth stays finite and consistent.
 */
class ScenarioRunTest {

  @Test
  void everySnapshotOfAnUncontrolledRunIsValid() {
    SimSettings s = SimFixtures.SETTINGS;
    Scenario sc = Scenario.defaultScenario(s, 2026, 3, 2, 24);
    SimulatedPlatform sim = new SimulatedPlatform(s, sc);
    Map<String, Long> lastTick = new HashMap<>();
    long ticks = sc.ticks(s);
    for (long t = 0; t < ticks; t++) {
      for (String p : sim.pipelines()) {
        TelemetrySnapshot snap = sim.observe(p);
        Optional<SnapshotValidator.Rejection> r =
            SnapshotValidator.validate(snap, sim.pipelines(), lastTick.getOrDefault(p, Long.MIN_VALUE));
        long tick = t;
        assertTrue(r.isEmpty(), () -> "tick " + tick + " " + p + ": " + r.get());
        assertEquals(Metric.COUNT, snap.taskManagers().get(0).values().length);
        lastTick.put(p, snap.tick());
        for (OperatorMetrics op : snap.operators()) {
          double total = op.busyTimeMsPerSecond() + op.backPressuredTimeMsPerSecond() + op.idleTimeMsPerSecond();
          assertEquals(1000, total, 1e-6, op.operatorId() + " at tick " + t);
        }
        GroundTruth g = sim.truth(p);
        assertTrue(Double.isFinite(g.latencyP99Ms()) && g.latencyP99Ms() > 0);
        assertTrue(Double.isFinite(g.processedRate()) && g.processedRate() >= 0);
        assertTrue(Double.isFinite(g.costSoFar()));
      }
      sim.advance();
    }
    long planned = sim.faults().stream().filter(f -> f.parentId() == null).count();
    assertEquals(24, planned);
    assertTrue(
        sim.faults().stream().anyMatch(f -> !f.active() && "self-healed".equals(f.resolvedBy())),
        "network partitions and external failures heal by themselves");
    assertTrue(sim.faults().stream().anyMatch(Fault::active), "the others wait for an action");
  }
}
