package dev.autopilot.api;

import java.util.List;
import java.util.Set;

/**
 * Metrics of one job vertex (operator), aggregated over its subtasks, as the Flink REST API and the
 * autoscaler see them. Busy, backpressured and idle time add up to about 1000 ms per second.
 *
 * @param operatorId stable operator id (for example {@code "source"}, {@code "enrich"})
 * @param parallelism current parallelism
 * @param recordsInPerSecond records received per second, summed over subtasks
 * @param recordsOutPerSecond records emitted per second, summed over subtasks
 * @param busyTimeMsPerSecond average busy time per second per subtask
 * @param backPressuredTimeMsPerSecond average backpressured time per second per subtask
 * @param idleTimeMsPerSecond average idle time per second per subtask
 * @param pendingRecords backlog in front of this operator (consumer lag for a source)
 * @param stateSizeBytes keyed state held by the operator
 * @param absent names of the fields above the platform could not observe (see {@link #FIELDS});
 *     their value is 0 and must not be read as a measurement (a rate before the second observation,
 *     a backlog the source does not report). Empty when everything was observed.
 */
public record OperatorMetrics(
    String operatorId,
    int parallelism,
    double recordsInPerSecond,
    double recordsOutPerSecond,
    double busyTimeMsPerSecond,
    double backPressuredTimeMsPerSecond,
    double idleTimeMsPerSecond,
    double pendingRecords,
    double stateSizeBytes,
    List<String> absent) {

  /** The names of the measured fields, as {@link #absent()} lists them. */
  public static final Set<String> FIELDS =
      Set.of(
          "recordsInPerSecond",
          "recordsOutPerSecond",
          "busyTimeMsPerSecond",
          "backPressuredTimeMsPerSecond",
          "idleTimeMsPerSecond",
          "pendingRecords",
          "stateSizeBytes");

  public OperatorMetrics {
    absent = absent == null ? List.of() : List.copyOf(absent);
  }

  /** Fully observed metrics. */
  public OperatorMetrics(
      String operatorId,
      int parallelism,
      double recordsInPerSecond,
      double recordsOutPerSecond,
      double busyTimeMsPerSecond,
      double backPressuredTimeMsPerSecond,
      double idleTimeMsPerSecond,
      double pendingRecords,
      double stateSizeBytes) {
    this(
        operatorId,
        parallelism,
        recordsInPerSecond,
        recordsOutPerSecond,
        busyTimeMsPerSecond,
        backPressuredTimeMsPerSecond,
        idleTimeMsPerSecond,
        pendingRecords,
        stateSizeBytes,
        List.of());
  }

  /** Whether the platform could not observe the named field (one of {@link #FIELDS}). */
  public boolean isAbsent(String field) {
    return absent.contains(field);
  }

  /** Busy share of time, 0–1. */
  public double busyRatio() {
    return busyTimeMsPerSecond / 1000.0;
  }

  /** Backpressured share of time, 0–1. */
  public double backPressuredRatio() {
    return backPressuredTimeMsPerSecond / 1000.0;
  }

  /**
   * True processing rate (records per second the operator could take at 100 % busy), the DS2
   * estimate {@code recordsIn / busyRatio}; 0 when the operator is not busy.
   */
  public double trueProcessingRate() {
    double busy = busyRatio();
    return busy <= 1e-6 ? 0.0 : recordsInPerSecond / busy;
  }
}
