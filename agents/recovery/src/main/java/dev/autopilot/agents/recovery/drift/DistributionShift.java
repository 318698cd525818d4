package dev.autopilot.agents.recovery.drift;

import java.util.Arrays;

/**
 * Distribution shift between a reference window and a current window of one variable: KL divergence
 * and the population stability index (PSI) over a histogram whose bins are fixed from the reference
 * (its quantiles, so each bin holds about the same share of reference values; the outer bins are
 * open-ended). Empty bins get a probability floor {@code epsilon}, then each histogram is
 * renormalised, so both measures stay finite.
 *
 * <pre>
 *   KL(ref || cur) = sum_i p_i ln(p_i / q_i)
 *   PSI           = sum_i (q_i - p_i) ln(q_i / p_i)
 * </pre>
 *
 * PSI below 0.1 is conventionally read as stable, 0.1-0.25 as a moderate shift, above 0.25 as a
 * significant one. Immutable.
 */
public final class DistributionShift {

  /** PSI reading. */
  public enum Level {
    STABLE,
    MODERATE,
    SIGNIFICANT
  }

  private final double[] edges;
  private final double[] reference;
  private final double epsilon;

  private DistributionShift(double[] edges, double[] reference, double epsilon) {
    this.edges = edges;
    this.reference = reference;
    this.epsilon = epsilon;
  }

  /**
   * Fixes the bins from a reference window.
   *
   * @param referenceWindow reference values (at least 2, finite)
   * @param bins number of bins (at least 2); fewer when the reference has ties at quantiles
   * @param epsilon probability floor of an empty bin (for example 1e-4)
   */
  public static DistributionShift fromReference(
      double[] referenceWindow, int bins, double epsilon) {
    if (referenceWindow.length < 2) {
      throw new IllegalArgumentException(
          "the reference window needs at least 2 values, got " + referenceWindow.length);
    }
    if (bins < 2) {
      throw new IllegalArgumentException("need at least 2 bins, got " + bins);
    }
    if (!(epsilon > 0 && epsilon < 1.0 / bins)) {
      throw new IllegalArgumentException("epsilon must be in (0, 1/bins), got " + epsilon);
    }
    for (double v : referenceWindow) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("reference values must be finite, got " + v);
      }
    }
    double[] sorted = referenceWindow.clone();
    Arrays.sort(sorted);
    double[] inner = new double[bins - 1];
    int k = 0;
    for (int i = 1; i < bins; i++) {
      double q =
          sorted[(int) Math.min(sorted.length - 1, Math.floor(i * sorted.length / (double) bins))];
      if (k == 0 || q > inner[k - 1]) {
        inner[k++] = q;
      }
    }
    double[] edges = Arrays.copyOf(inner, k);
    DistributionShift shell = new DistributionShift(edges, null, epsilon);
    return new DistributionShift(edges, shell.probabilities(referenceWindow), epsilon);
  }

  /** Number of bins. */
  public int bins() {
    return edges.length + 1;
  }

  /** Smoothed bin probabilities of a window under these bins. */
  public double[] probabilities(double[] window) {
    if (window.length == 0) {
      throw new IllegalArgumentException("the current window is empty");
    }
    double[] c = new double[edges.length + 1];
    for (double v : window) {
      if (Double.isNaN(v)) {
        throw new IllegalArgumentException("window values must not be NaN");
      }
      int i = Arrays.binarySearch(edges, v);
      // Values equal to an edge go to the bin above it; below the first edge to bin 0.
      int bin = i >= 0 ? i + 1 : -i - 1;
      c[bin]++;
    }
    double sum = 0;
    for (int i = 0; i < c.length; i++) {
      c[i] = Math.max(c[i] / window.length, epsilon);
      sum += c[i];
    }
    for (int i = 0; i < c.length; i++) {
      c[i] /= sum;
    }
    return c;
  }

  /** KL(reference || current), nats. */
  public double kl(double[] currentWindow) {
    double[] q = probabilities(currentWindow);
    double d = 0;
    for (int i = 0; i < q.length; i++) {
      d += reference[i] * Math.log(reference[i] / q[i]);
    }
    return Math.max(0, d);
  }

  /** Population stability index of the current window against the reference. */
  public double psi(double[] currentWindow) {
    double[] q = probabilities(currentWindow);
    double d = 0;
    for (int i = 0; i < q.length; i++) {
      d += (q[i] - reference[i]) * Math.log(q[i] / reference[i]);
    }
    return Math.max(0, d);
  }

  /** Conventional reading of a PSI value. */
  public static Level level(double psi, double moderate, double significant) {
    if (psi >= significant) {
      return Level.SIGNIFICANT;
    }
    return psi >= moderate ? Level.MODERATE : Level.STABLE;
  }

  /** PSI as a score in [0, 1]: PSI over the significant level, capped at 1. */
  public static double psiScore(double psi, double significant) {
    return Math.min(1, Math.max(0, psi / significant));
  }

  /** KL as a score in [0, 1]: {@code 1 - exp(-KL)}. */
  public static double klScore(double kl) {
    return 1 - Math.exp(-Math.max(0, kl));
  }
}
