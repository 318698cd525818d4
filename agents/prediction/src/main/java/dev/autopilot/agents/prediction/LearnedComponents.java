package dev.autopilot.agents.prediction;

import dev.autopilot.agents.prediction.forecast.DemandForecaster;
import dev.autopilot.agents.prediction.model.FeaturePipeline;
import dev.autopilot.agents.prediction.model.PredictionModels;
import dev.autopilot.agents.prediction.model.ViolationModel;
import dev.autopilot.agents.prediction.policy.HoltForecaster;
import dev.autopilot.agents.prediction.policy.PredictionSettings;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where the learned pre-scale policy gets its parts, one set per pipeline entity: the composition
 * root supplies the loaded violation model, the feature pipeline it was trained on, and the demand
 * forecaster. Each call returns a fresh instance (the parts are stateful and not thread-safe).
 */
public interface LearnedComponents {

  /** A fresh instance of the pinned violation model, empty while none is loaded. */
  Optional<ViolationModel> loadModel();

  /** A fresh feature pipeline on the model's schema. */
  FeaturePipeline newFeatures();

  /** A fresh demand forecaster. */
  DemandForecaster newForecaster();

  /**
   * Whether, without a model, the learned policy starts cold (feature pipeline and forecaster
   * running, the Holt baseline deciding until continuous learning promotes a first model) rather
   * than being replaced by the baseline for good.
   */
  default boolean coldStart() {
    return false;
  }

  /**
   * The learned policy's parts from the agent's {@link PredictionModels} (the same feature pipeline
   * and release model the agent scores and learns with) and a demand forecaster; without features
   * it is {@link #none}. Without a release model but with the parts to learn ({@link
   * PredictionModels#canLearn}, {@code autopilot.prediction.models.start = cold}) it loads no model
   * and {@link #coldStart starts cold}; without either it is {@link #none}.
   */
  static LearnedComponents of(
      PredictionModels models, Supplier<DemandForecaster> forecaster, PredictionSettings settings) {
    if (!models.hasFeatures() || (models.release() == null && !models.canLearn())) {
      return none(settings);
    }
    boolean cold = models.release() == null;
    return new LearnedComponents() {
      @Override
      public Optional<ViolationModel> loadModel() {
        return cold ? Optional.empty() : Optional.ofNullable(models.release().get());
      }

      @Override
      public boolean coldStart() {
        return cold;
      }

      @Override
      public FeaturePipeline newFeatures() {
        return models.features().get();
      }

      @Override
      public DemandForecaster newForecaster() {
        return forecaster.get();
      }
    };
  }

  /** No model loaded: the learned policy falls back to the Holt baseline. */
  static LearnedComponents none(PredictionSettings settings) {
    return new LearnedComponents() {
      @Override
      public Optional<ViolationModel> loadModel() {
        return Optional.empty();
      }

      @Override
      public FeaturePipeline newFeatures() {
        throw new IllegalStateException("no violation model is loaded, so no feature pipeline");
      }

      @Override
      public DemandForecaster newForecaster() {
        return holtForecaster(settings);
      }
    };
  }

  /** Holt's linear trend as the demand forecaster, with the baseline's smoothing and window. */
  static DemandForecaster holtForecaster(PredictionSettings settings) {
    return new HoltForecaster(
        settings.alpha(), settings.beta(), settings.windowTicks(), settings.minObservations());
  }
}
