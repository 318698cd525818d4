package dev.autopilot.runtime.loop;

import com.typesafe.config.Config;
import dev.autopilot.agents.prediction.PredictionModelSettings;
import dev.autopilot.agents.prediction.features.SnapshotFeaturePipeline;
import dev.autopilot.agents.prediction.model.MlpCodec;
import dev.autopilot.agents.prediction.model.MlpTrainer;
import dev.autopilot.agents.prediction.model.MlpViolationModel;
import dev.autopilot.agents.prediction.model.PredictionModels;
import dev.autopilot.agents.prediction.model.ViolationModels;
import dev.autopilot.api.model.FitProgress;
import dev.autopilot.api.model.ModelRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root's one place that decides which learned forecaster the prediction agent gets
 * ({@link PredictionModels}): the 150-feature {@link SnapshotFeaturePipeline}, the pinned release
 * {@link MlpViolationModel} ({@code autopilot.prediction.models}: from the models directory, else
 * the release bundle on the classpath; each entity gets its own copy), the DJL {@link MlpTrainer}
 * for continuous learning and the {@link MlpCodec} that journals promoted models. Every node of a
 * cluster must wire the same parts. With {@code autopilot.prediction.models.enabled = false} it
 * answers {@link PredictionModels#NONE}: the Holt baseline alone. With {@code
 * autopilot.prediction.models.start = cold} it loads no release model but wires the feature
 * pipeline, trainer and codec: the agent starts on the Holt baseline and learns its first model.
 *
 * <p>A missing or corrupt pinned bundle fails here, before any entity runs, with the {@link
 * dev.autopilot.api.model.ModelException} naming the file: a node does not start on a model it
 * cannot verify.
 */
public final class PredictionModelsLoader {
  private static final Logger LOG = LoggerFactory.getLogger(PredictionModelsLoader.class);

  private PredictionModelsLoader() {}

  /** The prediction agent's learned forecaster parts for this node's configuration. */
  public static PredictionModels load(Config config) {
    PredictionModelSettings settings = PredictionModelSettings.create(config);
    if (!settings.enabled()) {
      LOG.info("prediction models disabled (autopilot.prediction.models.enabled = false)");
      return PredictionModels.NONE;
    }
    ModelRuntime.configureOffline();
    if (settings.start() == PredictionModelSettings.Start.COLD) {
      SnapshotFeaturePipeline probe = new SnapshotFeaturePipeline();
      LOG.info(
          "prediction models: cold start (autopilot.prediction.models.start = cold): no release"
              + " model; the Holt baseline decides until continuous learning promotes a model on"
              + " features {}",
          probe.schema());
      return new PredictionModels(
          SnapshotFeaturePipeline::new,
          null,
          MlpTrainer.forPipeline(probe, MlpTrainer.Options.defaults(), FitProgress.NONE),
          new MlpCodec());
    }
    MlpViolationModel release = ViolationModels.violationModel(settings.dir(), settings.version());
    SnapshotFeaturePipeline probe = new SnapshotFeaturePipeline();
    if (!probe.schema().equals(release.featureSchema()) || probe.size() != 150) {
      throw new IllegalStateException(
          "prediction model v"
              + settings.version()
              + " was trained on feature schema "
              + release.featureSchema()
              + ", this build computes "
              + probe.schema());
    }
    LOG.info(
        "prediction models: violation forecaster v{} ({}), threshold {}",
        release.version(),
        release.featureSchema(),
        release.threshold());
    return new PredictionModels(
        SnapshotFeaturePipeline::new,
        release::copy,
        MlpTrainer.forPipeline(probe, MlpTrainer.Options.defaults(), FitProgress.NONE),
        new MlpCodec());
  }
}
