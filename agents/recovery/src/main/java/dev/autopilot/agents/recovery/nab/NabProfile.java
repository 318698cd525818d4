package dev.autopilot.agents.recovery.nab;

import java.util.List;

/**
 * One NAB application profile: the weights of its cost matrix ({@code config/profiles.json} of the
 * Numenta Anomaly Benchmark). The true-negative weight is not used by NAB's scorer and is left out.
 *
 * @param name profile name as NAB spells it
 * @param tpWeight reward for the earliest detection in a window (at the window's left edge)
 * @param fpWeight penalty for a detection outside any window (scaled by distance to the window)
 * @param fnWeight penalty for a window without any detection
 */
public record NabProfile(String name, double tpWeight, double fpWeight, double fnWeight) {

  /** NAB's {@code standard} profile. */
  public static final NabProfile STANDARD = new NabProfile("standard", 1.0, 0.11, 1.0);

  /** NAB's {@code reward_low_FP_rate} profile. */
  public static final NabProfile REWARD_LOW_FP_RATE =
      new NabProfile("reward_low_FP_rate", 1.0, 0.22, 1.0);

  /** NAB's {@code reward_low_FN_rate} profile. */
  public static final NabProfile REWARD_LOW_FN_RATE =
      new NabProfile("reward_low_FN_rate", 1.0, 0.11, 2.0);

  /** The three profiles in NAB's reporting order. */
  public static final List<NabProfile> ALL =
      List.of(STANDARD, REWARD_LOW_FP_RATE, REWARD_LOW_FN_RATE);

  public NabProfile {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("profile name must not be blank");
    }
    if (!(tpWeight > 0) || !(fpWeight >= 0) || !(fnWeight >= 0)) {
      throw new IllegalArgumentException(
          "profile " + name + ": weights must be tp > 0, fp >= 0, fn >= 0");
    }
  }
}
