package dev.autopilot.agents.recovery.policy;

/**
 * How badly an open incident hurts the pipeline right now, in three buckets: from the throughput
 * deficit against the pre-incident level and the p99 latency over its pre-incident level. Part of
 * the state a {@link RecoveryActionChooser} decides on.
 */
public enum Severity {
  /** Throughput within 15 % of its level and p99 below 1.5 times its level. */
  LOW,
  /** A throughput deficit of 15-50 % or p99 1.5-4 times its level. */
  MEDIUM,
  /** A throughput deficit of 50 % or more, or p99 at least 4 times its level. */
  HIGH;

  /** Deficit at or above which the severity is at least MEDIUM. */
  public static final double MEDIUM_DEFICIT = 0.15;

  /** Deficit at or above which the severity is HIGH. */
  public static final double HIGH_DEFICIT = 0.5;

  /** Latency ratio at or above which the severity is at least MEDIUM. */
  public static final double MEDIUM_LATENCY_RATIO = 1.5;

  /** Latency ratio at or above which the severity is HIGH. */
  public static final double HIGH_LATENCY_RATIO = 4.0;

  /**
   * The bucket of a deficit and a latency ratio.
   *
   * @param throughputDeficit {@code 1 - current / baseline} throughput (negative when above)
   * @param latencyRatio current p99 over the baseline p99
   */
  public static Severity of(double throughputDeficit, double latencyRatio) {
    double d = Double.isNaN(throughputDeficit) ? 0 : throughputDeficit;
    double l = Double.isNaN(latencyRatio) ? 1 : latencyRatio;
    if (d >= HIGH_DEFICIT || l >= HIGH_LATENCY_RATIO) {
      return HIGH;
    }
    if (d >= MEDIUM_DEFICIT || l >= MEDIUM_LATENCY_RATIO) {
      return MEDIUM;
    }
    return LOW;
  }

  /**
   * The bucket of current against baseline throughput and latency; a baseline that is not positive
   * counts as no deficit (or no rise).
   */
  public static Severity of(
      double throughput, double baselineThroughput, double latencyP99Ms, double baselineP99Ms) {
    double deficit = baselineThroughput > 0 ? 1 - throughput / baselineThroughput : 0;
    double ratio = baselineP99Ms > 0 ? latencyP99Ms / baselineP99Ms : 1;
    return of(deficit, ratio);
  }
}
