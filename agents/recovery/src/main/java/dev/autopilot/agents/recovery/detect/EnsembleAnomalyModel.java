package dev.autopilot.agents.recovery.detect;

import dev.autopilot.agents.recovery.policy.AnomalyModel;
import dev.autopilot.api.TelemetrySnapshot;

/**
 * The detector ensemble as the recovery policy's {@link AnomalyModel}: one per pipeline entity. It
 * owns its copy of the models (the autoencoder and forecaster hold DJL predictors, which are not
 * thread-safe) and closes them with itself.
 */
public final class EnsembleAnomalyModel implements AnomalyModel {
  private final DetectorModels models;
  private final DetectorEnsemble ensemble;

  public EnsembleAnomalyModel(DetectorModels models, EnsembleSettings settings) {
    this.models = models;
    this.ensemble = models.newEnsemble(settings);
  }

  @Override
  public Verdict observe(TelemetrySnapshot s) {
    EnsembleVerdict v = ensemble.evaluate(s);
    return new Verdict(v.votes(), v.anomaly(), v.weightedScore());
  }

  @Override
  public void close() {
    models.close();
  }
}
