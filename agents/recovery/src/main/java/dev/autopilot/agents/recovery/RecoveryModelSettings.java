package dev.autopilot.agents.recovery;

import com.typesafe.config.Config;
import java.nio.file.Path;

/**
 * Which trained models the recovery agent uses ({@code autopilot.recovery.models}).
 *
 * @param enabled false runs the baseline policy (CUSUM/EWMA detectors and the rule table)
 * @param dir directory of model bundles; the pinned version is looked up there first, then on the
 *     classpath (the release bundle)
 * @param version the pinned bundle version; production never loads "the latest"
 */
public record RecoveryModelSettings(boolean enabled, Path dir, int version) {

  public RecoveryModelSettings {
    if (version < 1) {
      throw new IllegalArgumentException("autopilot.recovery.models.version must be >= 1, was " + version);
    }
  }

  /** Reads {@code autopilot.recovery.models} from a full configuration. */
  public static RecoveryModelSettings create(Config root) {
    Config c = root.getConfig("autopilot.recovery.models");
    return new RecoveryModelSettings(
        c.getBoolean("enabled"), Path.of(c.getString("dir")), c.getInt("version"));
  }
}
