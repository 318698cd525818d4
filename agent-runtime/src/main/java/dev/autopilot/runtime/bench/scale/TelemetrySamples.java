package dev.autopilot.runtime.bench.scale;

import dev.autopilot.api.OperatorMetrics;
import dev.autopilot.api.TaskManagerMetrics;
import dev.autopilot.api.TelemetrySnapshot;

/**
 * Counts the telemetry samples (observed metric values) a snapshot carries: every TaskManager
 * metric the platform observed, every observed operator field, the checkpoint metrics and the
 * observed job metrics. Metrics the platform marks absent are not samples.
 */
public final class TelemetrySamples {
  /** Checkpoint metrics per snapshot ({@code CheckpointMetrics}' components). */
  static final int CHECKPOINT_FIELDS = 6;

  /** Job metrics per snapshot ({@code JobMetrics}' components but the absent list). */
  static final int JOB_FIELDS = 6;

  private TelemetrySamples() {}

  /** The samples of one snapshot (0 for null). */
  public static long count(TelemetrySnapshot s) {
    if (s == null) {
      return 0;
    }
    long n = 0;
    if (s.taskManagers() != null) {
      for (TaskManagerMetrics tm : s.taskManagers()) {
        n += Math.max(0, (tm.values() == null ? 0 : tm.values().length) - tm.absent().size());
      }
    }
    if (s.operators() != null) {
      for (OperatorMetrics op : s.operators()) {
        n += Math.max(0, OperatorMetrics.FIELDS.size() - op.absent().size());
      }
    }
    if (s.checkpoints() != null) {
      n += CHECKPOINT_FIELDS;
    }
    if (s.job() != null) {
      n += Math.max(0, JOB_FIELDS - s.job().absent().size());
    }
    return n;
  }
}
