package dev.autopilot.runtime.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.Action;
import dev.autopilot.api.FailureMode;
import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.SnapshotValidator;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A job never looks RUNNING on no TaskManager: whatever recovery action lands during a node
 * failure, every snapshot stays valid, so the agents keep seeing the pipeline. (In a 7-day run a
 * redistribute during an infrastructure failure once left the job "RUNNING" with no TaskManager
 * reported; the gateway rejected every snapshot and the agents were blind for hours. This test
 * covers the property; it does not recreate that run's exact state.)
 */
class UnobservableStateTest {
  private static final String P = "p1";

  static Stream<Action.RecoveryAction> actions() {
    return Stream.of(
        new Action.Redistribute(null),
        new Action.Redistribute("node-01"),
        new Action.FullRestart(null));
  }

  @ParameterizedTest
  @MethodSource("actions")
  void snapshotsStayValidThroughANodeFailureAndAnyRecovery(Action.RecoveryAction action) {
    SimulatedPlatform sim = SimFixtures.constant(800_000);
    SimFixtures.advance(sim, 30);
    String node = sim.nodesOf(P).get(0);
    sim.inject(P, FailureMode.INFRASTRUCTURE_FAILURE, node);
    long last = Long.MIN_VALUE;
    for (int t = 0; t < 200; t++) {
      if (t == 3) {
        sim.recover(P, "r-" + t, action);
      }
      TelemetrySnapshot s = sim.observe(P);
      Optional<SnapshotValidator.Rejection> r = SnapshotValidator.validate(s, sim.pipelines(), last);
      int tick = t;
      assertTrue(r.isEmpty(), () -> "tick " + tick + " after " + action + ": " + r.get());
      assertTrue(
          !s.taskManagers().isEmpty() || s.job().state() != JobMetrics.JobState.RUNNING,
          "RUNNING without TaskManagers at " + t);
      last = s.tick();
      sim.advance();
    }
  }
}
