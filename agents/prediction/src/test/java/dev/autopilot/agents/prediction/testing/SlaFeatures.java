package dev.autopilot.agents.prediction.testing;

import dev.autopilot.agents.prediction.model.FeaturePipeline;
import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;

/**
 * Test double: three features a live agent has, scaled to about [0, 2]: p99 latency over the bound,
 * consumer lag in millions of records (capped), and whether the job is not running. Violations
 * persist, so the present state predicts the next 30 ticks better than chance.
 */
public final class SlaFeatures implements FeaturePipeline {
  @Override
  public String schema() {
    return LogisticModel.SCHEMA;
  }

  @Override
  public int size() {
    return 3;
  }

  @Override
  public float[] observe(TelemetrySnapshot s, SlaSpec sla) {
    return new float[] {
      (float) Math.min(2, s.job().latencyP99Ms() / sla.latencyP99BoundMs()),
      (float) Math.min(2, s.job().consumerLag() / 1e6),
      s.job().state() == JobMetrics.JobState.RUNNING ? 0f : 1f
    };
  }

  @Override
  public void reset() {}
}
