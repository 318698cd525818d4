package dev.autopilot.agents.prediction.features;

/**
 * Labels of the violation forecaster: the row of tick {@code t} is positive when the SLA is
 * violated at any tick in {@code t+1 .. t+horizon}. Pure.
 */
public final class ViolationLabels {

  /** The forecaster's horizon: 30 ticks, 5 minutes at 10 s. */
  public static final int HORIZON = 30;

  private ViolationLabels() {}

  /**
   * Labels every tick whose whole horizon lies in the sequence.
   *
   * @param violated whether the SLA was violated at each tick, in tick order
   * @param horizon ticks ahead, at least 1
   * @return one label per tick {@code 0 .. violated.length - horizon - 1} (empty when the sequence
   *     is not longer than the horizon)
   */
  public static boolean[] label(boolean[] violated, int horizon) {
    if (horizon < 1) {
      throw new IllegalArgumentException("horizon must be >= 1, got " + horizon);
    }
    int n = Math.max(0, violated.length - horizon);
    boolean[] out = new boolean[n];
    // next violation at or after each tick, scanned backwards
    int next = Integer.MAX_VALUE;
    for (int t = violated.length - 1; t >= 0; t--) {
      if (t < n) {
        out[t] = next <= t + horizon;
      }
      if (violated[t]) {
        next = t;
      }
    }
    return out;
  }
}
