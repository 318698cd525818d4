package dev.autopilot.agents.recovery.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.Action;
import dev.autopilot.api.FailureMode;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.testing.Snapshots;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RecoveryLadderTest {
  private final RecoverySettings settings = Signatures.settings();
  private final RecoveryLadder ladder = new RecoveryLadder(settings);
  private final PipelineConfig config = Snapshots.defaultConfig();
  private final PipelineConfig knownGood = config.withCheckpointIntervalSeconds(20);
  private final RecoveryLadder.Context ctx =
      new RecoveryLadder.Context("window-agg", "node-2", "session-agg", config, knownGood);

  private List<Action> actions(FailureMode mode, RecoveryLadder.Context c) {
    return ladder.plan(mode, c).stream().map(RecoveryLadder.Rung::action).toList();
  }

  @Test
  void taskCrashRestartsThenRedeploysThenRestartsFullyThenFailsOver() {
    assertEquals(
        List.of(
            new Action.RestartTask("window-agg"),
            new Action.RedeployOperator("window-agg", 16),
            new Action.FullRestart(config),
            new Action.Failover()),
        actions(FailureMode.TASK_CRASH, ctx));
  }

  @Test
  void checkpointTimeoutExpandsBuffers32To48ThenLengthensTheIntervalThenRestarts() {
    assertEquals(
        List.of(
            new Action.ExpandBuffers(32, 48),
            new Action.SetCheckpointInterval(60),
            new Action.FullRestart(config)),
        actions(FailureMode.CHECKPOINT_TIMEOUT, ctx));
  }

  @Test
  void nodeFaultsRedistributeThenDrainTheNode() {
    for (FailureMode mode :
        List.of(
            FailureMode.NETWORK_PARTITION,
            FailureMode.DISK_FULL,
            FailureMode.INFRASTRUCTURE_FAILURE,
            FailureMode.CPU_SATURATION)) {
      List<Action> a = actions(mode, ctx);
      assertEquals(new Action.Redistribute("node-2"), a.get(0), mode.name());
      assertEquals(new Action.DrainNode("node-2"), a.get(1), mode.name());
    }
  }

  @Test
  void deadlockNeverRestartsTheTaskNorExpandsBuffers() {
    List<Action> a = actions(FailureMode.BACKPRESSURE_DEADLOCK, ctx);
    assertEquals(
        List.of(new Action.RedeployOperator("window-agg", 16), new Action.FullRestart(config)), a);
  }

  @Test
  void stateCorruptionOnlyRestoresOlderCheckpoints() {
    assertEquals(
        List.of(
            new Action.RestoreCheckpoint(1),
            new Action.RestoreCheckpoint(2),
            new Action.RestoreCheckpoint(3)),
        actions(FailureMode.STATE_CORRUPTION, ctx));
  }

  @Test
  void configurationErrorReappliesTheKnownGoodConfiguration() {
    assertEquals(
        List.of(
            new Action.Reconfigure(knownGood, "re-apply the last known-good configuration"),
            new Action.FullRestart(knownGood)),
        actions(FailureMode.CONFIGURATION_ERROR, ctx));
    RecoveryLadder.Context same = new RecoveryLadder.Context(null, null, "sink", config, config);
    assertEquals(
        List.of(new Action.FullRestart(config)), actions(FailureMode.CONFIGURATION_ERROR, same));
  }

  @Test
  void dataSkewRedeploysTheHotOperatorWider() {
    assertEquals(
        List.of(new Action.RedeployOperator("window-agg", 24), new Action.Redistribute(null)),
        actions(FailureMode.DATA_SKEW, ctx));
  }

  @Test
  void nodeRungsAreSkippedWhenNoNodeIsKnown() {
    RecoveryLadder.Context noNode =
        new RecoveryLadder.Context(null, null, "session-agg", config, null);
    assertEquals(List.of(new Action.Failover()), actions(FailureMode.NETWORK_PARTITION, noNode));
    assertEquals(
        new Action.RestartTask("session-agg"), actions(FailureMode.MEMORY_LEAK, noNode).get(0));
  }

  @ParameterizedTest
  @EnumSource(FailureMode.class)
  void levelsNeverGoDownAndEscalationMovesToTheNextRung(FailureMode mode) {
    List<RecoveryLadder.Rung> plan = ladder.plan(mode, ctx);
    assertFalse(plan.isEmpty(), mode + " has no rung");
    for (int i = 1; i < plan.size(); i++) {
      assertTrue(
          plan.get(i).level().compareTo(plan.get(i - 1).level()) >= 0, mode + " goes down a level");
    }
    RecoveryLadder.Rung first = ladder.next(mode, 0, ctx).orElseThrow();
    Optional<RecoveryLadder.Rung> escalated = ladder.next(mode, first.index() + 1, ctx);
    if (plan.size() > 1) {
      assertEquals(plan.get(1), escalated.orElseThrow());
    } else {
      assertTrue(escalated.isEmpty());
    }
    assertTrue(ladder.next(mode, ladder.size(mode), ctx).isEmpty(), "exhausted past the last rung");
    for (RecoveryLadder.Rung r : plan) {
      if (r.action() instanceof Action.RecoveryAction ra) {
        assertEquals(ra.level(), r.level(), "rung level matches the action's level");
      }
    }
  }
}
