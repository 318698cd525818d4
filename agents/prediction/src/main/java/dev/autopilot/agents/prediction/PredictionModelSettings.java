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
 * @param start what the agent starts from: the pinned release model, or no model at all (cold: the
 *     Holt baseline decides and the agent learns its first model from its own labelled ticks)
 */
public record PredictionModelSettings(boolean enabled, Path dir, int version, Start start) {

  /** What the prediction agent starts from ({@code autopilot.prediction.models.start}). */
  public enum Start {
    /** The pinned release bundle. */
    RELEASE,
    /** No model: the Holt baseline until continuous learning promotes a first model. */
    COLD;

    /** The value of a configuration name ({@code release} or {@code cold}). */
    public static Start parse(String name) {
      for (Start s : values()) {
        if (s.name().equalsIgnoreCase(name)) {
          return s;
        }
      }
      throw new IllegalArgumentException(
          "autopilot.prediction.models.start must be release or cold, was '" + name + "'");
    }
  }

  /** Settings that start from the pinned release model. */
  public PredictionModelSettings(boolean enabled, Path dir, int version) {
    this(enabled, dir, version, Start.RELEASE);
  }

  public PredictionModelSettings {
    if (version < 1) {
      throw new IllegalArgumentException(
          "autopilot.prediction.models.version must be >= 1, was " + version);
    }
    if (start == null) {
      throw new IllegalArgumentException("autopilot.prediction.models.start is missing");
    }
  }

  /** Reads {@code autopilot.prediction.models} from a full configuration. */
  public static PredictionModelSettings create(Config root) {
    Config c = root.getConfig("autopilot.prediction.models");
    return new PredictionModelSettings(
        c.getBoolean("enabled"),
        Path.of(c.getString("dir")),
        c.getInt("version"),
        Start.parse(c.getString("start")));
  }
}
