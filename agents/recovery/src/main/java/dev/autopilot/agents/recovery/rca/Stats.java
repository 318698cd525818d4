package dev.autopilot.agents.recovery.rca;

import java.util.Arrays;

/** NaN-aware statistics over small arrays. */
final class Stats {

  private Stats() {}

  /** Median of the non-NaN values; NaN when there are none. */
  static double median(double[] x) {
    double[] v = Arrays.stream(x).filter(d -> !Double.isNaN(d)).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    int m = v.length / 2;
    return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
  }

  /** Mean of the non-NaN values; NaN when there are none. */
  static double mean(double[] x) {
    double s = 0;
    int n = 0;
    for (double d : x) {
      if (!Double.isNaN(d)) {
        s += d;
        n++;
      }
    }
    return n == 0 ? Double.NaN : s / n;
  }

  /** Largest non-NaN value; NaN when there are none. */
  static double max(double[] x) {
    double m = Double.NaN;
    for (double d : x) {
      if (!Double.isNaN(d) && (Double.isNaN(m) || d > m)) {
        m = d;
      }
    }
    return m;
  }

  /** Median absolute deviation scaled to a normal standard deviation (1.4826 MAD). */
  static double robustSigma(double[] x) {
    double med = median(x);
    double[] dev = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      dev[i] = Math.abs(x[i] - med);
    }
    return 1.4826 * median(dev);
  }

  /** The values where {@code mask} is {@code want}. */
  static double[] select(double[] x, boolean[] mask, boolean want) {
    int n = 0;
    for (boolean b : mask) {
      n += b == want ? 1 : 0;
    }
    double[] out = new double[n];
    int j = 0;
    for (int i = 0; i < x.length; i++) {
      if (mask[i] == want) {
        out[j++] = x[i];
      }
    }
    return out;
  }
}
