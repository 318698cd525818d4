package dev.autopilot.agents.recovery;

import dev.autopilot.agents.recovery.detect.DetectorModels;
import dev.autopilot.agents.recovery.detect.EnsembleAnomalyModel;
import dev.autopilot.agents.recovery.detect.EnsembleSettings;
import dev.autopilot.agents.recovery.detect.IsolationForestDetector;
import dev.autopilot.agents.recovery.diagnosis.BayesCauseModel;
import dev.autopilot.agents.recovery.diagnosis.Diagnoser;
import dev.autopilot.agents.recovery.drift.HealthMonitor;
import dev.autopilot.agents.recovery.drift.HealthSettings;
import dev.autopilot.agents.recovery.learn.RecoveryPolicySelector;
import dev.autopilot.agents.recovery.policy.RecoveryModels;
import dev.autopilot.agents.recovery.policy.RecoverySettings;
import dev.autopilot.api.model.DistributionGuard;
import dev.autopilot.api.model.ModelBundle;
import dev.autopilot.api.model.ModelRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the recovery agent's pinned model bundle once per node, before the entities start (never
 * inside an actor's message handling). The cause network is shared; every pipeline entity gets its
 * own detector ensemble, read from the same verified bundle.
 */
public final class RecoveryModelsLoader {
  private static final Logger LOG = LoggerFactory.getLogger(RecoveryModelsLoader.class);

  private RecoveryModelsLoader() {}

  /**
   * The models the settings pin; when disabled, the baselines with the health monitor only.
   *
   * @throws dev.autopilot.api.model.ModelException when the pinned bundle is missing, corrupt or of
   *     another feature schema: the node does not start with a model it cannot trust
   */
  public static RecoveryModels load(
      RecoveryModelSettings models,
      RecoverySettings settings,
      EnsembleSettings ensemble,
      DistributionGuard.Settings guard,
      HealthSettings health) {
    double cusumH = settings.detector().cusumH();
    if (!models.enabled()) {
      LOG.info("recovery models disabled: CUSUM/EWMA detectors and the rule table");
      return new RecoveryModels(null, null, () -> new HealthMonitor(health, cusumH), null, "none");
    }
    ModelRuntime.configureOffline();
    ModelBundle bundle = ModelBundle.load(models.dir(), "recovery", models.version());
    Diagnoser diagnoser = Diagnoser.load(bundle);
    // load once now, so that a broken bundle fails the start rather than the first entity; the
    // forest it read is shared, read-only, by every entity of this node
    IsolationForestDetector forest;
    try (DetectorModels first = DetectorModels.load(bundle)) {
      forest = first.iforest();
    }
    LOG.info("recovery models v{} loaded from {}", bundle.version(), bundle.location());
    return new RecoveryModels(
        () -> new EnsembleAnomalyModel(DetectorModels.load(bundle, forest), ensemble, guard),
        new BayesCauseModel(diagnoser, settings, bundle.version()),
        () -> new HealthMonitor(health, cusumH),
        RecoveryPolicySelector.load(bundle, settings),
        "v" + bundle.version());
  }
}
