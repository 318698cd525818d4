package dev.autopilot.agents.recovery.detect;

import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.Metric;
import dev.autopilot.api.OperatorMetrics;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.List;

/**
 * The feature vector the learned detectors read from one {@link TelemetrySnapshot}, schema {@value
 * #SCHEMA}. Every feature is finite; heavy-tailed quantities (latencies, byte counts, error rates)
 * enter as {@code log1p}, shares as 0-1 ratios, and per-tick changes of cumulative counters as
 * deltas, so an extractor is <b>stateful</b> (one per pipeline; it remembers the previous
 * snapshot). Standardization happens inside each model, learned on normal data.
 *
 * <p>The order of {@link #NAMES} is part of the schema: a change of names, order or meaning bumps
 * the version, and models trained on another schema refuse to load.
 *
 * <p>Schema 2 is invariant to the load level and the configuration where it should be: no absolute
 * throughput or lag (lag enters as seconds of current throughput, throughput per slot of the job's
 * parallelism, checkpoint size per slot, error counts per TaskManager), and a context feature
 * {@code config_change_recent} = exp(-ticks since the configuration last changed / {@value
 * #CHANGE_DECAY_TICKS}) (0 when it never changed) lets the models learn rescale and restart
 * transients as normal.
 *
 * <p>Groups, in vector order ({@link #NAMES} is authoritative): configuration-change recency,
 * throughput per slot (per unit of the configured maximum parallelism × 1000 events/s), p99
 * latency, consumer lag in seconds of throughput and its growth this tick over 10 s of throughput,
 * records out of the sink over records into the source; checkpoint duration, size per slot, new
 * failures, in-progress count, alignment; CPU load (mean, max), CPU throttling; heap used ratio
 * (mean, max), container memory ratio, GC time share and longest pause; input and output buffer
 * pool usage; backpressured and busy share over operators; peer network latency, retransmits,
 * connection failures per TaskManager; user exceptions, ERROR logs, (de)serialization errors,
 * external errors (per TaskManager) and latency; disk used, RocksDB write stalls, file descriptors,
 * threads; running over configured TaskManagers, job not RUNNING, new restarts and task failures, a
 * hosting node not Ready.
 */
public final class SnapshotFeatures {

  /** Name and version of this feature schema, recorded with every model. */
  public static final String SCHEMA = "recovery-snapshot/2";

  /** Feature names, in vector order. */
  public static final List<String> NAMES =
      List.of(
          "config_change_recent",
          "throughput_per_slot",
          "latency_p99_log",
          "lag_seconds_log",
          "lag_growth",
          "output_input_ratio",
          "checkpoint_duration_log",
          "checkpoint_size_per_slot_log",
          "checkpoint_failures_delta",
          "checkpoint_in_progress",
          "checkpoint_alignment_log",
          "cpu_load_mean",
          "cpu_load_max",
          "cpu_throttled_max",
          "heap_used_ratio_mean",
          "heap_used_ratio_max",
          "container_memory_ratio_max",
          "gc_time_ratio_max",
          "gc_pause_max_log",
          "in_pool_usage_max",
          "out_pool_usage_max",
          "backpressure_max",
          "busy_max",
          "busy_mean",
          "net_latency_max_log",
          "net_retransmits_log",
          "net_connection_failures_log",
          "exceptions_log",
          "log_errors_log",
          "serde_errors_log",
          "ext_errors_log",
          "ext_latency_log",
          "disk_used_ratio_max",
          "rocksdb_write_stall_log",
          "fd_ratio_max",
          "threads_max_log",
          "running_tm_ratio",
          "job_not_running",
          "restarts_delta",
          "node_not_ready_max");

  /** Number of features. */
  public static final int DIM = NAMES.size();

  /**
   * The isolation forest's five features (checkpoint duration, buffer occupancy, operator busy
   * time, network latency, memory), as indices into the full vector.
   */
  public static final int[] IFOREST =
      indices(
          "checkpoint_duration_log",
          "in_pool_usage_max",
          "busy_max",
          "net_latency_max_log",
          "heap_used_ratio_max");

