package dev.autopilot.agents.optimization.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GaeTest {

  private static final double EPS = 1e-12;

  @Test
  void handComputedWithAnEpisodeEndInTheMiddle() {
    // gamma 0.9, lambda 0.8 (gamma * lambda = 0.72); the episode ends with step 1.
    // t=3: delta = 4 + 0.9*3.0 - 2.0 = 4.7                     adv = 4.7
    // t=2: delta = 3 + 0.9*2.0 - 1.5 = 3.3                     adv = 3.3 + 0.72*4.7 = 6.684
    // t=1: done, delta = 2 - 1.0 = 1.0 (no bootstrap)          adv = 1.0 (nothing carried back)
    // t=0: delta = 1 + 0.9*1.0 - 0.5 = 1.4                     adv = 1.4 + 0.72*1.0 = 2.12
    Gae.Result r =
        Gae.compute(
            new double[] {1, 2, 3, 4},
            new double[] {0.5, 1.0, 1.5, 2.0},
            new boolean[] {false, true, false, false},
            3.0,
            0.9,
            0.8);
    assertArrayEquals(new double[] {2.12, 1.0, 6.684, 4.7}, r.advantages(), EPS);
    assertArrayEquals(new double[] {2.62, 2.0, 8.184, 6.7}, r.returns(), EPS);
  }

  @Test
  void lastValueIsIgnoredWhenTheLastStepEndedItsEpisode() {
    Gae.Result a =
        Gae.compute(
            new double[] {1, 1}, new double[] {0, 0}, new boolean[] {false, true}, 0, 0.5, 1);
    Gae.Result b =
        Gae.compute(
            new double[] {1, 1}, new double[] {0, 0}, new boolean[] {false, true}, 100, 0.5, 1);
    assertArrayEquals(new double[] {1.5, 1}, a.advantages(), EPS);
    assertArrayEquals(a.advantages(), b.advantages(), EPS);
  }

  @Test
  void lambdaOneIsTheDiscountedReturnMinusTheValue() {
    // gamma 0.5, lambda 1: ret[t] = r[t] + 0.5 * ret[t+1], bootstrapped with the last value 8.
    Gae.Result r =
        Gae.compute(new double[] {1, 2, 4}, new double[] {3, 2, 1}, new boolean[3], 8.0, 0.5, 1.0);
    // ret2 = 4 + 4 = 8, ret1 = 2 + 4 = 6, ret0 = 1 + 3 = 4
    assertArrayEquals(new double[] {4, 6, 8}, r.returns(), EPS);
    assertArrayEquals(new double[] {1, 4, 7}, r.advantages(), EPS);
  }

  @Test
  void lambdaZeroIsTheOneStepTdError() {
    Gae.Result r =
        Gae.compute(new double[] {1, 2}, new double[] {0.5, 0.25}, new boolean[2], 1.0, 0.9, 0.0);
    assertArrayEquals(new double[] {1 + 0.9 * 0.25 - 0.5, 2 + 0.9 - 0.25}, r.advantages(), EPS);
  }

  @Test
  void rejectsArraysOfDifferentLengths() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Gae.compute(new double[2], new double[3], new boolean[2], 0, 0.99, 0.95));
  }
}
