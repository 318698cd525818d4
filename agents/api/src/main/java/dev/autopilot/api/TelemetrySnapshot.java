package dev.autopilot.api;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Everything the agents see of a pipeline at one tick: the only input of every policy. It carries
 * no ground truth (no fault labels, no true demand); agents infer from telemetry, as in
 * production.
 *
 * @param pipelineId the pipeline
 * @param tick tick number; strictly increasing per pipeline
 * @param eventTimeMillis event time of the tick (epoch millis)
 * @param taskManagers per-TaskManager metric vectors ({@link Metric} catalogue)
 * @param operators per-operator metrics, in job-graph order (source first)
 * @param checkpoints checkpoint metrics
 * @param job job-level metrics
 * @param config the configuration the pipeline is running
 */
public record TelemetrySnapshot(
    String pipelineId,
    long tick,
    long eventTimeMillis,
    List<TaskManagerMetrics> taskManagers,
    List<OperatorMetrics> operators,
    CheckpointMetrics checkpoints,
    JobMetrics job,
    PipelineConfig config) {

  public TelemetrySnapshot {
    taskManagers = taskManagers == null ? null : List.copyOf(taskManagers);
    operators = operators == null ? null : List.copyOf(operators);
  }

  /** Mean of one metric over the TaskManagers that observe it; 0 when none does. */
  public double mean(Metric metric) {
    return aggregate(metric, true);
  }

  /** Maximum of one metric over the TaskManagers that observe it; 0 when none does. */
  public double max(Metric metric) {
    return aggregate(metric, false);
  }

  /** Sum of one metric over the TaskManagers that observe it. */
  public double sum(Metric metric) {
    double sum = 0;
    for (TaskManagerMetrics tm : taskManagers) {
      if (!tm.isAbsent(metric)) {
        sum += tm.get(metric);
      }
    }
    return sum;
  }

  private double aggregate(Metric metric, boolean mean) {
    double acc = 0;
    int n = 0;
    for (TaskManagerMetrics tm : taskManagers) {
      if (tm.isAbsent(metric)) {
        continue;
      }
      double v = tm.get(metric);
      acc = mean ? acc + v : Math.max(acc, v);
      n++;
    }
    return n == 0 ? 0 : (mean ? acc / n : acc);
  }

  /** The source operator (first in job-graph order). */
  public OperatorMetrics source() {
    return operators.get(0);
  }

  /** Maximum over operators of a per-operator figure. */
  public double maxOverOperators(ToDoubleFunction<OperatorMetrics> f) {
    return operators.stream().mapToDouble(f).max().orElse(0);
  }

  public OperatorMetrics operator(String operatorId) {
    return operators.stream()
        .filter(o -> o.operatorId().equals(operatorId))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown operator: " + operatorId));
  }
}
