package dev.autopilot.api;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Validates a telemetry snapshot before it may reach any policy. Pure and stateless: the caller
 * keeps the last accepted tick per pipeline and the set of known pipelines.
 */
public final class SnapshotValidator {

  /** Why a snapshot was rejected; a bounded label set for the rejection metric. */
  public enum Reason {
    MALFORMED,
    UNKNOWN_PIPELINE,
    OUT_OF_ORDER_TICK,
    MISSING_METRIC,
    NAN_METRIC,
    NEGATIVE_METRIC,
    INFINITE_METRIC,
    INVALID_CONFIG
  }

  /** A rejection: the reason code and a message naming the offending field. */
  public record Rejection(Reason reason, String message) {}

  private SnapshotValidator() {}

  /**
   * Checks one snapshot.
   *
   * @param s the snapshot (may be null or partially null when it came from untrusted input)
   * @param knownPipelines pipelines this runtime manages
   * @param lastAcceptedTick the last accepted tick of that pipeline, or {@code Long.MIN_VALUE}
   * @return empty when valid, else the first problem found
   */
  public static Optional<Rejection> validate(
      TelemetrySnapshot s, Set<String> knownPipelines, long lastAcceptedTick) {
    if (s == null) {
      return reject(Reason.MALFORMED, "snapshot is null");
    }
    if (s.pipelineId() == null || s.pipelineId().isBlank()) {
      return reject(Reason.MALFORMED, "pipeline id is missing");
    }
    if (!knownPipelines.contains(s.pipelineId())) {
      return reject(Reason.UNKNOWN_PIPELINE, "unknown pipeline '" + s.pipelineId() + "'");
    }
    if (s.tick() <= lastAcceptedTick) {
      return reject(
          Reason.OUT_OF_ORDER_TICK,
          "tick " + s.tick() + " is not after the last accepted tick " + lastAcceptedTick);
    }
    if (s.eventTimeMillis() < 0) {
      return reject(Reason.NEGATIVE_METRIC, "event time is negative");
    }
    if (s.taskManagers() == null) {
      return reject(Reason.MISSING_METRIC, "no TaskManager metrics");
    }
    if (s.operators() == null || s.operators().isEmpty()) {
      return reject(Reason.MISSING_METRIC, "no operator metrics");
    }
    if (s.checkpoints() == null) {
      return reject(Reason.MISSING_METRIC, "no checkpoint metrics");
    }
    if (s.job() == null) {
      return reject(Reason.MISSING_METRIC, "no job metrics");
    }
    if (s.config() == null) {
      return reject(Reason.MISSING_METRIC, "no pipeline configuration");
    }
    // A job being restarted or failed over may have no TaskManager registered: that is an
    // observation, not missing data. A running job without TaskManagers is not.
    if (s.taskManagers().isEmpty() && s.job().state() == JobMetrics.JobState.RUNNING) {
      return reject(Reason.MISSING_METRIC, "no TaskManager metrics for a RUNNING job");
    }
    Set<String> tmIds = new HashSet<>();
    for (TaskManagerMetrics tm : s.taskManagers()) {
      Optional<Rejection> r = checkTaskManager(tm, tmIds);
      if (r.isPresent()) {
        return r;
      }
    }
    Set<String> opIds = new HashSet<>();
    for (OperatorMetrics op : s.operators()) {
      Optional<Rejection> r = checkOperator(op, opIds);
      if (r.isPresent()) {
        return r;
      }
    }
    Optional<Rejection> cp = checkCheckpoints(s.checkpoints());
    if (cp.isPresent()) {
      return cp;
    }
    Optional<Rejection> job = checkJob(s.job());
    if (job.isPresent()) {
      return job;
    }
    List<String> configErrors = s.config().structuralErrors();
    if (!configErrors.isEmpty()) {
      return reject(Reason.INVALID_CONFIG, "configuration: " + String.join("; ", configErrors));
    }
    return Optional.empty();
  }

