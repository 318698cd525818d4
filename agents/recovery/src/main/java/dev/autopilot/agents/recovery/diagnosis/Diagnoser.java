package dev.autopilot.agents.recovery.diagnosis;

import dev.autopilot.api.model.ModelBundle;
import dev.autopilot.api.model.ModelException;
import dev.autopilot.agents.recovery.policy.DetectorBank;
import dev.autopilot.agents.recovery.policy.RecoverySettings;
import dev.autopilot.agents.recovery.policy.Symptoms;
import java.io.InputStream;

/**
 * Diagnoses the root cause of a tick's symptoms with the learned root-cause network of a model
 * bundle (component {@value #COMPONENT}). Stateless and thread-safe; one exact inference per call
 * (plus one per abnormal observation when the drivers are asked for).
 */
public final class Diagnoser {
  /** The bundle component holding the network. */
  public static final String COMPONENT = "diagnosis";

  private final RootCauseModel model;

  public Diagnoser(RootCauseModel model) {
    this.model = model;
  }

  /**
   * Loads the network from a bundle.
   *
   * @throws ModelException when the component is missing, corrupt or inconsistent (the message
   *     names the bundle and the field)
   */
  public static Diagnoser load(ModelBundle bundle) {
    String source = bundle.location() + "/" + bundle.component(COMPONENT).file();
    try (InputStream in = bundle.open(COMPONENT)) {
      return new Diagnoser(RootCauseModel.read(in, source));
    } catch (IllegalArgumentException e) {
      throw new ModelException(e.getMessage(), e);
    } catch (java.io.IOException e) {
      throw new ModelException("cannot read " + source + ": " + e.getMessage(), e);
    }
  }

  public RootCauseModel model() {
    return model;
  }

  /** Top 3 causes, the healthy posterior and the evidence that drove the top cause. */
  public Diagnosis diagnose(Observation observation) {
    return model.diagnose(model.evidence(observation), true);
  }

  /** Top 3 causes and the healthy posterior only (no drivers): the per-tick fast path. */
  public Diagnosis rank(Observation observation) {
    return model.diagnose(model.evidence(observation), false);
  }

  /** Diagnoses the symptoms of the snapshot the bank was last updated with. */
  public Diagnosis diagnose(Symptoms symptoms, DetectorBank bank, RecoverySettings settings) {
    return diagnose(Observation.of(symptoms, bank, settings));
  }
}
