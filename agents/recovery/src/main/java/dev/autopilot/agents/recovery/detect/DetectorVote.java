package dev.autopilot.agents.recovery.detect;

/**
 * One detector's opinion of one tick.
 *
 * @param detector detector name ({@code iforest}, {@code autoencoder}, {@code lstm})
 * @param score anomaly score in [0, 1]; 0.5 at the detector's own threshold
 * @param vote whether the detector calls the tick anomalous
 */
public record DetectorVote(String detector, double score, boolean vote) {

  public DetectorVote {
    if (!(score >= 0 && score <= 1)) {
      throw new IllegalArgumentException(detector + " score must be in [0, 1], got " + score);
    }
  }

  /**
   * Maps an exceedance ratio (statistic over threshold, ≥ 0) to a score: {@code 1 - 2^-r}, so 0.5
   * at the threshold, 0.75 at twice it, 0.875 at three times.
   */
  static double score(double ratio) {
    if (!(ratio > 0)) {
      return 0;
    }
    return Math.min(1.0, 1.0 - Math.pow(2.0, -ratio));
  }
}
