package dev.autopilot.agents.optimization.ppo;

import dev.autopilot.agents.optimization.rl.Environment;
import java.util.Random;

/**
 * A small continuous control task for the PPO tests: each state is a fresh random vector (features
 * with different offsets and scales, so that normalisation matters), and the reward is {@code 1 -
 * mean((a - target)^2)} where the target is {@code tanh} of a fixed linear map of the first four
 * state features. Episodes last {@link #EPISODE} steps. The best reward is 1; uniformly random
 * actions earn about 0.5.
 */
final class ToyEnv implements Environment {

  static final int STATE = 45;
  static final int ACTION = 8;
  static final int EPISODE = 32;
  private static final int INFORMATIVE = 4;

  private final double[][] map = new double[ACTION][INFORMATIVE];
  private final double[] offset = new double[STATE];
  private final double[] scale = new double[STATE];
  private Random rnd = new Random(0);
  private double[] state;
  private int t = -1;
  int resets;

  ToyEnv() {
    Random fixed = new Random(42);
    for (double[] row : map) {
      for (int j = 0; j < INFORMATIVE; j++) {
        row[j] = fixed.nextGaussian();
      }
    }
    for (int i = 0; i < STATE; i++) {
      offset[i] = fixed.nextGaussian() * 5;
      scale[i] = 0.5 + fixed.nextDouble() * 3;
    }
  }

  @Override
  public int stateSize() {
    return STATE;
  }

  @Override
  public int actionSize() {
    return ACTION;
  }

  @Override
  public double[] reset(long seed) {
    rnd = new Random(seed);
    t = 0;
    resets++;
    state = draw();
    return state.clone();
  }


  @Override
  public Step step(double[] action) {
    if (t < 0) {
      throw new IllegalStateException("step before reset or after the end");
    }
    double[] target = target(state);
    double sq = 0;
    for (int i = 0; i < ACTION; i++) {
      double a = Math.max(-1, Math.min(1, action[i]));
      sq += (a - target[i]) * (a - target[i]);
    }
    double reward = 1 - sq / ACTION;
    t++;
    boolean done = t >= EPISODE;
    state = draw();
    if (done) {
      t = -1;
    }
    StepInfo info = new StepInfo(reward, reward > 0.5, reward, 0, reward, 0);
    return new Step(state.clone(), reward, done, info);
  }

  /** The best action in a state. */
  double[] target(double[] s) {
    double[] a = new double[ACTION];
    for (int i = 0; i < ACTION; i++) {
      double z = 0;
      for (int j = 0; j < INFORMATIVE; j++) {
        z += map[i][j] * (s[j] - offset[j]) / scale[j];
      }
      a[i] = Math.tanh(z);
    }
    return a;
  }

  private double[] draw() {
    double[] s = new double[STATE];
    for (int i = 0; i < STATE; i++) {
      s[i] = offset[i] + scale[i] * rnd.nextGaussian();
    }
    // the last feature is the time in the episode, so that the critic can tell how much return
    // is left
    s[STATE - 1] = Math.max(t, 0) / (double) EPISODE;
    return s;
  }
}
