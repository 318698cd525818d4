package dev.autopilot.agents.recovery.diagnosis;

import dev.autopilot.agents.recovery.policy.CauseModel;
import dev.autopilot.agents.recovery.policy.DetectorBank;
import dev.autopilot.agents.recovery.policy.RecoverySettings;
import dev.autopilot.agents.recovery.policy.Symptoms;
import dev.autopilot.api.Diagnostics;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * The learned root-cause network as the recovery policy's {@link CauseModel}: exact inference over
 * the tick's observation, the top 3 failure modes with their posteriors renormalised over the
 * fault states (the probability of each mode given that some fault is present). Thread-safe.
 */
public final class BayesCauseModel implements CauseModel {
  private final Diagnoser diagnoser;
  private final RecoverySettings settings;
  private final String description;

  /**
   * @param diagnoser the loaded network
   * @param settings the policy settings the observation is read with
   * @param version the bundle version, for the audit trail
   */
  public BayesCauseModel(Diagnoser diagnoser, RecoverySettings settings, int version) {
    this.diagnoser = diagnoser;
    this.settings = settings;
    this.description = "bayes-net v" + version;
  }

  @Override
  public List<Diagnostics.CauseEstimate> rank(
      Symptoms symptoms, DetectorBank bank, TelemetrySnapshot s) {
    Diagnosis d = diagnoser.rank(Observation.of(symptoms, bank, settings, s));
    double faulty = 1 - d.healthy();
    List<Diagnostics.CauseEstimate> out = new ArrayList<>(d.top().size());
    for (Diagnosis.RankedCause r : d.top()) {
      double p = faulty > 1e-12 ? r.posterior() / faulty : 0;
      out.add(new Diagnostics.CauseEstimate(r.mode(), Math.min(1, p)));
    }
    return out;
  }

  @Override
  public String describe() {
    return description;
  }
}
