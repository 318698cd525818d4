package dev.autopilot.agents.optimization.ppo;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
            it.iteration(), it.meanReward(), it.policyLoss(), it.valueLoss(), it.entropy(),
            it.approxKl(), it.clipFraction(), it.explainedVariance(), it.seconds());
      }
      after = evaluate(trainer.policy()::act, 20);
    }
    System.out.printf("random %.3f before %.3f after %.3f%n", random, before, after);
    double first = curve.get(0).meanReward();
    double last = curve.get(curve.size() - 1).meanReward();
    assertTrue(last > first + 0.05, "rollout reward " + first + " -> " + last);
    assertTrue(after > before + 0.4, "greedy reward " + before + " -> " + after);
    assertTrue(after > random + 0.3, "greedy " + after + " vs random " + random);
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
