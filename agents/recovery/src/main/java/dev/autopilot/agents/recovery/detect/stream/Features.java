package dev.autopilot.agents.recovery.detect.stream;

/** Sliding windows of a series (row t holds {@code v[t-w+1..t]}, oldest first). */
final class Features {
  private Features() {}

  /**
   * Held by the DJL detectors for all the work on one series (fits and inference): series scored
   * in parallel otherwise perturb each other's results through the engine's shared state. Each
   * fit also takes {@code Nets}' process-wide fit lock.
   */
  static final Object DJL_LOCK = new Object();

  /** Window ending at row t, or null when t < w - 1. */
  static double[] window(double[] v, int t, int w) {
    if (t < w - 1) {
      return null;
    }
    double[] x = new double[w];
    System.arraycopy(v, t - w + 1, x, 0, w);
    return x;
  }

  /** Mean and standard deviation (floored) of {@code v[from..to)}. */
  static double[] meanStd(double[] v, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += v[i];
    }
    double mean = s / Math.max(1, to - from);
    double q = 0;
    for (int i = from; i < to; i++) {
      q += (v[i] - mean) * (v[i] - mean);
    }
    double std = Math.sqrt(q / Math.max(1, to - from));
    double floor = 1e-3 * Math.max(1.0, Math.abs(mean));
    return new double[] {mean, Math.max(std, floor)};
  }

  /**
   * Deviation of the first differences in {@code v[from..to)}, floored at 1e-3 of {@code scale}.
   */
  static double[] diffStd(double[] v, int from, int to, double scale) {
    double s = 0;
    double q = 0;
    int n = 0;
    for (int i = from + 1; i < to; i++) {
      double d = v[i] - v[i - 1];
      s += d;
      q += d * d;
      n++;
    }
    double mean = s / Math.max(1, n);
    double std = Math.sqrt(Math.max(0, q / Math.max(1, n) - mean * mean));
    return new double[] {Math.max(std, 1e-3 * scale)};
  }
}
