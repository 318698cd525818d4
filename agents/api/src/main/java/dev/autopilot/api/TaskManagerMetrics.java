package dev.autopilot.api;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One TaskManager's metric vector, ordered as the {@link Metric} catalogue.
 *
 * @param taskManagerId the TaskManager (pod) id
 * @param nodeId the node hosting it
 * @param values one value per {@link Metric}, at {@link Metric#ordinal()}
 * @param absent wire names of metrics the platform could not observe (their value is 0 and must
 *     not be read as a measurement); empty when the platform observes everything
 */
public record TaskManagerMetrics(
    String taskManagerId, String nodeId, double[] values, List<String> absent) {

  public TaskManagerMetrics {
    absent = absent == null ? List.of() : List.copyOf(absent);
  }

  /** A fully observed vector. */
  public static TaskManagerMetrics of(String taskManagerId, String nodeId, double[] values) {
    return new TaskManagerMetrics(taskManagerId, nodeId, values, List.of());
  }

  /** The value of one metric (0 when absent). */
  public double get(Metric metric) {
    return values[metric.ordinal()];
  }

  public boolean isAbsent(Metric metric) {
    return absent.contains(metric.metricName());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TaskManagerMetrics t
        && Objects.equals(taskManagerId, t.taskManagerId)
        && Objects.equals(nodeId, t.nodeId)
        && Arrays.equals(values, t.values)
        && absent.equals(t.absent);
  }

  @Override
  public int hashCode() {
    return Objects.hash(taskManagerId, nodeId, Arrays.hashCode(values), absent);
  }

  @Override
  public String toString() {
    return "TaskManagerMetrics[" + taskManagerId + "@" + nodeId + ", " + values.length + " values]";
  }
}
