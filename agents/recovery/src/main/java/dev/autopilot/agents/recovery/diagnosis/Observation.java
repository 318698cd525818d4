package dev.autopilot.agents.recovery.diagnosis;

import dev.autopilot.agents.recovery.policy.Symptom;
import dev.autopilot.agents.recovery.policy.Symptoms;
import dev.autopilot.api.TelemetrySnapshot;

/**
 * What the root-cause network observes at one tick: the extracted symptoms (strengths in [0, 1])
 * and the snapshot they came from (for the few features read directly from telemetry). Features
 * are named; {@link #value(String)} gives a feature's raw value, which the model discretises with
 * its learned cut points.
 *
 * @param symptoms the symptoms of the tick
 * @param snapshot the snapshot, or null when only symptoms are known
 */
public record Observation(Symptoms symptoms, TelemetrySnapshot snapshot) {

  /** Raw value of a feature: a symptom's strength, or NaN when the feature is unknown here. */
  public double value(String feature) {
    Symptom s = symptom(feature);
    if (s != null) {
      return symptoms.strength(s);
    }
    return Double.NaN;
  }

  /** The symptom a feature name denotes, or null. */
  static Symptom symptom(String feature) {
    try {
      return Symptom.valueOf(feature);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
