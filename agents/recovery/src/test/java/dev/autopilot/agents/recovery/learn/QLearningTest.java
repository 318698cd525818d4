package dev.autopilot.agents.recovery.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.agents.recovery.policy.Severity;
import dev.autopilot.api.FailureMode;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QLearningTest {
  private static final RecoveryState S0 =
      new RecoveryState(FailureMode.TASK_CRASH, 0, Severity.HIGH);
  private static final RecoveryState S1 = S0.next(Severity.HIGH);
  private static final RecoveryOption CHEAP = RecoveryOption.RESTART_TASK;
  private static final RecoveryOption ESCALATE = RecoveryOption.EXPAND_BUFFERS;
  private static final RecoveryOption BIG = RecoveryOption.FAILOVER;
  private static final RecoveryOption FIX = RecoveryOption.FULL_RESTART;

  @Test
  void oneUpdateIsTheTextbookRule() {
    QTable t = new QTable();
    t.set(S0, CHEAP, -1.0, 20);
    t.set(S1, FIX, 4.0, 3);
    t.set(S1, BIG, 2.0, 3);
    QLearning q = new QLearning(t, new QLearning.Settings(0.9, 0.1, 1));
    // n = 21 -> alpha = max(0.1, 1/21) = 0.1; target = -2 + 0.9 * max(4, 2) = 1.6
    double v = q.update(new QLearning.Transition(S0, CHEAP, -2, S1, Set.of(FIX, BIG)), 0);
    assertEquals(-1.0 + 0.1 * (1.6 - -1.0), v, 1e-12);
    assertEquals(21, t.visits(S0, CHEAP));
    // only admissible next options count: without FIX the max is BIG's 2
    double w = q.update(new QLearning.Transition(S0, BIG, 0, S1, Set.of(BIG)), 0);
    assertEquals(0 + 1.0 * (0 + 0.9 * 2.0 - 0), w, 1e-12);
  }

  @Test
  void rarelyVisitedNextOptionsDoNotCountInTheMax() {
    QTable t = new QTable();
    t.set(S1, FIX, 50.0, 1); // one lucky sample
    t.set(S1, BIG, 2.0, 10);
    QLearning q = new QLearning(t, new QLearning.Settings(1.0, 0.1, 3));
    assertEquals(
        -1 + 2.0,
        q.update(new QLearning.Transition(S0, CHEAP, -1, S1, Set.of(FIX, BIG)), 0),
        1e-12);
  }

  @Test
  void firstUpdateOfAnEntryTakesTheTargetAndUnseenNextStatesUseTheFallback() {
    QTable t = new QTable();
    QLearning q = new QLearning(t, QLearning.Settings.defaults());
    double v = q.update(new QLearning.Transition(S0, CHEAP, -3, S1, Set.of(FIX)), 7);
    assertEquals(4.0, v, 1e-12);
  }

  /**
   * A tiny recovery MDP: at stage 0, CHEAP repairs with probability 0.3 (reward +10 - 1 min) and
   * else fails (-1 min - 2, then stage 1); BIG always repairs but costs 6 min (+10 - 6 = 4). At
   * stage 1 FIX repairs (+10 - 2) and BIG costs 6 (+4). Expected values: CHEAP = 0.3 * 9 + 0.7 *
   * (-3 + 8) = 6.2 > BIG = 4. Q-learning with ε-greedy exploration must find CHEAP then FIX.
   */
  @Test
  void convergesToTheOptimalActionsOfATinyMdp() {
    QTable t = new QTable();
    QLearning q = new QLearning(t, new QLearning.Settings(1.0, 0.02, 1));
    SplittableRandom rnd = new SplittableRandom(1);
    for (int episode = 0; episode < 4000; episode++) {
      RecoveryOption a0 = epsilonGreedy(t, S0, List.of(CHEAP, BIG), rnd, 0.2);
      if (a0 == BIG) {
        q.learnEpisode(List.of(new QLearning.Transition(S0, BIG, 4, null, Set.of())));
      } else if (rnd.nextDouble() < 0.3) {
        q.learnEpisode(List.of(new QLearning.Transition(S0, CHEAP, 9, null, Set.of())));
      } else {
        RecoveryOption a1 = epsilonGreedy(t, S1, List.of(FIX, BIG), rnd, 0.2);
        double r1 = a1 == FIX ? 8 : 4;
        q.learnEpisode(
            List.of(
                new QLearning.Transition(S0, CHEAP, -3, S1, Set.of(FIX, BIG)),
                new QLearning.Transition(S1, a1, r1, null, Set.of())));
      }
    }
    assertEquals(Optional.of(CHEAP), t.greedy(S0, List.of(CHEAP, BIG), 1));
    assertEquals(Optional.of(FIX), t.greedy(S1, List.of(FIX, BIG), 1));
    assertEquals(6.2, t.q(S0, CHEAP), 0.6);
    assertEquals(4.0, t.q(S0, BIG), 0.1);
    assertEquals(8.0, t.q(S1, FIX), 0.1);
  }

  private static RecoveryOption epsilonGreedy(
      QTable t, RecoveryState s, List<RecoveryOption> options, SplittableRandom rnd, double eps) {
    for (RecoveryOption o : options) {
      if (t.visits(s, o) == 0) {
        return o;
      }
    }
    if (rnd.nextDouble() < eps) {
      return options.get(rnd.nextInt(options.size()));
    }
    return t.greedy(s, options, 1).orElseThrow();
  }

  @Test
  void badSettingsAndValuesAreRejectedWithTheirName() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new QLearning.Settings(1.5, 0.1, 1));
    assertTrue(e.getMessage().contains("gamma"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> new QTable().set(S0, FIX, Double.NaN, 1));
    assertTrue(e.getMessage().contains("TASK_CRASH/0/HIGH"), e.getMessage());
  }
}
