package dev.autopilot.agents.optimization.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.autopilot.agents.optimization.rl.Environment;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PpoTrainerTest {

  /** Small and quick: the mechanics, not the learning. */
  private static final PpoSettings SMALL =
      PpoSettings.defaults().withRolloutSteps(96).withEpochs(2).withHidden(List.of(32, 16));

  private static byte[] train(long seed, int iterations) {
    try (PpoTrainer t = new PpoTrainer(SMALL, ToyEnv.STATE, ToyEnv.ACTION, seed)) {
      AtomicLong seeds = new AtomicLong(7);
      ToyEnv env = new ToyEnv();
      for (int i = 0; i < iterations; i++) {
        t.iterate(env, seeds::getAndIncrement);
      }
      return t.policy().toBytes();
    }
  }

  @Test
  void theSameSeedGivesTheSamePolicyBytes() {
    byte[] a = train(11, 3);
    assertArrayEquals(a, train(11, 3));
    assertFalse(Arrays.equals(a, train(12, 3)));
  }

  @Test
  void thePlainJavaPolicyEqualsTheTensorForward() {
    PpoSettings s = PpoSettings.defaults().withRolloutSteps(128).withEpochs(2);
    try (PpoTrainer t = new PpoTrainer(s, ToyEnv.STATE, ToyEnv.ACTION, 3)) {
      t.iterate(new ToyEnv(), new AtomicLong()::getAndIncrement);
      PpoPolicy p = t.policy();
      ToyEnv env = new ToyEnv();
      int b = 64;
      double[][] states = new double[b][];
      float[] x = new float[b * ToyEnv.STATE];
      states[0] = env.reset(99);
      for (int i = 0; i < b; i++) {
        if (i > 0) {
          Environment.Step step = env.step(new double[ToyEnv.ACTION]);
          states[i] = step.done() ? env.reset(100 + i) : step.state();
        }
        System.arraycopy(p.normalize(states[i]), 0, x, i * ToyEnv.STATE, ToyEnv.STATE);
      }
      try (NDManager m = t.manager().newSubManager()) {
        NDArray in = m.create(x, new Shape(b, ToyEnv.STATE));
        float[] means = t.actorMeans(in).toFloatArray();
        float[] values = t.criticValues(in).toFloatArray();
        for (int i = 0; i < b; i++) {
          double[] a = p.act(states[i]);
          for (int k = 0; k < ToyEnv.ACTION; k++) {
            assertEquals(means[i * ToyEnv.ACTION + k], a[k], 1e-5);
          }
          assertEquals(values[i], p.value(states[i]), 1e-5);
        }
      }
    }
  }

  @Test
  void trainingContinuesFromASavedPolicy() {
    PpoPolicy trained;
    try (PpoTrainer t = new PpoTrainer(SMALL, ToyEnv.STATE, ToyEnv.ACTION, 5)) {
      t.iterate(new ToyEnv(), new AtomicLong()::getAndIncrement);
      trained = PpoPolicy.fromBytes(t.policy().toBytes(), "saved");
    }
    try (PpoTrainer u = new PpoTrainer(SMALL, trained, 6)) {
      assertArrayEquals(trained.toBytes(), u.policy().toBytes());
      u.iterate(new ToyEnv(), new AtomicLong()::getAndIncrement);
      assertFalse(Arrays.equals(trained.toBytes(), u.policy().toBytes()));
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new PpoTrainer(SMALL.withHidden(List.of(8)), trained, 6));
    assertTrue(e.getMessage().contains("hidden"), e.getMessage());
  }

  @Test
  void initialPolicyHasTheConfiguredShapeAndLogStd() {
    try (PpoTrainer t = new PpoTrainer(PpoSettings.defaults(), 45, 8, 1)) {
      PpoPolicy p = t.policy();
      assertEquals(45, p.stateSize());
      assertEquals(8, p.actionSize());
      assertEquals(List.of(256, 128, 64), p.hidden());
      for (double l : p.logStd()) {
        assertEquals(PpoSettings.defaults().initialLogStd(), l, 1e-7);
      }
    }
  }

  @Test
  void statsAreTheRolloutsMeansAndEpisodesContinueWithTheSameEnvironment() {
    try (PpoTrainer t = new PpoTrainer(SMALL, ToyEnv.STATE, ToyEnv.ACTION, 2)) {
      ToyEnv env = new ToyEnv();
      AtomicLong seeds = new AtomicLong();
      IterationStats first = t.iterate(env, seeds::getAndIncrement);
      // 96 steps = 3 episodes of 32
      assertEquals(1, first.iteration());
      assertEquals(96, first.steps());
      assertEquals(3, first.episodes());
      assertEquals(3, env.resets);
      assertEquals(first.meanReward(), first.throughputAchievement(), 1e-12); // the toy's info
      assertTrue(first.latencyCompliance() >= 0 && first.latencyCompliance() <= 1);
      assertTrue(Double.isFinite(first.policyLoss()) && Double.isFinite(first.valueLoss()));
      assertTrue(first.approxKl() >= 0);
      assertTrue(first.clipFraction() >= 0 && first.clipFraction() <= 1);
      assertTrue(first.seconds() > 0);

      PpoSettings odd = SMALL.withRolloutSteps(40);
      try (PpoTrainer u = new PpoTrainer(odd, ToyEnv.STATE, ToyEnv.ACTION, 2)) {
        ToyEnv e2 = new ToyEnv();
        // 32 steps of episode 1, then 8 of episode 2
        IterationStats a = u.iterate(e2, seeds::getAndIncrement);
        assertEquals(1, a.episodes());
        assertEquals(2, e2.resets);
        // the remaining 24 steps of episode 2 (no reset), then 16 of episode 3
        IterationStats b = u.iterate(e2, seeds::getAndIncrement);
        assertEquals(1, b.episodes());
        assertEquals(3, e2.resets);
        assertEquals(2, b.iteration());
        ToyEnv e3 = new ToyEnv();
        // another environment: a fresh episode (32 steps), then the next one's first 8
        u.iterate(e3, seeds::getAndIncrement);
        assertEquals(2, e3.resets);
        assertEquals(3, e2.resets);
        // told to, the trainer starts a new episode on the same environment
        u.endEpisode();
        u.iterate(e3, seeds::getAndIncrement);
        assertEquals(4, e3.resets); // the fresh one, and the next after its 32 steps
      }
    }
  }

  @Test
  void iterationsLeaveNoTensorsBehind() {
    try (PpoTrainer t = new PpoTrainer(SMALL, ToyEnv.STATE, ToyEnv.ACTION, 4)) {
      ToyEnv env = new ToyEnv();
      AtomicLong seeds = new AtomicLong();
      t.iterate(env, seeds::getAndIncrement);
      int after1 = t.manager().getManagedArrays().size();
      t.iterate(env, seeds::getAndIncrement);
      t.iterate(env, seeds::getAndIncrement);
      assertEquals(after1, t.manager().getManagedArrays().size());
    }
  }

  @Test
  void rejectsAnEnvironmentOfOtherSizes() {
    try (PpoTrainer t = new PpoTrainer(SMALL, 10, 8, 1)) {
      assertThrows(IllegalArgumentException.class, () -> t.iterate(new ToyEnv(), () -> 1));
    }
    assertThrows(IllegalArgumentException.class, () -> new PpoTrainer(SMALL, 0, 8, 1));
  }

  @Test
  void aNonFiniteStateOrRewardIsAClearError() {
    Environment broken =
        new Environment() {
          int t;

          @Override
          public int stateSize() {
            return 3;
          }

          @Override
          public int actionSize() {
            return 1;
          }

          @Override
          public double[] reset(long seed) {
            t = 0;
            return new double[3];
          }

          @Override
          public Step step(double[] action) {
            t++;
            double[] s = {0, t == 5 ? Double.NaN : 1, 0};
            return new Step(s, 0, false, new StepInfo(1, true, 1, 0, 0.5, 0));
          }
        };
    try (PpoTrainer t = new PpoTrainer(SMALL.withRolloutSteps(10), 3, 1, 1)) {
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> t.iterate(broken, () -> 1));
      assertTrue(e.getMessage().contains("state[1]"), e.getMessage());
    }
  }

  @Test
  void aClosedTrainerRefusesToIterate() {
    PpoTrainer t = new PpoTrainer(SMALL, ToyEnv.STATE, ToyEnv.ACTION, 1);
    t.close();
    t.close();
    assertThrows(
        IllegalStateException.class, () -> t.iterate(new ToyEnv(), new Random()::nextLong));
  }
}
