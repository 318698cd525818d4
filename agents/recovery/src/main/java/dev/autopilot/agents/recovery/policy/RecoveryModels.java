package dev.autopilot.agents.recovery.policy;

import java.util.function.Supplier;

/**
 * The learned models and streaming monitors a {@link RecoveryPolicy} consults, loaded once per
 * node. Any part may be absent: without an anomaly model the CUSUM/EWMA detector bank alone gates
 * incidents, without a cause model the rule table names the cause, without a health model no health
 * index is reported (the baselines).
 *
 * @param anomaly a fresh per-pipeline anomaly model for each call, or null
 * @param causes the shared cause model, or null
 * @param health a fresh per-pipeline health model for each call, or null
 * @param chooser the shared recovery action chooser (the learned policy or the ladder), or null for
 *     the fixed ladder
 * @param version the bundle version, for the audit trail ({@code none} without models)
 */
public record RecoveryModels(
    Supplier<AnomalyModel> anomaly,
    CauseModel causes,
    Supplier<HealthModel> health,
    RecoveryActionChooser chooser,
    String version) {

  /** No learned model: the baseline detectors, rule table and fixed ladder. */
  public static final RecoveryModels NONE = new RecoveryModels(null, null, null, null, "none");

  /** These models with another chooser. */
  public RecoveryModels withChooser(RecoveryActionChooser c) {
    return new RecoveryModels(anomaly, causes, health, c, version);
  }
}
