package dev.autopilot.agents.prediction.policy;

import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;

/**
 * Test helper: a pipeline with a fixed capacity under an offered load. Every operator sees the
 * source rate (input ratio 1); the processed rate is min(demand, capacity), the busy share is
 * processed / capacity, and unserved demand accumulates as consumer lag.
 */
final class Loads {
  private final String pipelineId;
  private final PipelineConfig config;
  private final double capacity;
  private double lag = 1_000;

  Loads(String pipelineId, PipelineConfig config, double capacity) {
    this.pipelineId = pipelineId;
    this.config = config;
    this.capacity = capacity;
  }

  /** The snapshot at a tick under an offered load; advances the lag by one tick. */
  TelemetrySnapshot at(long tick, double demand) {
    return at(tick, demand, JobMetrics.JobState.RUNNING);
  }

  TelemetrySnapshot at(long tick, double demand, JobMetrics.JobState state) {
    double processed = Math.min(demand, capacity);
    lag += (demand - processed) * Snapshots.TICK_MILLIS / 1000.0;
    return Snapshots.builder(pipelineId, tick)
        .config(config)
        .throughput(processed)
        .busy(processed / capacity)
        .lag(lag)
        .state(state)
        .build();
  }
}