  private static Optional<Rejection> checkTaskManager(TaskManagerMetrics tm, Set<String> seen) {
    if (tm == null || tm.taskManagerId() == null || tm.nodeId() == null) {
      return reject(Reason.MALFORMED, "TaskManager entry without id or node");
    }
    if (!seen.add(tm.taskManagerId())) {
      return reject(Reason.MALFORMED, "duplicate TaskManager " + tm.taskManagerId());
    }
    double[] v = tm.values();
    if (v == null || v.length != Metric.COUNT) {
      return reject(
          Reason.MISSING_METRIC,
          "TaskManager " + tm.taskManagerId() + " has " + (v == null ? 0 : v.length) + " of "
              + Metric.COUNT + " metrics");
    }
    for (String name : tm.absent()) {
      if (Metric.byName(name).isEmpty()) {
        return reject(Reason.MALFORMED, "absent list names unknown metric '" + name + "'");
      }
    }
    for (int i = 0; i < v.length; i++) {
      // the label is built only for a value that fails (about 1,300 values per snapshot)
      if (!(v[i] >= 0) || Double.isInfinite(v[i])) {
        return checkValue(
            v[i], "TaskManager " + tm.taskManagerId() + " " + Metric.all().get(i).metricName());
      }
    }
    return Optional.empty();
  }

  private static Optional<Rejection> checkOperator(OperatorMetrics op, Set<String> seen) {
    if (op == null || op.operatorId() == null) {
      return reject(Reason.MALFORMED, "operator entry without id");
    }
    if (!seen.add(op.operatorId())) {
      return reject(Reason.MALFORMED, "duplicate operator " + op.operatorId());
    }
    if (op.parallelism() < 1) {
      return reject(Reason.NEGATIVE_METRIC, "operator " + op.operatorId() + " parallelism < 1");
    }
    for (String field : op.absent()) {
      if (!OperatorMetrics.FIELDS.contains(field)) {
        return reject(
            Reason.MALFORMED,
            "operator " + op.operatorId() + " absent list names unknown field '" + field + "'");
      }
    }
    String p = "operator " + op.operatorId() + " ";
    double[] values = {
      op.recordsInPerSecond(), op.recordsOutPerSecond(), op.busyTimeMsPerSecond(),
      op.backPressuredTimeMsPerSecond(), op.idleTimeMsPerSecond(), op.pendingRecords(),
      op.stateSizeBytes()
    };
    String[] names = {
      "recordsInPerSecond", "recordsOutPerSecond", "busyTimeMsPerSecond",
      "backPressuredTimeMsPerSecond", "idleTimeMsPerSecond", "pendingRecords", "stateSizeBytes"
    };
    for (int i = 0; i < values.length; i++) {
      Optional<Rejection> r = checkValue(values[i], p + names[i]);
      if (r.isPresent()) {
        return r;
      }
    }
    return Optional.empty();
  }

  private static Optional<Rejection> checkCheckpoints(CheckpointMetrics c) {
    Optional<Rejection> r = checkValue(c.lastDurationMs(), "checkpoint lastDurationMs");
    if (r.isEmpty()) {
      r = checkValue(c.lastSizeBytes(), "checkpoint lastSizeBytes");
    }
    if (r.isEmpty() && (c.completedTotal() < 0 || c.failedTotal() < 0 || c.inProgress() < 0)) {
      r = Optional.of(new Rejection(Reason.NEGATIVE_METRIC, "negative checkpoint counter"));
    }
    return r;
  }

  private static Optional<Rejection> checkJob(JobMetrics j) {
    if (j.state() == null) {
      return reject(Reason.MISSING_METRIC, "job state is missing");
    }
    for (String field : j.absent()) {
      if (!JobMetrics.FIELDS.contains(field)) {
        return reject(Reason.MALFORMED, "job absent list names unknown field '" + field + "'");
      }
    }
    Optional<Rejection> r = checkValue(j.throughputPerSecond(), "job throughputPerSecond");
    if (r.isEmpty()) {
      r = checkValue(j.latencyP99Ms(), "job latencyP99Ms");
    }
    if (r.isEmpty()) {
      r = checkValue(j.consumerLag(), "job consumerLag");
    }
    if (r.isEmpty() && (j.restartsTotal() < 0 || j.runningTaskManagers() < 0)) {
      r = Optional.of(new Rejection(Reason.NEGATIVE_METRIC, "negative job counter"));
    }
    return r;
  }

  private static Optional<Rejection> checkValue(double v, String what) {
    if (Double.isNaN(v)) {
      return reject(Reason.NAN_METRIC, what + " is NaN");
    }
    if (Double.isInfinite(v)) {
      return reject(Reason.INFINITE_METRIC, what + " is infinite");
    }
    if (v < 0) {
      return reject(Reason.NEGATIVE_METRIC, what + " is negative (" + v + ")");
    }
    return Optional.empty();
  }

  private static Optional<Rejection> reject(Reason reason, String message) {
    return Optional.of(new Rejection(reason, message));
  }
}
