package dev.autopilot.agents.optimization.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.agents.optimization.rl.Environment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** PPO with a reduced rollout learns the toy task ({@link ToyEnv}). */
class PpoLearningTest {

  @Test
  void improvesClearlyOnTheToyTask() {
    PpoSettings s = PpoSettings.defaults().withRolloutSteps(512);
    List<IterationStats> curve = new ArrayList<>();
    double random = evaluate(randomAction(new Random(7)), 20);
    double before;
    double after;
    try (PpoTrainer trainer = new PpoTrainer(s, ToyEnv.STATE, ToyEnv.ACTION, 1)) {
      ToyEnv env = new ToyEnv();
      AtomicLong seeds = new AtomicLong(1000);
      PpoPolicy initial = trainer.policy();
      before = evaluate(initial::act, 20);
      for (int i = 0; i < 20; i++) {
        IterationStats it = trainer.iterate(env, seeds::getAndIncrement);
        curve.add(it);
        System.out.printf(
            "it %2d reward %.3f ploss %.4f vloss %.4f ent %.3f kl %.4f clip %.3f ev %.3f %.2fs%n",
            it.iteration(),
            it.meanReward(),
            it.policyLoss(),
            it.valueLoss(),
            it.entropy(),
            it.approxKl(),
            it.clipFraction(),
            it.explainedVariance(),
            it.seconds());
      }
      after = evaluate(trainer.policy()::act, 20);
    }
    System.out.printf("random %.3f before %.3f after %.3f%n", random, before, after);
    double first = curve.get(0).meanReward();
    double last = curve.get(curve.size() - 1).meanReward();
    assertTrue(last > first + 0.05, "rollout reward " + first + " -> " + last);
    assertTrue(after > before + 0.4, "greedy reward " + before + " -> " + after);
    assertTrue(after > random + 0.25, "greedy " + after + " vs random " + random);
  }

  /** A one-step bandit with a fixed state and the best action (0.5, -0.3). */
  private static final class Bandit implements Environment {
    @Override
    public int stateSize() {
      return 2;
    }

    @Override
    public int actionSize() {
      return 2;
    }

    @Override
    public double[] reset(long seed) {
      return new double[] {1, -1};
    }

    @Override
    public Step step(double[] a) {
      double r = 1 - (a[0] - 0.5) * (a[0] - 0.5) - (a[1] + 0.3) * (a[1] + 0.3);
      return new Step(new double[] {1, -1}, r, true, new StepInfo(r, true, r, 0, r, 0));
    }
  }

  @Test
  void findsTheOptimumOfAQuadraticBanditAndNarrowsItsNoise() {
    PpoSettings s = PpoSettings.defaults().withRolloutSteps(256).withHidden(List.of(16));
    try (PpoTrainer trainer = new PpoTrainer(s, 2, 2, 1)) {
      Bandit env = new Bandit();
      for (int i = 0; i < 30; i++) {
        trainer.iterate(env, () -> 1);
      }
      PpoPolicy p = trainer.policy();
      double[] a = p.act(new double[] {1, -1});
      assertEquals(0.5, a[0], 0.1);
      assertEquals(-0.3, a[1], 0.1);
      for (double l : p.logStd()) {
        assertTrue(l < s.initialLogStd() - 0.3, "log-std " + l);
      }
    }
  }

  /** Mean reward of a policy over fresh evaluation episodes (seeds unseen in training). */
  static double evaluate(Function<double[], double[]> policy, int episodes) {
    ToyEnv env = new ToyEnv();
    double sum = 0;
    int n = 0;
    for (int e = 0; e < episodes; e++) {
      double[] state = env.reset(-1 - e);
      boolean done = false;
      while (!done) {
        var step = env.step(policy.apply(state));
        sum += step.reward();
        n++;
        done = step.done();
        state = step.state();
      }
    }
    return sum / n;
  }

  private static Function<double[], double[]> randomAction(Random r) {
    return s -> {
      double[] a = new double[ToyEnv.ACTION];
      for (int i = 0; i < a.length; i++) {
        a[i] = r.nextDouble() * 2 - 1;
      }
      return a;
    };
  }
}
