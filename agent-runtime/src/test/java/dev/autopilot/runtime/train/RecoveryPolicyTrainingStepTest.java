package dev.autopilot.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.recovery.learn.LearnedRecoveryPolicy;
import dev.autopilot.agents.recovery.learn.PolicyMetrics;
import dev.autopilot.agents.recovery.learn.QLearning;
import dev.autopilot.agents.recovery.learn.RecoveryOption;
import dev.autopilot.agents.recovery.learn.RecoveryState;
import dev.autopilot.agents.recovery.policy.LadderChooser;
import dev.autopilot.agents.recovery.policy.RecoveryLadder;
import dev.autopilot.agents.recovery.policy.RecoverySettings;
import dev.autopilot.agents.recovery.policy.Severity;
import dev.autopilot.api.Action;
import dev.autopilot.api.FailureMode;
import dev.autopilot.runtime.loop.PipelineSlas;
import dev.autopilot.runtime.sim.SimSettings;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecoveryPolicyTrainingStepTest {
  private static final Config CONFIG = ConfigFactory.load();
  private static final RecoverySettings RS = RecoverySettings.create(CONFIG);
  private static final RecoveryEpisodes EPISODES =
      new RecoveryEpisodes(
          SimSettings.create(CONFIG),
          RS,
          PipelineSlas.of(CONFIG, List.of("p1")).get("p1"),
          RecoveryEpisodes.Settings.defaults());

  @Test
  void aTaskCrashEpisodeIsRepairedByTheLadderAndIsReproducible() {
    LadderChooser ladder = new LadderChooser(new RecoveryLadder(RS));
    long seed = RecoveryPolicyTrainingStep.seedOf(42, 2, 0);
    RecoveryEpisodes.Result a = EPISODES.run(seed, FailureMode.TASK_CRASH, ladder);
    RecoveryEpisodes.Result b = EPISODES.run(seed, FailureMode.TASK_CRASH, ladder);
    assertEquals(a, b);
    assertTrue(a.firstIncidentTick() > a.injectedTick(), a.toString());
    assertTrue(a.autoRecovered(EPISODES.settings()), a.toString());
    assertFalse(a.attempts().isEmpty());
    PolicyMetrics m = RecoveryPolicyTrainingStep.metrics(List.of(a), EPISODES.settings());
    assertEquals(1.0, m.autoRecoveryRate());
    assertEquals((a.resolvedTick() - a.injectedTick()) * 10.0, m.mttrSeconds(), 1e-9);
    assertEquals(a.attempts().size() - 1, m.failedAttempts());
  }

  @Test
  void rewardsChargeMinutesPenaliseFailuresAndPayTheRepairWithinTheBound() {
    RecoveryState s0 = new RecoveryState(FailureMode.TASK_CRASH, 0, Severity.HIGH);
    RecoveryState s1 = s0.next(Severity.MEDIUM);
    List<LearnedRecoveryPolicy.Decision> decisions =
        List.of(
            new LearnedRecoveryPolicy.Decision(
                s0,
                RecoveryOption.RESTART_TASK,
                new Action.RestartTask("parse"),
                Set.of(RecoveryOption.RESTART_TASK, RecoveryOption.FAILOVER),
                true),
            new LearnedRecoveryPolicy.Decision(
                s1,
                RecoveryOption.FAILOVER,
                new Action.Failover(),
                Set.of(RecoveryOption.FAILOVER),
                false));
    List<RecoveryEpisodes.Attempt> attempts =
        List.of(
            new RecoveryEpisodes.Attempt(100, new Action.RestartTask("parse"), false, 2),
            new RecoveryEpisodes.Attempt(118, new Action.Failover(), false, 30));
    RecoveryEpisodes.Result repaired =
        new RecoveryEpisodes.Result(
            FailureMode.TASK_CRASH,
            1,
            96,
            99,
            FailureMode.TASK_CRASH,
            148,
            "L3 fail over",
            148,
            attempts,
            0);
    List<QLearning.Transition> t =
        RecoveryPolicyTrainingStep.transitions(repaired, decisions, EPISODES.settings());
    assertEquals(2, t.size());
    assertEquals(-18 / 6.0 - RecoveryPolicyTrainingStep.FAILED_PENALTY, t.get(0).reward(), 1e-9);
    assertEquals(s1, t.get(0).next());
    assertEquals(Set.of(RecoveryOption.FAILOVER), t.get(0).nextOptions());
    assertEquals(-30 / 6.0 + RecoveryPolicyTrainingStep.SUCCESS_BONUS, t.get(1).reward(), 1e-9);
    assertNull(t.get(1).next());

    RecoveryEpisodes.Result unresolved =
        new RecoveryEpisodes.Result(
            FailureMode.TASK_CRASH, 1, 96, 99, FailureMode.TASK_CRASH, -1, null, 366, attempts, 0);
    List<QLearning.Transition> u =
        RecoveryPolicyTrainingStep.transitions(unresolved, decisions, EPISODES.settings());
    assertEquals(
        -(366 - 118) / 6.0 - RecoveryPolicyTrainingStep.FAILED_PENALTY, u.get(1).reward(), 1e-9);
    assertEquals(2, unresolved.failedAttempts());
    assertEquals(1, repaired.failedAttempts());
  }

  @Test
  void trainingValidationAndTestSeedsAreDisjoint() {
    Set<Long> seen = new HashSet<>();
    for (int stream = 1; stream <= 3; stream++) {
      for (int i = 0; i < 5000; i++) {
        assertTrue(seen.add(RecoveryPolicyTrainingStep.seedOf(42, stream, i)));
      }
    }
    assertNotEquals(
        RecoveryPolicyTrainingStep.seedOf(42, 2, 0), RecoveryPolicyTrainingStep.seedOf(7, 2, 0));
  }
}
