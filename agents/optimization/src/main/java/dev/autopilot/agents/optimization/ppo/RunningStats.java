package dev.autopilot.agents.optimization.ppo;

import java.util.Arrays;

/**
 * Running mean and (population) variance of the states, per dimension, as Stable-Baselines3's
 * {@code RunningMeanStd}: it starts from mean 0, variance 1 with a weight of 1e-4 states, and
 * merges each new state with the parallel-variance formula. The trainer updates it during rollouts
 * and freezes it for the update; the policy carries a frozen copy and normalises every state with
 * it: {@code clamp((s - mean) / sqrt(var + 1e-8), +-10)}. Mutable, not thread-safe.
 */
final class RunningStats {

  /** Added to the variance before the square root. */
  static final double EPS = 1e-8;

  /** Normalised states are clamped to plus or minus this. */
  static final double CLIP = 10;

  private final double[] mean;
  private final double[] var;
  private double count = 1e-4;

  RunningStats(int size) {
    this.mean = new double[size];
    this.var = new double[size];
    Arrays.fill(var, 1);
  }

  /** Merges one state. */
  void update(double[] x) {
    double total = count + 1;
    for (int i = 0; i < mean.length; i++) {
      double delta = x[i] - mean[i];
      double m2 = var[i] * count + delta * delta * count / total;
      mean[i] += delta / total;
      var[i] = m2 / total;
    }
    count = total;
  }

  double count() {
    return count;
  }

  double[] mean() {
    return mean.clone();
  }

  double[] var() {
    return var.clone();
  }

  /** The normalised state, as floats for the networks. */
  static float[] normalize(double[] x, double[] mean, double[] var) {
    float[] z = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      double v = (x[i] - mean[i]) / Math.sqrt(var[i] + EPS);
      z[i] = (float) Math.max(-CLIP, Math.min(CLIP, v));
    }
    return z;
  }

  float[] normalize(double[] x) {
    return normalize(x, mean, var);
  }
}
