package dev.autopilot.agents.recovery.detect;

import dev.autopilot.agents.recovery.policy.AnomalyModel;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.model.DistributionGuard;

/**
 * The detector ensemble as the recovery policy's {@link AnomalyModel}: one per pipeline entity. It
 * owns its copy of the models (the autoencoder and forecaster hold DJL predictors, which are not
 * thread-safe) and closes them with itself.
 */
public final class EnsembleAnomalyModel implements AnomalyModel {
  private final DetectorModels models;
  private final DetectorEnsemble ensemble;
  private final DistributionGuard guard;

  /**
   * @param models this pipeline's copy of the detector models
   * @param settings the voting rules
   * @param guard the out-of-distribution guard's settings
   */
  public EnsembleAnomalyModel(
      DetectorModels models, EnsembleSettings settings, DistributionGuard.Settings guard) {
    this.models = models;
    this.ensemble = models.newEnsemble(settings);
    this.guard = new DistributionGuard(guard);
  }

  @Override
  public Verdict observe(TelemetrySnapshot s) {
    EnsembleVerdict v = ensemble.evaluate(s);
    guard.observe(v.weightedScore());
    return new Verdict(
        v.votes(),
        v.anomaly(),
        v.weightedScore(),
        guard.reason().map(r -> "ensemble out of distribution: " + r).orElse(null));
  }

  @Override
  public void close() {
    models.close();
  }
}
