package dev.autopilot.agents.recovery.policy;

import java.util.function.Supplier;

/**
 * The learned models a {@link RecoveryPolicy} consults, loaded once per node from a pinned model
 * bundle. Either part may be absent: without an anomaly model the CUSUM/EWMA detector bank alone
 * gates incidents, without a cause model the rule table names the cause (the baselines).
 *
 * @param anomaly a fresh per-pipeline anomaly model for each call, or null
 * @param causes the shared cause model, or null
 * @param version the bundle version, for the audit trail ({@code none} without models)
 */
public record RecoveryModels(Supplier<AnomalyModel> anomaly, CauseModel causes, String version) {

  /** No learned model: the baseline detectors and rule table. */
  public static final RecoveryModels NONE = new RecoveryModels(null, null, "none");
}
