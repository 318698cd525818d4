package dev.autopilot.agents.recovery.drift;

import dev.autopilot.agents.recovery.policy.Cusum;

/**
 * The recovery policy's two-sided {@link Cusum} as a detector score in [0, 1] for the health index:
 * the larger cumulative sum over the decision threshold {@code h}, 1 on the sample that alarms (the
 * chart resets after an alarm). Adds no statistics of its own.
 */
public final class CusumScore {

  private final Cusum cusum;
  private final double h;
  private double last;

  /**
   * @param cusum the chart (owned by this wrapper from now on)
   * @param h the chart's decision threshold, in standard deviations
   */
  public CusumScore(Cusum cusum, double h) {
    if (!(h > 0)) {
      throw new IllegalArgumentException("h must be > 0, got " + h);
    }
    this.cusum = cusum;
    this.h = h;
  }

  /** Feeds one sample (learning allowed) and returns its score. */
  public double update(double x) {
    Cusum.Alarm a = cusum.update(x, true);
    last = a != Cusum.Alarm.NONE ? 1 : Math.min(1, Math.max(cusum.upper(), cusum.lower()) / h);
    return last;
  }

  /** Score of the last sample. */
  public double score() {
    return last;
  }

  /** The wrapped chart. */
  public Cusum cusum() {
    return cusum;
  }
}