  /** The LSTM's metric subset, as indices into the full vector. */
  public static final int[] LSTM =
      indices(
          "throughput_per_slot",
          "latency_p99_log",
          "lag_seconds_log",
          "checkpoint_duration_log",
          "cpu_load_mean",
          "heap_used_ratio_max",
          "backpressure_max");

  /** Ticks over which {@code config_change_recent} decays by a factor e. */
  public static final double CHANGE_DECAY_TICKS = 30;

  private boolean hasPrevious;
  private PipelineConfig prevConfig;
  private long ticksSinceChange = Long.MAX_VALUE / 2;
  private double prevLag;
  private double prevCpFailed;
  private double prevRestarts;
  private double prevTaskFailures;

  /** Index of a feature by name. */
  public static int index(String name) {
    int i = NAMES.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("no feature named " + name + " in " + SCHEMA);
    }
    return i;
  }

  private static int[] indices(String... names) {
    int[] out = new int[names.length];
    for (int i = 0; i < names.length; i++) {
      out[i] = index(names[i]);
    }
    return out;
  }

  /** Picks a subset of a feature vector. */
  public static float[] select(float[] features, int[] idx) {
    float[] out = new float[idx.length];
    for (int i = 0; i < idx.length; i++) {
      out[i] = features[idx[i]];
    }
    return out;
  }

  /** Forgets the previous snapshot (deltas are 0 on the next one). */
  public void reset() {
    hasPrevious = false;
    prevConfig = null;
    ticksSinceChange = Long.MAX_VALUE / 2;
  }

  /**
   * The features of the next snapshot of this extractor's pipeline.
   *
   * @throws IllegalArgumentException when the snapshot lacks its job, checkpoint or TaskManager
   *     sections
   */
  public float[] next(TelemetrySnapshot s) {
    if (s.job() == null
        || s.checkpoints() == null
        || s.taskManagers() == null
        || s.operators() == null) {
      throw new IllegalArgumentException(
          "snapshot of "
              + s.pipelineId()
              + " at tick "
              + s.tick()
              + " lacks job, checkpoints, taskManagers or operators");
    }
    float[] f = new float[DIM];
    JobMetrics job = s.job();
    List<OperatorMetrics> ops = s.operators();
    double thr = nz(job.throughputPerSecond());
    int maxPar = 1;
    if (s.config() != null) {
      maxPar = Math.max(1, s.config().requiredSlots());
    }
    double lag = nz(job.consumerLag());
    double cpFailed = s.checkpoints().failedTotal();
    double restarts = job.restartsTotal();
    double taskFailures = s.sum(Metric.TASKS_FAILED_TOTAL);
    int i = 0;
    if (hasPrevious && s.config() != null && !s.config().equals(prevConfig)) {
      ticksSinceChange = 0;
    } else if (hasPrevious) {
      ticksSinceChange++;
    }
    f[i++] = (float) Math.exp(-ticksSinceChange / CHANGE_DECAY_TICKS);
    f[i++] = clip(thr / (maxPar * 1000.0), 0, 100);
    f[i++] = log(job.latencyP99Ms());
    f[i++] = clip(Math.log1p(lag / Math.max(1.0, thr)), 0, 12);
    f[i++] = hasPrevious ? clip((lag - prevLag) / Math.max(1.0, thr * 10.0), -10, 10) : 0f;
    double srcIn = ops.isEmpty() ? 0 : nz(ops.get(0).recordsInPerSecond());
    double sinkOut = ops.isEmpty() ? 0 : nz(ops.get(ops.size() - 1).recordsOutPerSecond());
    f[i++] = srcIn <= 1e-9 ? 0f : clip(sinkOut / srcIn, 0, 2);
    f[i++] = log(s.checkpoints().lastDurationMs());
    f[i++] = log(nz(s.checkpoints().lastSizeBytes()) / maxPar);
    f[i++] = hasPrevious ? clip(cpFailed - prevCpFailed, 0, 100) : 0f;
    f[i++] = clip(s.checkpoints().inProgress(), 0, 100);
    f[i++] = log(Math.max(s.max(Metric.CP_ALIGNMENT), s.max(Metric.CP_START_DELAY)));
    f[i++] = ratio(s.mean(Metric.CPU_LOAD));
    f[i++] = ratio(s.max(Metric.CPU_LOAD));
    f[i++] = ratio(s.max(Metric.CPU_THROTTLED));
    f[i++] = ratio(s.mean(Metric.HEAP_USED_RATIO));
    f[i++] = ratio(s.max(Metric.HEAP_USED_RATIO));
    f[i++] = ratio(s.max(Metric.CONTAINER_MEMORY_RATIO));
    f[i++] = ratio(s.max(Metric.GC_TIME_RATIO));
    f[i++] = log(s.max(Metric.GC_PAUSE_MAX));
    f[i++] = ratio(s.max(Metric.IN_POOL_USAGE));
    f[i++] = ratio(s.max(Metric.OUT_POOL_USAGE));
    double bp = 0;
    double busyMax = 0;
    double busySum = 0;
    for (OperatorMetrics o : ops) {
      bp = Math.max(bp, nz(o.backPressuredRatio()));
      busyMax = Math.max(busyMax, nz(o.busyRatio()));
      busySum += nz(o.busyRatio());
    }
    f[i++] = ratio(bp);
    f[i++] = ratio(busyMax);
    f[i++] = ratio(ops.isEmpty() ? 0 : busySum / ops.size());
    f[i++] = log(s.max(Metric.NET_LATENCY));
    f[i++] = log(s.max(Metric.NET_RETRANSMITS));
    double tms = Math.max(1, s.taskManagers().size());
    f[i++] = log(s.sum(Metric.NET_CONNECTION_FAILURES) / tms);
    f[i++] = log(s.sum(Metric.EXCEPTIONS) / tms);
    f[i++] = log(s.sum(Metric.LOG_ERRORS) / tms);
    f[i++] = log((s.sum(Metric.DESERIALIZATION_ERRORS) + s.sum(Metric.SERIALIZATION_ERRORS)) / tms);
    f[i++] = log((s.sum(Metric.EXT_ERRORS) + s.sum(Metric.EXT_TIMEOUTS)) / tms);
    f[i++] = log(s.max(Metric.EXT_LATENCY));
    f[i++] = ratio(s.max(Metric.DISK_USED_RATIO));
    f[i++] = log(s.max(Metric.ROCKSDB_WRITE_STALL));
    f[i++] = ratio(s.max(Metric.FILE_DESCRIPTORS_RATIO));
    f[i++] = log(s.max(Metric.THREADS));
    int configured = s.config() == null ? 0 : s.config().taskManagers();
    f[i++] = configured <= 0 ? 1f : clip(job.runningTaskManagers() / (double) configured, 0, 1.5);
    f[i++] = job.state() == JobMetrics.JobState.RUNNING ? 0f : 1f;
    f[i++] =
        hasPrevious
            ? clip(
                Math.max(0, restarts - prevRestarts) + Math.max(0, taskFailures - prevTaskFailures),
                0,
                100)
            : 0f;
    double notReady = 0;
    for (var tm : s.taskManagers()) {
      if (!tm.isAbsent(Metric.NODE_READY) && tm.get(Metric.NODE_READY) < 0.5) {
        notReady = 1;
      }
    }
    f[i++] = (float) notReady;
    if (i != DIM) {
      throw new IllegalStateException("feature extractor wrote " + i + " of " + DIM);
    }
    hasPrevious = true;
    prevConfig = s.config();
    prevLag = lag;
    prevCpFailed = cpFailed;
    prevRestarts = restarts;
    prevTaskFailures = taskFailures;
    return f;
  }

  private static double nz(double v) {
    return Double.isFinite(v) ? v : 0;
  }

  private static float log(double v) {
    return (float) Math.log1p(Math.max(0, nz(v)));
  }

  private static float ratio(double v) {
    return clip(v, 0, 1.5);
  }

  private static float clip(double v, double lo, double hi) {
    double x = nz(v);
    return (float) Math.max(lo, Math.min(hi, x));
  }
}
