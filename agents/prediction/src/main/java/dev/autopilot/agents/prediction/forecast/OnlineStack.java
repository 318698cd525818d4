package dev.autopilot.agents.prediction.forecast;

import java.util.Arrays;

/**
 * A small linear model fitted online by exponentially weighted least squares, shrunk towards a
 * prior: after samples (x_k, y_k) with weights {@code (1 - r)^age}, its coefficients minimise
 * {@code sum w_k (y_k - c . x_k)^2 + lambda * W * |c - prior|^2}, W the sum of the weights (so the
 * shrinkage does not fade as samples accumulate). The forecaster uses it to stack its models'
 * forecasts (a combination learned online instead of fixed or inverse-error weights).
 *
 * <p>Memory is the n x n normal equations; each {@link #add} costs O(n^2), each {@link #solve} a
 * Cholesky factorisation, O(n^3). Not thread-safe.
 */
final class OnlineStack {

  private final int n;
  private final double keep;
  private final double lambda;
  private final double[] prior;
  private final double[] gram;
  private final double[] moment;
  private final double[] coef;
  private final double[] chol;
  private final double[] z;
  private double weight;
  private long samples;

  /**
   * @param prior the coefficients before any sample, and those the fit is shrunk towards
   * @param rate the forgetting rate r in (0, 1): a sample's weight decays by 1 - r per new sample
   * @param lambda the shrinkage towards the prior, per unit of sample weight (> 0)
   */
  OnlineStack(double[] prior, double rate, double lambda) {
    if (!(rate > 0 && rate < 1) || !(lambda > 0)) {
      throw new IllegalArgumentException("rate must be in (0, 1) and lambda > 0");
    }
    n = prior.length;
    keep = 1 - rate;
    this.lambda = lambda;
    this.prior = prior.clone();
    gram = new double[n * n];
    moment = new double[n];
    coef = prior.clone();
    chol = new double[n * n];
    z = new double[n];
  }

  /** Adds a sample (older samples' weights decay by 1 - rate). */
  void add(double[] x, double y) {
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        gram[a * n + b] = keep * gram[a * n + b] + x[a] * x[b];
      }
      moment[a] = keep * moment[a] + x[a] * y;
    }
    weight = keep * weight + 1;
    samples++;
  }

  /** Re-solves the coefficients; keeps the previous ones if the system is not positive. */
  void solve() {
    double l = lambda * weight;
    for (int a = 0; a < n; a++) {
      for (int b = 0; b <= a; b++) {
        double sum = gram[a * n + b] + (a == b ? l : 0);
        for (int k = 0; k < b; k++) {
          sum -= chol[a * n + k] * chol[b * n + k];
        }
        if (a == b) {
          if (!(sum > 1e-12)) {
            return;
          }
          chol[a * n + a] = Math.sqrt(sum);
        } else {
          chol[a * n + b] = sum / chol[b * n + b];
        }
      }
    }
    for (int a = 0; a < n; a++) {
      double sum = moment[a] + l * prior[a];
      for (int k = 0; k < a; k++) {
        sum -= chol[a * n + k] * z[k];
      }
      z[a] = sum / chol[a * n + a];
    }
    for (int a = n - 1; a >= 0; a--) {
      double sum = z[a];
      for (int k = a + 1; k < n; k++) {
        sum -= chol[k * n + a] * coef[k];
      }
      coef[a] = sum / chol[a * n + a];
    }
  }

  /** The model's prediction for x. */
  double predict(double[] x) {
    double y = 0;
    for (int a = 0; a < n; a++) {
      y += coef[a] * x[a];
    }
    return y;
  }

  /** Samples added so far. */
  long samples() {
    return samples;
  }

  /** A copy of the current coefficients. */
  double[] coefficients() {
    return Arrays.copyOf(coef, n);
  }
}
