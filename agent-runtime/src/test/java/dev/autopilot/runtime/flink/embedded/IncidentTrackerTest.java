package dev.autopilot.runtime.flink.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.Action;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.JobMetrics.JobState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IncidentTrackerTest {
  static IncidentTracker.Observation obs(
      long t,
      JobState state,
      double backlog,
      boolean anomaly,
      List<IncidentTracker.ProposalSeen> p) {
    return new IncidentTracker.Observation(
        t, state, 3, 3, backlog, 100, Map.of("enrich", 1), anomaly, "TASK_CRASH", p, null);
  }

  @Test
  void detectionIsTheFirstRecoveryProposalAndRecoveryTheFirstHealthyRunAfterDegradation() {
    IncidentTracker tracker = new IncidentTracker(5, 2);
    tracker.observe(obs(0, JobState.RUNNING, 0, false, List.of()));
    tracker.injected(EmbeddedFault.TASK_MANAGER_LOST, "tm", 1000);
    tracker.observe(obs(2000, JobState.RESTARTING, 0, false, List.of()));
    tracker.observe(
        obs(
            4000,
            JobState.RUNNING,
            900,
            false,
            List.of(
                new IncidentTracker.ProposalSeen(
                    AgentKind.RECOVERY, new Action.RestartTask("parse")))));
    tracker.observe(obs(6000, JobState.RUNNING, 400, false, List.of()));
    tracker.observe(obs(8000, JobState.RUNNING, 100, false, List.of()));
    IncidentTracker.Incident i = tracker.incidents().get(0);
    assertEquals(3.0, i.mttdSeconds());
    assertEquals("TASK_CRASH", i.diagnosis());
    assertTrue(i.degraded());
    // 900 > 5 s x 100/s is unhealthy; 400 and 100 are the first two healthy ticks
    assertEquals(5.0, i.mttrSeconds());
  }

  @Test
  void aStuckAnomalyFlagDoesNotCountAndAStormRecoversOnlyAfterItIsCleared() {
    IncidentTracker tracker = new IncidentTracker(5, 1);
    tracker.observe(obs(0, JobState.RUNNING, 0, true, List.of()));
    tracker.injected(EmbeddedFault.EXCEPTION_STORM, "storm", 1000);
    tracker.observe(obs(2000, JobState.RESTARTING, 0, true, List.of()));
    tracker.observe(obs(3000, JobState.RUNNING, 0, true, List.of()));
    IncidentTracker.Incident i = tracker.incidents().get(0);
    assertFalse(i.detected(), "the flag was up before the injection");
    assertFalse(i.recovered(), "healthy between restarts, but the storm is still on");
    tracker.observe(obs(4000, JobState.RESTARTING, 0, false, List.of()));
    tracker.cleared(EmbeddedFault.EXCEPTION_STORM, 4500);
    tracker.observe(obs(5000, JobState.RUNNING, 0, true, List.of()));
    i = tracker.incidents().get(0);
    assertEquals(4.0, i.mttdSeconds(), "the flag rose again after dropping");
    assertEquals(4.0, i.mttrSeconds());
  }

  @Test
  void aSurgeIsDetectedByAProposalRaisingParallelism() {
    IncidentTracker tracker = new IncidentTracker(5, 1);
    tracker.injected(EmbeddedFault.DEMAND_SURGE, "x4", 0);
    tracker.observe(
        obs(
            1000,
            JobState.RUNNING,
            10_000,
            true,
            List.of(
                new IncidentTracker.ProposalSeen(
                    AgentKind.RECOVERY, new Action.Reconnect("enrich")))));
    assertFalse(tracker.incidents().get(0).detected());
    tracker.observe(
        obs(
            2000,
            JobState.RUNNING,
            10_000,
            false,
            List.of(
                new IncidentTracker.ProposalSeen(
                    AgentKind.OPTIMIZATION, new Action.Rescale(Map.of("enrich", 3))))));
    assertEquals(2.0, tracker.incidents().get(0).mttdSeconds());
  }
}
