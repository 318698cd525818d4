package dev.autopilot.agents.optimization.perf;

/** R² and mean absolute error of predictions against measurements. */
public final class RegressionMetrics {

  private RegressionMetrics() {}

  /** Coefficient of determination, 1 − SS_res / SS_tot (NaN when the truth is constant). */
  public static double r2(double[] truth, double[] predicted) {
    check(truth, predicted);
    double mean = 0;
    for (double v : truth) {
      mean += v;
    }
    mean /= truth.length;
    double ssRes = 0;
    double ssTot = 0;
    for (int i = 0; i < truth.length; i++) {
      ssRes += (truth[i] - predicted[i]) * (truth[i] - predicted[i]);
      ssTot += (truth[i] - mean) * (truth[i] - mean);
    }
    return ssTot == 0 ? Double.NaN : 1 - ssRes / ssTot;
  }

  /** Mean absolute error. */
  public static double mae(double[] truth, double[] predicted) {
    check(truth, predicted);
    double s = 0;
    for (int i = 0; i < truth.length; i++) {
      s += Math.abs(truth[i] - predicted[i]);
    }
    return s / truth.length;
  }

  private static void check(double[] truth, double[] predicted) {
    if (truth.length == 0 || truth.length != predicted.length) {
      throw new IllegalArgumentException("need as many predictions as measurements (> 0)");
    }
  }
}
