package dev.autopilot.agents.recovery.detect;

/** How a detector's exceedance of its own threshold becomes a vote score in [0, 1]. */
final class VoteScore {
  private VoteScore() {}

  /**
   * Maps an exceedance ratio (statistic over threshold, ≥ 0) to a score: {@code 1 - 2^-r}, so 0.5
   * at the threshold, 0.75 at twice it, 0.875 at three times.
   */
  static double ofRatio(double ratio) {
    if (!(ratio > 0)) {
      return 0;
    }
    return Math.min(1.0, 1.0 - Math.pow(2.0, -ratio));
  }
}
