package dev.autopilot.runtime.loop;

import com.typesafe.config.Config;
import dev.autopilot.agents.prediction.model.PredictionModels;

/**
 * The composition root's one place that decides which learned forecaster the prediction agent gets:
 * the feature pipeline, the pinned release model, the trainer and the model codec ({@link
 * PredictionModels}). Every node of a cluster must wire the same parts.
 *
 * <p>Today no implementation of the seams ships in this module's dependencies, so it answers {@link
 * PredictionModels#NONE}: the prediction agent runs the Holt baseline alone, and learns nothing.
 * Wiring the real parts replaces the body of {@link #load} (feature pipeline constructor, release
 * model loaded once from its bundle and copied per entity, trainer, codec).
 */
public final class PredictionModelsLoader {
  private PredictionModelsLoader() {}

  /** The prediction agent's learned forecaster parts for this node's configuration. */
  public static PredictionModels load(Config config) {
    return PredictionModels.NONE;
  }
}
