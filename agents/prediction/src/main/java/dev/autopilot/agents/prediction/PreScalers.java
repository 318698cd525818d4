package dev.autopilot.agents.prediction;

import dev.autopilot.agents.prediction.model.ViolationModel;
import dev.autopilot.agents.prediction.policy.LearnedPolicySettings;
import dev.autopilot.agents.prediction.policy.LearnedPreScalePolicy;
import dev.autopilot.agents.prediction.policy.PreScalePolicy;
import dev.autopilot.agents.prediction.policy.PreScaler;
import dev.autopilot.agents.prediction.policy.PredictionSettings;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the prediction agent's pre-scale policy per pipeline ({@code
 * autopilot.prediction.policy}): {@code holt} gives the Holt-trend baseline; {@code learned} gives
 * the {@link LearnedPreScalePolicy} over the supplied model, features and forecaster, and falls
 * back to the baseline, with a log line saying why, when no model is loaded or the model does not
 * fit its feature pipeline. A cold start (no model, but the parts to learn one: {@link
 * LearnedComponents#coldStart}) gives a learned policy without a model, on which the baseline
 * decides until a first model is promoted.
 */
public final class PreScalers {
  private static final Logger LOG = LoggerFactory.getLogger(PreScalers.class);

  private PreScalers() {}

  /**
   * The policy factory the agent entities use (the argument is the pipeline id).
   *
   * @param settings the prediction settings
   * @param learned which policy, and the threshold override
   * @param components where the learned policy's parts come from
   */
  public static Function<String, PreScaler> factory(
      PredictionSettings settings, LearnedPolicySettings learned, LearnedComponents components) {
    if (learned.policy() == LearnedPolicySettings.Kind.HOLT) {
      LOG.info("prediction: pre-scale policy holt (autopilot.prediction.policy = holt)");
      return pipeline -> new PreScalePolicy(settings);
    }
    return pipeline -> create(pipeline, settings, learned, components);
  }

  private static PreScaler create(
      String pipeline,
      PredictionSettings settings,
      LearnedPolicySettings learned,
      LearnedComponents components) {
    Optional<ViolationModel> model = components.loadModel();
    if (model.isEmpty() && components.coldStart()) {
      LOG.info(
          "prediction {}: pre-scale policy learned, cold start: no violation model yet, the Holt"
              + " baseline decides until continuous learning promotes one",
          pipeline);
      return LearnedPreScalePolicy.coldStart(
          settings, learned, components.newFeatures(), components.newForecaster());
    }
    if (model.isEmpty()) {
      LOG.warn(
          "prediction {}: autopilot.prediction.policy = learned, but no violation model is loaded:"
              + " falling back to the Holt baseline (holt)",
          pipeline);
      return new PreScalePolicy(settings);
    }
    try {
      PreScaler policy =
          new LearnedPreScalePolicy(
              settings, learned, components.newFeatures(), model.get(), components.newForecaster());
      LOG.info(
          "prediction {}: pre-scale policy learned, violation model v{}",
          pipeline,
          model.get().version());
      return policy;
    } catch (IllegalArgumentException e) {
      LOG.warn(
          "prediction {}: the learned pre-scale policy cannot start ({}): falling back to the Holt"
              + " baseline (holt)",
          pipeline,
          e.getMessage());
      return new PreScalePolicy(settings);
    }
  }
}
