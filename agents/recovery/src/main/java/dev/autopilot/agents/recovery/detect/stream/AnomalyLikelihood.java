package dev.autopilot.agents.recovery.detect.stream;

import java.util.ArrayDeque;

/**
 * Turns a stream of raw anomaly scores into a calibrated probability-like score, after Numenta's
 * anomaly likelihood: the short-term mean of the raw score (last {@code shortWindow} values) is
 * compared with the Gaussian fitted to the long-term history of that mean (last {@code
 * historyWindow} values, re-estimated every {@code reestimatePeriod} rows); the likelihood is
 * {@code 1 - Q(z)}, the Gaussian's upper tail. Scores that are not yet defined (NaN raw scores, or
 * fewer than {@code minSamples} history values) give 0.5.
 *
 * <p>Because every series is judged against its own history, one threshold on the likelihood works
 * across series of very different scales and noise levels. Stateful, not thread-safe.
 *
 * @param shortWindow raw scores averaged into the short-term mean
 * @param historyWindow short-term means kept for the long-term distribution
 * @param minSamples short-term means needed before estimating
 * @param reestimatePeriod rows between two estimates
 * @param minMean lower bound of the distribution's mean
 * @param minStd lower bound of the distribution's standard deviation
 */
public record AnomalyLikelihood(
    int shortWindow,
    int historyWindow,
    int minSamples,
    int reestimatePeriod,
    double minMean,
    double minStd) {

  /** Numenta's settings: averaging 10, history 8640, 100 samples, re-estimate every 100 rows. */
  public static AnomalyLikelihood numenta() {
    return new AnomalyLikelihood(10, 8640, 100, 100, 0.03, Math.sqrt(0.0003));
  }

  /** Likelihoods {@code 1 - tail} of a raw score series, one per row, causal. */
  public double[] likelihoods(double[] raw) {
    double[] s = surprises(raw);
    double[] out = new double[s.length];
    for (int t = 0; t < s.length; t++) {
      out[t] = 1 - Math.pow(10, -s[t]);
    }
    return out;
  }

  /**
   * Surprise {@code -log10(tail)} of a raw score series, one per row, causal: log10(2) = 0.301 when
   * undefined or at the mean, 5 for a tail probability of 1e-5. Unlike the likelihood it does not
   * saturate in double precision, so rows stay ranked however extreme they are.
   */
  public double[] surprises(double[] raw) {
    double[] out = new double[raw.length];
    ArrayDeque<Double> recent = new ArrayDeque<>();
    double recentSum = 0;
    double[] history = new double[historyWindow];
    int histCount = 0;
    int histHead = 0;
    double mean = Double.NaN;
    double std = Double.NaN;
    int sinceEstimate = 0;
    for (int t = 0; t < raw.length; t++) {
      double r = raw[t];
      if (Double.isNaN(r)) {
        out[t] = LOG10_2;
        continue;
      }
      recent.addLast(r);
      recentSum += r;
      if (recent.size() > shortWindow) {
        recentSum -= recent.removeFirst();
      }
      double avg = recentSum / recent.size();
      if (Double.isNaN(mean) ? histCount >= minSamples : sinceEstimate >= reestimatePeriod) {
        double s = 0;
        int n = Math.min(histCount, historyWindow);
        for (int i = 0; i < n; i++) {
          s += history[i];
        }
        mean = s / n;
        double q = 0;
        for (int i = 0; i < n; i++) {
          q += (history[i] - mean) * (history[i] - mean);
        }
        std = Math.max(Math.sqrt(q / n), minStd);
        mean = Math.max(mean, minMean);
        sinceEstimate = 0;
      }
      out[t] = Double.isNaN(mean) ? LOG10_2 : -logTail(avg, mean, std) / Math.log(10);
      history[histHead] = avg;
      histHead = (histHead + 1) % historyWindow;
      histCount++;
      sinceEstimate++;
    }
    return out;
  }

  private static final double LOG10_2 = Math.log10(2);

  /** Natural log of the upper-tail probability of N(mean, std) at x, stable far in the tail. */
  static double logTail(double x, double mean, double std) {
    if (x <= mean) {
      return Math.log(tail(x, mean, std));
    }
    return Math.log(0.5) + logErfc((x - mean) / std / Math.sqrt(2));
  }

  /** Natural log of erfc(x) for x >= 0 (same Chebyshev fit as {@link #erfc}). */
  static double logErfc(double z) {
    double t = 1.0 / (1.0 + 0.5 * z);
    return Math.log(t) - z * z + poly(t);
  }

  private static double poly(double t) {
    return -1.26551223
        + t
            * (1.00002368
                + t
                    * (0.37409196
                        + t
                            * (0.09678418
                                + t
                                    * (-0.18628806
                                        + t
                                            * (0.27886807
                                                + t
                                                    * (-1.13520398
                                                        + t
                                                            * (1.48851587
                                                                + t
                                                                    * (-0.82215223
                                                                        + t * 0.17087277))))))));
  }

  /** Upper-tail probability of N(mean, std) at x; 0.5 and above for x at or below the mean. */
  static double tail(double x, double mean, double std) {
    if (x <= mean) {
      return 0.5 + 0.5 * (1 - erfc((mean - x) / std / Math.sqrt(2)));
    }
    return 0.5 * erfc((x - mean) / std / Math.sqrt(2));
  }

  /** Complementary error function (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7). */
  static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1.0 / (1.0 + 0.5 * z);
    double r = t * Math.exp(-z * z + poly(t));
    return x >= 0 ? r : 2 - r;
  }
}
