package dev.autopilot.agents.prediction;

import com.typesafe.config.Config;
import java.nio.file.Path;

/**
 * Which trained violation forecaster the prediction agent starts from ({@code
 * autopilot.prediction.models}).
 *
 * @param enabled false runs the Holt baseline alone: no model, no learning
 * @param dir directory of model bundles; the pinned version is looked up there first, then on the
 *     classpath (the release bundle)
 * @param version the pinned bundle version; production never loads "the latest"
 */
public record PredictionModelSettings(boolean enabled, Path dir, int version) {

  public PredictionModelSettings {
    if (version < 1) {
      throw new IllegalArgumentException(
          "autopilot.prediction.models.version must be >= 1, was " + version);
    }
  }

  /** Reads {@code autopilot.prediction.models} from a full configuration. */
  public static PredictionModelSettings create(Config root) {
    Config c = root.getConfig("autopilot.prediction.models");
    return new PredictionModelSettings(
        c.getBoolean("enabled"), Path.of(c.getString("dir")), c.getInt("version"));
  }
}
