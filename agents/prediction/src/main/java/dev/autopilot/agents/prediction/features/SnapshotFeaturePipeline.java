package dev.autopilot.agents.prediction.features;

import dev.autopilot.agents.prediction.model.FeaturePipeline;
import dev.autopilot.api.CheckpointMetrics;
import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.Metric;
import dev.autopilot.api.OperatorMetrics;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TaskManagerMetrics;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.estimate.LoadEstimator;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The violation forecaster's features, schema {@value #SCHEMA}: {@value #SIZE} values per snapshot,
 * {@value #INSTANT} of the snapshot itself (indices 0-99) and {@value #TREND} trend features over
 * the trailing 30 minutes of event time (indices 100-149). {@link #names()} gives the name of every
 * index.
 *
 * <p>Instantaneous features (rates are SLA-relative so one model serves pipelines of different
 * sizes; demand and capacity come from {@link LoadEstimator}: demand = source input + lag growth,
 * capacity = DS2 bottleneck rate in source-equivalent events/s; "log" is {@code log(1 + x)}):
 *
 * <ul>
 *   <li>0-18 job and SLA: 0 throughput/target, 1 throughput/required (required = min(target,
 *       demand)), 2 p99/bound, 3 log p99 ms, 4 demand/target, 5 capacity/target, 6
 *       demand/capacity, 7 capacity known, 8 required/capacity, 9 log lag, 10 log lag seconds (lag
 *       over demand), 11 lag growth/target, 12 running, 13 restarting/failing/created, 14
 *       failed/canceled, 15 restarts since the last snapshot, 16 running/configured TaskManagers,
 *       17 log ticks since the configuration changed, 18 log ticks since the last restart;
 *   <li>19-27 configuration: 19 parallelism sum, 20 max parallelism, 21 TaskManagers, 22
 *       available/required slots, 23 TaskManager CPU, 24 TaskManager memory GB, 25 network buffer
 *       MB, 26 checkpoint interval s, 27 slots per TaskManager;
 *   <li>28-51 three operator slots by role, 8 values each: source (first operator, 28-35), sink
 *       (last, 36-43), bottleneck (highest busy ratio, 44-51); per slot: parallelism, busy,
 *       backpressured, idle, log pending, records in/target, records out/target, DS2 capacity
 *       (true rate over input ratio)/target;
 *   <li>52-58 operator aggregates: max busy, mean busy, max backpressured, mean backpressured, min
 *       idle, log pending sum, operator count;
 *   <li>59-88 TaskManager aggregates (over TaskManagers that observe the metric; 0 when none
 *       does, node ready 1): 59 cpu load mean, 60 cpu load max, 61 cpu throttled max, 62 heap
 *       ratio mean, 63 heap ratio max, 64 container memory ratio max, 65 gc time ratio mean, 66 gc
 *       time ratio max, 67 log gc pause max, 68 backpressure mean, 69 backpressure max, 70 in-pool
 *       usage max, 71 out-pool usage max, 72 bandwidth ratio max, 73 log net latency mean, 74 log
 *       retransmits sum, 75 disk utilisation max, 76 log disk latency max, 77 log rocksdb write
 *       stall max, 78 log state access latency max, 79 log mailbox latency max, 80 log watermark
 *       lag max, 81 log checkpoint alignment max, 82 log external latency max, 83 log external
 *       errors sum, 84 log exceptions sum, 85 node cpu max, 86 node ready min, 87 node pressure
 *       max, 88 log pod restarts sum;
 *   <li>89-93 checkpoints: 89 last duration/interval, 90 log last duration ms, 91 log last size, 92
 *       failures since the last snapshot, 93 in progress;
 *   <li>94-99 observability and calendar (event time, UTC): 94 TaskManagers reporting, 95 share of
 *       absent metric values, 96 sin and 97 cos of the hour of day, 98 weekend, 99 day of month
 *       over the month's length (month-end).
 * </ul>
 *
 * <p>Trend features, 100-149: for each of ten series, five values (slope per minute over the last
 * 5 minutes, slope per minute over 30 minutes, EWMA level with a span of 30 snapshots, rolling p50
 * and p90 over 30 minutes). Series, in order (base index {@code 100 + 5 k}): throughput/target (0),
 * p99/bound (2), demand/target (4), required/capacity (8), log lag (9), max busy (52), max
 * backpressured (54), cpu load mean (59), heap ratio max (63), gc time ratio max (66).
 *
 * <p>Robustness: absent metrics give neutral values (0, node ready 1), any count of operators and
 * TaskManagers maps to the fixed layout (operators by role, TaskManagers aggregated), unknown
 * capacity gives 0 with the "capacity known" flag off, ratios are clamped to [-10, 10] and every
 * value is finite. A snapshot whose tick is not after the last one resets the window. Pure (event
 * time only); one instance per pipeline; not thread-safe.
 */
public final class SnapshotFeaturePipeline implements FeaturePipeline {

  /** Feature layout version. */
  public static final String SCHEMA = "prediction-features/1";

  /** Instantaneous features. */
  public static final int INSTANT = 100;

  /** Trend features. */
  public static final int TREND = 50;

  /** Vector length. */
  public static final int SIZE = INSTANT + TREND;

  /** Trailing window of the trend features, event-time ms (30 minutes). */
  public static final long WINDOW_MILLIS = 30 * 60_000L;

  /** Recent part of the window for the short slope, ms (5 minutes). */
  public static final long RECENT_MILLIS = 5 * 60_000L;

  /** EWMA span, snapshots. */
  public static final int EWMA_SPAN = 30;

  /** Instantaneous indices of the trend series, in order. */
  static final int[] TREND_SOURCES = {0, 2, 4, 8, 9, 52, 54, 59, 63, 66};

  private static final double[] QUANTILES = {0.5, 0.9};
  private static final double CLAMP = 10;
  private static final double DEFAULT_TICK_SECONDS = 10;
  private static final double MIN_BUSY = 0.05;

  private static final List<String> NAMES = buildNames();

  private LoadEstimator estimator = new LoadEstimator(MIN_BUSY);
  private final TrailingWindow window =
      new TrailingWindow(TREND_SOURCES.length, 1024, WINDOW_MILLIS, RECENT_MILLIS, EWMA_SPAN);
  private final double[] trendInput = new double[TREND_SOURCES.length];
  private final double[] pct = new double[QUANTILES.length];
  private long lastTick = Long.MIN_VALUE;
  private long lastEventTime;
  private double lastLag;
  private long lastRestarts = -1;
  private long lastCheckpointFailures = -1;
  private PipelineConfig lastConfig;
  private long configSinceTick;
  private long restartTick = Long.MIN_VALUE;

  @Override
  public String schema() {
    return SCHEMA;
  }

  @Override
  public int size() {
    return SIZE;
  }

  /** Name of every feature index, {@link #SIZE} of them. */
  public static List<String> names() {
    return NAMES;
  }

  @Override
  public void reset() {
    estimator = new LoadEstimator(MIN_BUSY);
    window.clear();
    lastTick = Long.MIN_VALUE;
    lastRestarts = -1;
    lastCheckpointFailures = -1;
    lastConfig = null;
    restartTick = Long.MIN_VALUE;
  }

  @Override
  public float[] observe(TelemetrySnapshot s, SlaSpec sla) {
    if (s.tick() <= lastTick) {
      reset();
    }
    float[] f = new float[SIZE];
    List<OperatorMetrics> ops = s.operators() == null ? List.of() : s.operators();
    List<TaskManagerMetrics> tms = s.taskManagers() == null ? List.of() : s.taskManagers();
    JobMetrics job = s.job();
    PipelineConfig c = s.config();
    boolean first = lastTick == Long.MIN_VALUE;
    double tickSeconds =
        first
            ? DEFAULT_TICK_SECONDS
            : Math.max(1e-3, (s.eventTimeMillis() - lastEventTime) / 1000.0);
    double target = sla.throughputTarget();

    double demand = 0;
    double capacity = 0;
    if (!ops.isEmpty() && job != null) {
      LoadEstimator.Estimate e = estimator.update(s);
      demand = e.demand();
      capacity = e.capacity();
    }
    double throughput = job == null ? 0 : job.throughputPerSecond();
    double p99 = job == null ? 0 : job.latencyP99Ms();
    double lag = job == null ? 0 : job.consumerLag();
    double required = Math.max(1, sla.requiredThroughput(demand > 0 ? demand : throughput));
    JobMetrics.JobState state = job == null ? JobMetrics.JobState.CREATED : job.state();

    long restarts = job == null ? 0 : job.restartsTotal();
    long restartDelta = lastRestarts < 0 ? 0 : Math.max(0, restarts - lastRestarts);
    if (restartDelta > 0 || state != JobMetrics.JobState.RUNNING) {
      restartTick = s.tick();
    }
    if (c != null && !c.equals(lastConfig)) {
      if (lastConfig != null) {
        configSinceTick = s.tick();
      } else {
        configSinceTick = s.tick() - 1000;
      }
      lastConfig = c;
    }

    int i = 0;
    f[i++] = ratio(throughput, target);
    f[i++] = ratio(throughput, required);
    f[i++] = ratio(p99, sla.latencyP99BoundMs());
    f[i++] = log(p99);
    f[i++] = ratio(demand, target);
    f[i++] = ratio(capacity, target);
    f[i++] = capacity > 0 ? ratio(demand, capacity) : 0;
    f[i++] = capacity > 0 ? 1 : 0;
    f[i++] = capacity > 0 ? ratio(required, capacity) : 0;
    f[i++] = log(lag);
    f[i++] = log(lag / Math.max(1, demand));
    f[i++] = first ? 0 : ratio((lag - lastLag) / tickSeconds, target);
    f[i++] = state == JobMetrics.JobState.RUNNING ? 1 : 0;
    f[i++] =
        state == JobMetrics.JobState.RESTARTING
                || state == JobMetrics.JobState.FAILING
                || state == JobMetrics.JobState.CREATED
            ? 1
            : 0;
    f[i++] =
        state == JobMetrics.JobState.FAILED || state == JobMetrics.JobState.CANCELED ? 1 : 0;
    f[i++] = (float) Math.min(5, restartDelta);
    f[i++] =
        c == null || job == null || c.taskManagers() < 1
            ? 0
            : ratio(job.runningTaskManagers(), c.taskManagers());
    f[i++] = log(Math.min(1000, Math.max(0, s.tick() - configSinceTick)));
    f[i++] =
        log(restartTick == Long.MIN_VALUE ? 1000 : Math.min(1000, s.tick() - restartTick));

    // configuration
    if (c != null) {
      int sum = 0;
      for (int p : c.parallelism().values()) {
        sum += p;
      }
      f[i++] = sum;
      f[i++] = c.requiredSlots();
      f[i++] = c.taskManagers();
      f[i++] = c.requiredSlots() == 0 ? 0 : ratio(c.availableSlots(), c.requiredSlots());
      f[i++] = finite(c.taskManagerCpu());
      f[i++] = finite(c.taskManagerMemoryGb());
      f[i++] = c.networkBufferMb();
      f[i++] = c.checkpointIntervalSeconds();
      f[i++] = c.slotsPerTaskManager();
    } else {
      i += 9;
    }

    // operators by role
    double sourceIn = ops.isEmpty() ? 0 : ops.get(0).recordsInPerSecond();
    OperatorMetrics bottleneck = null;
    for (OperatorMetrics o : ops) {
      if (bottleneck == null || o.busyTimeMsPerSecond() > bottleneck.busyTimeMsPerSecond()) {
        bottleneck = o;
      }
    }
    i = operator(f, i, ops.isEmpty() ? null : ops.get(0), sourceIn, target);
    i = operator(f, i, ops.isEmpty() ? null : ops.get(ops.size() - 1), sourceIn, target);
    i = operator(f, i, bottleneck, sourceIn, target);

    double busyMax = 0;
    double busySum = 0;
    double bpMax = 0;
    double bpSum = 0;
    double idleMin = ops.isEmpty() ? 0 : Double.MAX_VALUE;
    double pending = 0;
    for (OperatorMetrics o : ops) {
      busyMax = Math.max(busyMax, o.busyRatio());
      busySum += o.busyRatio();
      bpMax = Math.max(bpMax, o.backPressuredRatio());
      bpSum += o.backPressuredRatio();
      idleMin = Math.min(idleMin, o.idleTimeMsPerSecond() / 1000.0);
      pending += Math.max(0, o.pendingRecords());
    }
    int n = Math.max(1, ops.size());
    f[i++] = finite(busyMax);
    f[i++] = finite(busySum / n);
    f[i++] = finite(bpMax);
    f[i++] = finite(bpSum / n);
    f[i++] = finite(idleMin);
    f[i++] = log(pending);
    f[i++] = ops.size();

    // TaskManagers
    if (s.taskManagers() == null) {
      f[86] = 1;
      i += 30;
    } else {
      i = taskManagers(f, i, s, tms);
    }

    // checkpoints
    CheckpointMetrics cp = s.checkpoints();
    if (cp != null) {
      double interval = c == null ? 0 : c.checkpointIntervalSeconds() * 1000.0;
      f[i++] = interval > 0 ? ratio(cp.lastDurationMs(), interval) : 0;
      f[i++] = log(cp.lastDurationMs());
      f[i++] = log(cp.lastSizeBytes());
      long failed = cp.failedTotal();
      f[i++] =
          lastCheckpointFailures < 0
              ? 0
              : (float) Math.min(5, Math.max(0, failed - lastCheckpointFailures));
      f[i++] = (float) Math.min(5, Math.max(0, cp.inProgress()));
      lastCheckpointFailures = failed;
    } else {
      i += 5;
    }

    // observability and calendar
    f[i++] = tms.size();
    f[i++] = absentShare(tms);
    ZonedDateTime t = Instant.ofEpochMilli(s.eventTimeMillis()).atZone(ZoneOffset.UTC);
    double hour = t.getHour() + t.getMinute() / 60.0;
    f[i++] = (float) Math.sin(2 * Math.PI * hour / 24);
    f[i++] = (float) Math.cos(2 * Math.PI * hour / 24);
    f[i++] = t.getDayOfWeek().getValue() >= 6 ? 1 : 0;
    f[i++] = (float) (t.getDayOfMonth() / (double) t.toLocalDate().lengthOfMonth());
    if (i != INSTANT) {
      throw new IllegalStateException("instantaneous layout wrote " + i + " values");
    }

    // trends
    for (int k = 0; k < TREND_SOURCES.length; k++) {
      trendInput[k] = f[TREND_SOURCES[k]];
    }
    window.add(s.eventTimeMillis(), trendInput);
    for (int k = 0; k < TREND_SOURCES.length; k++) {
      f[i++] = clamp(window.slopePerMinute(k, true));
      f[i++] = clamp(window.slopePerMinute(k, false));
      f[i++] = clamp(window.ewma(k));
      window.percentiles(k, QUANTILES, pct);
      f[i++] = clamp(pct[0]);
      f[i++] = clamp(pct[1]);
    }

    lastTick = s.tick();
    lastEventTime = s.eventTimeMillis();
    lastLag = lag;
    lastRestarts = restarts;
    return f;
  }

  private static int taskManagers(
      float[] f, int i, TelemetrySnapshot s, List<TaskManagerMetrics> tms) {
    f[i++] = finite(s.mean(Metric.CPU_LOAD));
    f[i++] = finite(s.max(Metric.CPU_LOAD));
    f[i++] = finite(s.max(Metric.CPU_THROTTLED));
    f[i++] = finite(s.mean(Metric.HEAP_USED_RATIO));
    f[i++] = finite(s.max(Metric.HEAP_USED_RATIO));
    f[i++] = finite(s.max(Metric.CONTAINER_MEMORY_RATIO));
    f[i++] = finite(s.mean(Metric.GC_TIME_RATIO));
    f[i++] = finite(s.max(Metric.GC_TIME_RATIO));
    f[i++] = log(s.max(Metric.GC_PAUSE_MAX));
    f[i++] = finite(s.mean(Metric.BACKPRESSURE));
    f[i++] = finite(s.max(Metric.BACKPRESSURE));
    f[i++] = finite(s.max(Metric.IN_POOL_USAGE));
    f[i++] = finite(s.max(Metric.OUT_POOL_USAGE));
    f[i++] = finite(s.max(Metric.NET_BANDWIDTH_RATIO));
    f[i++] = log(s.mean(Metric.NET_LATENCY));
    f[i++] = log(s.sum(Metric.NET_RETRANSMITS));
    f[i++] = finite(s.max(Metric.DISK_UTILIZATION));
    f[i++] = log(s.max(Metric.DISK_LATENCY));
    f[i++] = log(s.max(Metric.ROCKSDB_WRITE_STALL));
    f[i++] = log(s.max(Metric.STATE_ACCESS_LATENCY));
    f[i++] = log(s.max(Metric.MAILBOX_LATENCY));
    f[i++] = log(s.max(Metric.WATERMARK_LAG));
    f[i++] = log(s.max(Metric.CP_ALIGNMENT));
    f[i++] = log(s.max(Metric.EXT_LATENCY));
    f[i++] = log(s.sum(Metric.EXT_ERRORS));
    f[i++] = log(s.sum(Metric.EXCEPTIONS));
    f[i++] = finite(s.max(Metric.NODE_CPU_RATIO));
    f[i++] = minOrOne(tms, Metric.NODE_READY);
    f[i++] = finite(s.max(Metric.NODE_PRESSURE));
    f[i++] = log(s.sum(Metric.POD_RESTARTS_TOTAL));
    return i;
  }

  private static int operator(
      float[] f, int i, OperatorMetrics o, double sourceIn, double target) {
    if (o == null) {
      return i + 8;
    }
    f[i++] = o.parallelism();
    f[i++] = finite(o.busyRatio());
    f[i++] = finite(o.backPressuredRatio());
    f[i++] = finite(o.idleTimeMsPerSecond() / 1000.0);
    f[i++] = log(o.pendingRecords());
    f[i++] = ratio(o.recordsInPerSecond(), target);
    f[i++] = ratio(o.recordsOutPerSecond(), target);
    double inputRatio = sourceIn > 0 ? o.recordsInPerSecond() / sourceIn : 0;
    f[i++] = inputRatio > 0 ? ratio(o.trueProcessingRate() / inputRatio, target) : 0;
    return i;
  }

  private static float minOrOne(List<TaskManagerMetrics> tms, Metric m) {
    double min = Double.MAX_VALUE;
    for (TaskManagerMetrics tm : tms) {
      if (!tm.isAbsent(m)) {
        min = Math.min(min, tm.get(m));
      }
    }
    return min == Double.MAX_VALUE ? 1 : finite(min);
  }

  private static float absentShare(List<TaskManagerMetrics> tms) {
    if (tms.isEmpty()) {
      return 1;
    }
    long absent = 0;
    for (TaskManagerMetrics tm : tms) {
      absent += tm.absent().size();
    }
    return (float) (absent / ((double) tms.size() * Metric.COUNT));
  }

  private static float ratio(double a, double b) {
    if (!(b > 0) || !Double.isFinite(a)) {
      return 0;
    }
    return clamp(a / b);
  }

  private static float clamp(double v) {
    if (!Double.isFinite(v)) {
      return 0;
    }
    return (float) Math.max(-CLAMP, Math.min(CLAMP, v));
  }

  private static float log(double v) {
    return Double.isFinite(v) && v > 0 ? (float) Math.log1p(v) : 0;
  }

  private static float finite(double v) {
    return Double.isFinite(v) ? (float) v : 0;
  }

  private static List<String> buildNames() {
    List<String> n = new ArrayList<>();
    Collections.addAll(
        n,
        "throughput_over_target",
        "throughput_over_required",
        "p99_over_bound",
        "log_p99_ms",
        "demand_over_target",
        "capacity_over_target",
        "demand_over_capacity",
        "capacity_known",
        "required_over_capacity",
        "log_lag",
        "log_lag_seconds",
        "lag_growth_over_target",
        "running",
        "restarting",
        "failed",
        "restarts_delta",
        "running_tm_ratio",
        "log_ticks_since_config_change",
        "log_ticks_since_restart",
        "parallelism_sum",
        "parallelism_max",
        "task_managers",
        "slot_headroom",
        "tm_cpu",
        "tm_memory_gb",
        "network_buffer_mb",
        "checkpoint_interval_s");
    n.add("slots_per_tm");
    for (String role : List.of("source", "sink", "bottleneck")) {
      for (String v :
          List.of(
              "parallelism",
              "busy",
              "backpressured",
              "idle",
              "log_pending",
              "in_over_target",
              "out_over_target",
              "capacity_over_target")) {
        n.add(role + "_" + v);
      }
    }
    Collections.addAll(
        n,
        "busy_max",
        "busy_mean",
        "backpressured_max",
        "backpressured_mean",
        "idle_min",
        "log_pending_sum",
        "operator_count",
        "cpu_load_mean",
        "cpu_load_max",
        "cpu_throttled_max",
        "heap_ratio_mean",
        "heap_ratio_max",
        "container_memory_ratio_max",
        "gc_time_ratio_mean",
        "gc_time_ratio_max",
        "log_gc_pause_max",
        "tm_backpressure_mean",
        "tm_backpressure_max",
        "in_pool_usage_max",
        "out_pool_usage_max",
        "bandwidth_ratio_max",
        "log_net_latency_mean",
        "log_retransmits_sum",
        "disk_utilization_max",
        "log_disk_latency_max",
        "log_rocksdb_write_stall_max",
        "log_state_access_latency_max",
        "log_mailbox_latency_max",
        "log_watermark_lag_max",
        "log_checkpoint_alignment_max",
        "log_external_latency_max",
        "log_external_errors_sum",
        "log_exceptions_sum",
        "node_cpu_max",
        "node_ready_min",
        "node_pressure_max",
        "log_pod_restarts_sum",
        "checkpoint_duration_over_interval",
        "log_checkpoint_duration_ms",
        "log_checkpoint_size",
        "checkpoint_failures_delta",
        "checkpoints_in_progress",
        "tms_reporting",
        "absent_share",
        "hour_sin",
        "hour_cos",
        "weekend",
        "month_progress");
    if (n.size() != INSTANT) {
      throw new IllegalStateException("instantaneous names: " + n.size());
    }
    List<String> instant = List.copyOf(n);
    for (int src : TREND_SOURCES) {
      String base = instant.get(src);
      for (String stat : List.of("slope_5m", "slope_30m", "ewma", "p50_30m", "p90_30m")) {
        n.add(base + "_" + stat);
      }
    }
    return List.copyOf(n);
  }
}
