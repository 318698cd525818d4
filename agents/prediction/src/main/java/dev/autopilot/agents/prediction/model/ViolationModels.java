package dev.autopilot.agents.prediction.model;

import dev.autopilot.api.model.ModelBundle;
import java.nio.file.Path;

/**
 * Loads the prediction agent's trained models from a pinned bundle version: from the models
 * directory when it holds that version, else from the release bundle on the classpath ({@code
 * models/prediction/v<N>/}).
 */
public final class ViolationModels {

  /** Model family of the prediction agent's bundle. */
  public static final String FAMILY = "prediction";

  private ViolationModels() {}

  /**
   * The violation forecaster of a bundle version.
   *
   * @param modelsDir directory of bundles, or null for the classpath only
   * @param version pinned bundle version
   * @throws dev.autopilot.api.model.ModelException when the bundle or component is missing or
   *     corrupt
   */
  public static MlpViolationModel violationModel(Path modelsDir, int version) {
    return MlpViolationModel.load(
        ModelBundle.load(modelsDir, FAMILY, version), MlpViolationModel.COMPONENT);
  }
}
