package dev.autopilot.agents.optimization.ppo;

/**
 * The diagonal Gaussian of the actor: mean {@code mu} (the tanh outputs) and a state-independent
 * log standard deviation per action dimension. The log-probability is that of the raw sample,
 * before the environment clamps it to [-1, 1] (no tanh squashing correction: the mean, not the
 * sample, is squashed). The trainer computes the same formulas on tensors; these are the reference
 * the tests check them against.
 */
public final class Gaussian {

  /** {@code 0.5 * log(2 pi)}. */
  public static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

  private Gaussian() {}

  /**
   * {@code sum_i [ -(a_i - mu_i)^2 / (2 sigma_i^2) - log sigma_i - 0.5 log(2 pi) ]}.
   *
   * @throws IllegalArgumentException when the lengths differ
   */
  public static double logProb(double[] action, double[] mean, double[] logStd) {
    check(action.length, mean.length, logStd.length);
    double sum = 0;
    for (int i = 0; i < action.length; i++) {
      double z = (action[i] - mean[i]) / Math.exp(logStd[i]);
      sum += -0.5 * z * z - logStd[i] - HALF_LOG_2PI;
    }
    return sum;
  }

  /** {@code sum_i [ 0.5 + 0.5 log(2 pi) + log sigma_i ]}, the differential entropy. */
  public static double entropy(double[] logStd) {
    double sum = 0;
    for (double l : logStd) {
      sum += 0.5 + HALF_LOG_2PI + l;
    }
    return sum;
  }

  private static void check(int a, int m, int s) {
    if (a != m || m != s) {
      throw new IllegalArgumentException(
          "action, mean and log-std differ in length: " + a + ", " + m + ", " + s);
    }
  }
}
