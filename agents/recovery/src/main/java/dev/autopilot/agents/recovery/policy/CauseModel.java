package dev.autopilot.agents.recovery.policy;

import dev.autopilot.api.Diagnostics;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.List;

/**
 * A learned root-cause model (the Bayesian network): ranks failure modes from the symptoms of a
 * tick. Immutable and thread-safe: one instance is shared by every pipeline.
 */
public interface CauseModel {

  /**
   * The most probable causes of the current symptoms.
   *
   * @param symptoms the tick's symptoms
   * @param bank the detector bank, updated with this tick (for observations beyond the symptoms)
   * @param s the tick's snapshot
   * @return at most 3 causes with their posteriors given that a fault is present, best first
   */
  List<Diagnostics.CauseEstimate> rank(Symptoms symptoms, DetectorBank bank, TelemetrySnapshot s);

  /** A short description for the audit trail, e.g. {@code bayes-net v3}. */
  String describe();
}
