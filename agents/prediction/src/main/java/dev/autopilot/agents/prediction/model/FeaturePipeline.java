package dev.autopilot.agents.prediction.model;

import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;

/**
 * Turns each snapshot of one pipeline into the violation forecaster's input vector: the snapshot's
 * own features plus trend features over a trailing window. Pure (no I/O, no clock; event time
 * only) but stateful, since the trend features need the window: one instance per pipeline, not
 * thread-safe. The vector is raw; the model applies its persisted standardization.
 */
public interface FeaturePipeline {

  /** Version of the feature layout, recorded with every model trained on it. */
  String schema();

  /** Length of every vector {@link #observe} returns. */
  int size();

  /**
   * Takes one snapshot (ticks in increasing order) and returns its feature vector. Never fails on
   * a validated snapshot: absent metrics become neutral values, not errors.
   */
  float[] observe(TelemetrySnapshot snapshot, SlaSpec sla);

  /** Forgets the trailing window (a gap in telemetry or a restart of the entity). */
  void reset();
}
