package dev.autopilot.agents.prediction.testing;

import dev.autopilot.agents.prediction.model.FeaturePipeline;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;

/** Test double: one feature, the source operator's busy ratio. */
public final class BusyFeatures implements FeaturePipeline {
  @Override
  public String schema() {
    return LogisticModel.SCHEMA;
  }

  @Override
  public int size() {
    return 1;
  }

  @Override
  public float[] observe(TelemetrySnapshot snapshot, SlaSpec sla) {
    return new float[] {(float) snapshot.source().busyRatio()};
  }

  @Override
  public void reset() {}
}
