package dev.autopilot.agents.recovery.policy;

import dev.autopilot.api.Metric;
import dev.autopilot.api.TaskManagerMetrics;
import dev.autopilot.api.TelemetrySnapshot;

/**
 * The key signals the recovery detectors watch, each extracted from a snapshot (and the previous
 * one, for per-tick deltas of counters). The config key names the signal's floor in {@code
 * autopilot.recovery.signal-floors}.
 */
public enum Signal {
  THROUGHPUT("throughput"),
  LATENCY_P99("latency-p99"),
  LAG_GROWTH("lag-growth"),
  CHECKPOINT_DURATION("checkpoint-duration"),
  CHECKPOINT_FAILURES("checkpoint-failures"),
  CHECKPOINT_ALIGNMENT("checkpoint-alignment"),
  BACKPRESSURE("backpressure"),
  HEAP_USED_RATIO("heap-used-ratio"),
  HEAP_SLOPE("heap-slope"),
  GC_TIME_RATIO("gc-time-ratio"),
  CPU_LOAD("cpu-load"),
  NET_LATENCY("net-latency"),
  NET_RETRANSMITS("net-retransmits"),
  NET_CONNECTION_FAILURES("net-connection-failures"),
  DISK_USED_RATIO("disk-used-ratio"),
  ROCKSDB_WRITE_STALL("rocksdb-write-stall"),
  EXCEPTIONS("exceptions"),
  LOG_ERRORS("log-errors"),
  DESERIALIZATION_ERRORS("deserialization-errors"),
  SERIALIZATION_ERRORS("serialization-errors"),
  CLASSLOADING_ERRORS("classloading-errors"),
  EXT_ERRORS("ext-errors"),
  EXT_TIMEOUTS("ext-timeouts"),
  EXT_LATENCY("ext-latency"),
  FILE_DESCRIPTORS_RATIO("file-descriptors-ratio"),
  THREADS("threads"),
  RUNNING_TASKMANAGERS("running-taskmanagers"),
  NODE_READY("node-ready"),
  RESTARTS("restarts");

  private final String configKey;

  Signal(String configKey) {
    this.configKey = configKey;
  }

  /** Key of this signal under {@code signal-floors}. */
  public String configKey() {
    return configKey;
  }

  /**
   * The signal's value at this tick.
   *
   * @param s the snapshot
   * @param prev the previous snapshot, or null (deltas are then 0)
   */
  public double extract(TelemetrySnapshot s, TelemetrySnapshot prev) {
    return switch (this) {
      case THROUGHPUT -> s.job().throughputPerSecond();
      case LATENCY_P99 -> s.job().latencyP99Ms();
      case LAG_GROWTH -> prev == null ? 0 : s.job().consumerLag() - prev.job().consumerLag();
      case CHECKPOINT_DURATION -> s.checkpoints().lastDurationMs();
      case CHECKPOINT_FAILURES ->
          prev == null
              ? 0
              : Math.max(0, s.checkpoints().failedTotal() - prev.checkpoints().failedTotal());
      case CHECKPOINT_ALIGNMENT ->
          Math.max(s.max(Metric.CP_ALIGNMENT), s.max(Metric.CP_START_DELAY));
      case BACKPRESSURE ->
          Math.max(s.max(Metric.BACKPRESSURE), s.maxOverOperators(o -> o.backPressuredRatio()));
      case HEAP_USED_RATIO -> s.max(Metric.HEAP_USED_RATIO);
      case HEAP_SLOPE ->
          prev == null ? 0 : s.max(Metric.HEAP_USED_RATIO) - prev.max(Metric.HEAP_USED_RATIO);
      case GC_TIME_RATIO -> s.max(Metric.GC_TIME_RATIO);
      case CPU_LOAD -> s.max(Metric.CPU_LOAD);
      case NET_LATENCY -> s.max(Metric.NET_LATENCY);
      case NET_RETRANSMITS -> s.max(Metric.NET_RETRANSMITS);
      case NET_CONNECTION_FAILURES -> s.max(Metric.NET_CONNECTION_FAILURES);
      case DISK_USED_RATIO -> s.max(Metric.DISK_USED_RATIO);
      case ROCKSDB_WRITE_STALL -> s.max(Metric.ROCKSDB_WRITE_STALL);
      case EXCEPTIONS -> s.sum(Metric.EXCEPTIONS);
      case LOG_ERRORS -> s.sum(Metric.LOG_ERRORS);
      case DESERIALIZATION_ERRORS -> s.sum(Metric.DESERIALIZATION_ERRORS);
      case SERIALIZATION_ERRORS -> s.sum(Metric.SERIALIZATION_ERRORS);
      case CLASSLOADING_ERRORS -> s.sum(Metric.CLASSLOADING_ERRORS);
      case EXT_ERRORS -> s.sum(Metric.EXT_ERRORS);
      case EXT_TIMEOUTS -> s.sum(Metric.EXT_TIMEOUTS);
      case EXT_LATENCY -> s.max(Metric.EXT_LATENCY);
      case FILE_DESCRIPTORS_RATIO -> s.max(Metric.FILE_DESCRIPTORS_RATIO);
      case THREADS -> s.max(Metric.THREADS);
      case RUNNING_TASKMANAGERS ->
          Math.min(
              1.0, s.job().runningTaskManagers() / (double) Math.max(1, s.config().taskManagers()));
      case NODE_READY -> minNodeReady(s);
      case RESTARTS ->
          prev == null ? 0 : Math.max(0, s.job().restartsTotal() - prev.job().restartsTotal());
    };
  }

  private static double minNodeReady(TelemetrySnapshot s) {
    double min = 1;
    for (TaskManagerMetrics tm : s.taskManagers()) {
      if (!tm.isAbsent(Metric.NODE_READY)) {
        min = Math.min(min, tm.get(Metric.NODE_READY));
      }
    }
    return min;
  }
}
