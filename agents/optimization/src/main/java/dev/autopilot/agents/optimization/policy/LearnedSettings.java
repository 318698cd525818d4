package dev.autopilot.agents.optimization.policy;

import com.typesafe.config.Config;
import java.nio.file.Path;

/**
 * Settings of the learned optimizer in the loop, read once from {@code
 * autopilot.optimization.learned} (this module's {@code reference.conf} documents every key).
 * {@code enabled}, {@code dir} and {@code version} say which policy bundle the composition root
 * loads; the rest is the safety gate the agent applies to it.
 *
 * @param enabled false runs DS2 alone, exactly as without a learned policy
 * @param dir directory of policy bundles
 * @param version the pinned bundle version (never "the latest")
 * @param requireShadowWin true: the policy acts only once its shadow evaluation beats DS2; false is
 *     an operator override, journaled as such with the promotion
 * @param shadowIntervalTicks least ticks between two journaled shadow proposals
 * @param demoteAfterFailures live learned proposals rolled back or failed (since the promotion)
 *     after which the policy goes back to shadow; 0 never demotes
 */
public record LearnedSettings(
    boolean enabled,
    Path dir,
    int version,
    boolean requireShadowWin,
    int shadowIntervalTicks,
    int demoteAfterFailures) {

  public LearnedSettings {
    if (dir == null) {
      throw new IllegalArgumentException("autopilot.optimization.learned.dir is required");
    }
    if (version < 1) {
      throw new IllegalArgumentException(
          "autopilot.optimization.learned.version must be >= 1, was " + version);
    }
    if (shadowIntervalTicks < 1) {
      throw new IllegalArgumentException(
          "autopilot.optimization.learned.shadow-interval-ticks must be >= 1, was "
              + shadowIntervalTicks);
    }
    if (demoteAfterFailures < 0) {
      throw new IllegalArgumentException(
          "autopilot.optimization.learned.demote-after-failures must be >= 0, was "
              + demoteAfterFailures);
    }
  }

  /** Reads {@code autopilot.optimization.learned} from the (root) configuration. */
  public static LearnedSettings create(Config root) {
    Config c = root.getConfig("autopilot.optimization.learned");
    return new LearnedSettings(
        c.getBoolean("enabled"),
        Path.of(c.getString("dir")),
        c.getInt("version"),
        c.getBoolean("require-shadow-win"),
        c.getInt("shadow-interval-ticks"),
        c.getInt("demote-after-failures"));
  }

  /** A copy with the gate set (an experiment's or an operator's override). */
  public LearnedSettings withRequireShadowWin(boolean require) {
    return new LearnedSettings(
        enabled, dir, version, require, shadowIntervalTicks, demoteAfterFailures);
  }
}
