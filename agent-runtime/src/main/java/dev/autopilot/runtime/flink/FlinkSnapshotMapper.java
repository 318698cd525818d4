package dev.autopilot.runtime.flink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autopilot.api.CheckpointMetrics;
import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.Metric;
import dev.autopilot.api.OperatorMetrics;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.TaskManagerMetrics;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps what the Flink REST API answered in one observation onto a {@link TelemetrySnapshot}. Pure:
 * no I/O, no clock; the platform reads, this maps.
 *
 * <p><b>Operator ids.</b> An operator id is derived from the job vertex name: lower-cased, every
 * run of characters other than {@code a-z} and {@code 0-9} replaced by one {@code -}, leading and
 * trailing {@code -} dropped ({@code "Source: numbers"} → {@code source-numbers}, {@code "Sink:
 * discard"} → {@code sink-discard}, a chain {@code "Source: in -> Map"} → {@code source-in-map}). A
 * name that maps to an id already taken gets {@code -2}, {@code -3}, … in job-graph order. The id
 * survives a resubmission as long as the vertex keeps its name, unlike the vertex id.
 *
 * <p><b>Rates</b> come from counter differences between two observations of the same job ({@code Δ
 * numRecordsIn summed over subtasks / Δt}), not from Flink's {@code *PerSecond} meters, which are
 * 60 s moving averages. A first observation, a new job, or a counter that went down (a restart
 * resets it) gives no rate: the rate fields are listed as absent. A source's records in are what it
 * emitted ({@code numRecordsOut}), since a source task receives nothing over the network.
 *
 * <p><b>What the REST API does not give</b> is marked absent, never invented: the end-to-end p99
 * latency (needs latency tracking), per-operator backlog of non-source operators and of sources
 * without a {@code pendingRecords} gauge, per-vertex state size before the first completed
 * checkpoint, and most of the per-TaskManager {@link Metric} catalogue (host, disk, container,
 * state backend, external systems, logs). See {@link #TASK_MANAGER_GAUGES} for what is read.
 *
 * <p><b>Failures</b> come from the job's failure history ({@link FlinkFailureHistory}), per
 * TaskManager where the task ran: {@code TASKS_FAILED_TOTAL} and {@code CLASSLOADING_ERRORS} count
 * the failed tasks since the platform first read the job's history; {@code EXCEPTIONS}, {@code
 * DESERIALIZATION_ERRORS} and {@code SERIALIZATION_ERRORS} are the rates of failures the job threw
 * (of those kinds) between two observations (absent on the first).
 */
public final class FlinkSnapshotMapper {

  /** Aggregated task metrics read per vertex. */
  public static final List<String> VERTEX_METRICS =
      List.of(
          "numRecordsIn",
          "numRecordsOut",
          "busyTimeMsPerSecond",
          "backPressuredTimeMsPerSecond",
          "idleTimeMsPerSecond");

  /**
   * Suffix of the FLIP-33 backlog gauge of a source operator ({@code Source__x.pendingRecords}).
   */
  public static final String PENDING_RECORDS_SUFFIX = ".pendingRecords";

  /** TaskManager gauges read as they are, by catalogue metric. */
  public static final Map<Metric, String> TASK_MANAGER_GAUGES = taskManagerGauges();

  /** TaskManager counters turned into rates between observations. */
  public static final String CPU_TIME_NS = "Status.JVM.CPU.Time";

  private static final String GC_PREFIX = "Status.JVM.GarbageCollector.";
  private static final Pattern HOST = Pattern.compile("@([^:/]+)");
  private static final double MIB = 1024.0 * 1024.0;

  /** A MiniCluster offers 1e6 "cores" per TaskManager, meaning unlimited. */
  private static final double UNLIMITED_CORES = 100_000;

  private static final double GIB = 1024.0 * MIB;

  private FlinkSnapshotMapper() {}

  /** One job vertex as read: its place in the job and its aggregated subtask metrics. */
  public record VertexReading(
      String vertexId,
      String name,
      int parallelism,
      int maxParallelism,
      boolean source,
      Map<String, JsonNode> metrics,
      Optional<String> pendingRecordsMetric,
      OptionalDouble stateSizeBytes) {
    public VertexReading {
      metrics = Map.copyOf(metrics);
    }
  }

  /**
   * One TaskManager as read.
   *
   * @param overview its entry of {@code GET /taskmanagers} (slots, resources, hardware, memory
   *     configuration)
   * @param metrics its metrics by Flink name
   */
  public record TaskManagerReading(
      String taskManagerId, JsonNode overview, Map<String, Double> metrics) {
    public TaskManagerReading {
      metrics = Map.copyOf(metrics);
    }
  }

  /**
   * Everything one observation read.
   *
   * @param exceptionHistory the answer of {@code GET /jobs/:jid/exceptions}, or null when it was
   *     not read (the failure-derived metrics are then absent)
   */
  public record Reading(
      String pipelineId,
      long tick,
      long atMillis,
      String jobId,
      String jobStatus,
      List<VertexReading> vertices,
      JsonNode checkpoints,
      OptionalDouble checkpointIntervalMs,
      List<TaskManagerReading> taskManagers,
      OptionalDouble restarts,
      JsonNode exceptionHistory) {
    public Reading {
      vertices = List.copyOf(vertices);
      taskManagers = List.copyOf(taskManagers);
    }

    /** A reading without the failure history. */
    public Reading(
        String pipelineId,
        long tick,
        long atMillis,
        String jobId,
        String jobStatus,
        List<VertexReading> vertices,
        JsonNode checkpoints,
        OptionalDouble checkpointIntervalMs,
        List<TaskManagerReading> taskManagers,
        OptionalDouble restarts) {
      this(
          pipelineId,
          tick,
          atMillis,
          jobId,
          jobStatus,
          vertices,
          checkpoints,
          checkpointIntervalMs,
          taskManagers,
          restarts,
          null);
    }
  }

  /**
   * Counters kept from one observation to compute the next one's rates.
   *
   * @param jobId the job they belong to (a new job resets them)
   * @param atMillis when they were read
   * @param vertexCounts per vertex id: records in and out summed over subtasks (NaN if unread)
   * @param taskManagerCounters per TaskManager id: cumulative counters by Flink name
   * @param failureWatermarkMillis newest failure timestamp of the job's failure history counted so
   *     far ({@link #NO_FAILURE_HISTORY} when no history was read)
   * @param taskManagerFailures per TaskManager id: failures counted since this platform first read
   *     the job's history, by {@link FailureCount}
   */
  public record Counters(
      String jobId,
      long atMillis,
      Map<String, double[]> vertexCounts,
      Map<String, Map<String, Double>> taskManagerCounters,
      long failureWatermarkMillis,
      Map<String, FailureCount> taskManagerFailures) {

    /** The watermark of counters that never read a failure history. */
    public static final long NO_FAILURE_HISTORY = -1;

    public Counters {
      taskManagerFailures = Map.copyOf(taskManagerFailures);
    }

    /** Counters without a failure history. */
    public Counters(
        String jobId,
        long atMillis,
        Map<String, double[]> vertexCounts,
        Map<String, Map<String, Double>> taskManagerCounters) {
      this(jobId, atMillis, vertexCounts, taskManagerCounters, NO_FAILURE_HISTORY, Map.of());
    }
  }

  /**
   * Failed tasks of one TaskManager: all of them; those whose cause the job threw (every kind but
   * infrastructure); and those that could not load or link a class, read or write a record (see
   * {@link FlinkFailureHistory}).
   */
  public record FailureCount(
      long failed, long thrown, long classloading, long deserialization, long serialization) {
    static final FailureCount ZERO = new FailureCount(0, 0, 0, 0, 0);

    FailureCount plus(FlinkFailureHistory.Failure f) {
      FlinkFailureHistory.Kind k = f.kind();
      return new FailureCount(
          failed + 1,
          thrown + (k != FlinkFailureHistory.Kind.INFRASTRUCTURE ? 1 : 0),
          classloading + (k == FlinkFailureHistory.Kind.CLASSLOADING ? 1 : 0),
          deserialization + (k == FlinkFailureHistory.Kind.DESERIALIZATION ? 1 : 0),
          serialization + (k == FlinkFailureHistory.Kind.SERIALIZATION ? 1 : 0));
    }
  }

  /** A mapped snapshot and the counters to keep for the next observation. */
  public record Mapped(TelemetrySnapshot snapshot, Counters counters) {}

  // ------------------------------------------------------------------------------ ids, states

  /** The stable operator id of a job vertex name (see the class comment). */
  public static String operatorId(String vertexName) {
    String id =
        vertexName == null
            ? ""
            : vertexName
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
    return id.isEmpty() ? "vertex" : id;
  }

  /** Operator ids of vertex names in job-graph order, made unique by a numeric suffix. */
  public static List<String> operatorIds(List<String> vertexNames) {
    Set<String> taken = new LinkedHashSet<>();
    List<String> ids = new ArrayList<>();
    for (String name : vertexNames) {
      String base = operatorId(name);
      String id = base;
      for (int n = 2; !taken.add(id); n++) {
        id = base + "-" + n;
      }
      ids.add(id);
    }
    return ids;
  }

  /**
   * Flink's job status reduced to what the agents act on: INITIALIZING, CREATED and RECONCILING are
   * CREATED; RESTARTING and SUSPENDED are RESTARTING; CANCELLING, CANCELED and FINISHED (a bounded
   * job's end, which a streaming pipeline only reaches by a stop) are CANCELED.
   */
  public static JobMetrics.JobState jobState(String flinkStatus) {
    return switch (flinkStatus == null ? "" : flinkStatus) {
      case "RUNNING" -> JobMetrics.JobState.RUNNING;
      case "RESTARTING", "SUSPENDED" -> JobMetrics.JobState.RESTARTING;
      case "FAILING" -> JobMetrics.JobState.FAILING;
      case "FAILED" -> JobMetrics.JobState.FAILED;
      case "CANCELLING", "CANCELED", "FINISHED" -> JobMetrics.JobState.CANCELED;
      default -> JobMetrics.JobState.CREATED;
    };
  }

  /** Whether a Flink job status is terminal (the job will not run again by itself). */
  public static boolean terminal(String flinkStatus) {
    return switch (flinkStatus == null ? "" : flinkStatus) {
      case "FAILED", "CANCELED", "FINISHED" -> true;
      default -> false;
    };
  }

  // ------------------------------------------------------------------------------ mapping

  /** Maps one reading; {@code previous} are the counters of the last observation, if any. */
  public static Mapped map(Reading r, Optional<Counters> previous) {
    Optional<Counters> prev =
        previous.filter(p -> p.jobId().equals(r.jobId()) && r.atMillis() > p.atMillis());
    double dtSeconds = prev.map(p -> (r.atMillis() - p.atMillis()) / 1000.0).orElse(0.0);
    List<String> ids = operatorIds(r.vertices().stream().map(VertexReading::name).toList());

    List<OperatorMetrics> operators = new ArrayList<>();
    Map<String, double[]> counts = new LinkedHashMap<>();
    double throughput = 0;
    boolean throughputAbsent = false;
    double lag = 0;
    boolean lagSeen = false;
    for (int i = 0; i < r.vertices().size(); i++) {
      VertexReading v = r.vertices().get(i);
      List<String> absent = new ArrayList<>();
      double in = v.source() ? sum(v, "numRecordsOut") : sum(v, "numRecordsIn");
      double out = sum(v, "numRecordsOut");
      counts.put(v.vertexId(), new double[] {in, out});
      double[] before = prev.map(p -> p.vertexCounts().get(v.vertexId())).orElse(null);
      double inRate = rate(in, before == null ? Double.NaN : before[0], dtSeconds);
      double outRate = rate(out, before == null ? Double.NaN : before[1], dtSeconds);
      if (Double.isNaN(inRate)) {
        absent.add("recordsInPerSecond");
      }
      if (Double.isNaN(outRate)) {
        absent.add("recordsOutPerSecond");
      }
      double busy = avg(v, "busyTimeMsPerSecond", absent);
      double backPressured = avg(v, "backPressuredTimeMsPerSecond", absent);
      double idle = avg(v, "idleTimeMsPerSecond", absent);
      double pending = Double.NaN;
      if (v.pendingRecordsMetric().isPresent()) {
        pending = sum(v, v.pendingRecordsMetric().get());
      }
      if (Double.isNaN(pending)) {
        absent.add("pendingRecords");
      } else if (v.source()) {
        lag += pending;
        lagSeen = true;
      }
      double state = v.stateSizeBytes().orElse(Double.NaN);
      if (!(state >= 0) || Double.isInfinite(state)) {
        absent.add("stateSizeBytes");
      }
      if (v.source()) {
        if (Double.isNaN(inRate)) {
          throughputAbsent = true;
        } else {
          throughput += inRate;
        }
      }
      operators.add(
          new OperatorMetrics(
              ids.get(i),
              Math.max(1, v.parallelism()),
              orZero(inRate),
              orZero(outRate),
              orZero(busy),
              orZero(backPressured),
              orZero(idle),
              orZero(pending),
              orZero(state),
              absent));
    }

    Map<String, Map<String, Double>> tmCounters = new HashMap<>();
    List<TaskManagerMetrics> tms = new ArrayList<>();
    Failures failures = failures(r, prev);
    for (TaskManagerReading tm : r.taskManagers()) {
      Map<String, Double> before =
          prev.map(p -> p.taskManagerCounters().get(tm.taskManagerId())).orElse(null);
      tms.add(taskManagerMetrics(tm, before, dtSeconds, failures));
      tmCounters.put(tm.taskManagerId(), counters(tm.metrics()));
    }

    List<String> jobAbsent = new ArrayList<>();
    jobAbsent.add("latencyP99Ms");
    if (throughputAbsent) {
      jobAbsent.add("throughputPerSecond");
    }
    if (!lagSeen) {
      jobAbsent.add("consumerLag");
    }
    if (r.restarts().isEmpty()) {
      jobAbsent.add("restartsTotal");
    }
    JobMetrics job =
        new JobMetrics(
            jobState(r.jobStatus()),
            throughputAbsent ? 0 : throughput,
            0,
            lag,
            (long) Math.max(0, r.restarts().orElse(0)),
            r.taskManagers().size(),
            jobAbsent);

    TelemetrySnapshot snapshot =
        new TelemetrySnapshot(
            r.pipelineId(),
            r.tick(),
            r.atMillis(),
            tms,
            operators,
            checkpointMetrics(r.checkpoints()),
            job,
            config(r));
    return new Mapped(
        snapshot,
        new Counters(
            r.jobId(), r.atMillis(), counts, tmCounters, failures.watermark, failures.cumulative));
  }

  /**
   * The failures of this reading against the previous counters.
   *
   * @param read whether the reading holds a failure history
   * @param counted whether {@link #fresh} counts new failures (a history was read before for this
   *     job, so there is a watermark to count from)
   * @param watermark the newest failure timestamp counted so far
   * @param cumulative per TaskManager present now: failures counted since the first history read
   * @param fresh per TaskManager present now: failures newer than the previous watermark
   */
  private record Failures(
      boolean read,
      boolean counted,
      long watermark,
      Map<String, FailureCount> cumulative,
      Map<String, FailureCount> fresh) {}

  /**
   * Counts the failures of the reading's history newer than the previous watermark, per TaskManager
   * present now. The first history read of a job only sets the watermark: failures from before the
   * platform watched are not counted as new. Failures on a TaskManager no longer registered (a lost
   * one) count nowhere: no TaskManager carries them. Failures the history does not locate (the
   * adaptive scheduler records task failures without their TaskManager, measured on Flink 1.20.5)
   * are carried by the first registered TaskManager in id order: the sums over TaskManagers, which
   * is what the agents read, are right; the split between TaskManagers is then not a measurement.
   */
  private static Failures failures(Reading r, Optional<Counters> prev) {
    long prevWatermark =
        prev.map(Counters::failureWatermarkMillis).orElse(Counters.NO_FAILURE_HISTORY);
    Map<String, FailureCount> before = prev.map(Counters::taskManagerFailures).orElse(Map.of());
    Optional<List<FlinkFailureHistory.Failure>> history =
        FlinkFailureHistory.parse(r.exceptionHistory());
    Map<String, FailureCount> cumulative = new HashMap<>();
    Map<String, FailureCount> fresh = new HashMap<>();
    for (TaskManagerReading tm : r.taskManagers()) {
      cumulative.put(
          tm.taskManagerId(), before.getOrDefault(tm.taskManagerId(), FailureCount.ZERO));
      fresh.put(tm.taskManagerId(), FailureCount.ZERO);
    }
    if (history.isEmpty()) {
      return new Failures(false, false, prevWatermark, cumulative, fresh);
    }
    long newest = 0;
    for (FlinkFailureHistory.Failure f : history.get()) {
      newest = Math.max(newest, f.timestampMillis());
    }
    boolean counted = prevWatermark != Counters.NO_FAILURE_HISTORY;
    String carrier = cumulative.keySet().stream().sorted().findFirst().orElse(null);
    if (counted) {
      for (FlinkFailureHistory.Failure f : history.get()) {
        String tm = f.taskManagerId() == null ? carrier : f.taskManagerId();
        if (f.timestampMillis() > prevWatermark && tm != null && cumulative.containsKey(tm)) {
          cumulative.put(tm, cumulative.get(tm).plus(f));
          fresh.put(tm, fresh.get(tm).plus(f));
        }
      }
    }
    return new Failures(true, counted, Math.max(prevWatermark, newest), cumulative, fresh);
  }

  /**
   * The configuration a reading shows: per-operator parallelism of the job vertices, the checkpoint
   * interval (whole seconds; {@link Integer#MAX_VALUE} when checkpointing is off), and the
   * TaskManagers' count, CPU ({@code totalResource.cpuCores}, or the host's cores when that is
   * missing or "unlimited" as in a MiniCluster), memory ({@code
   * memoryConfiguration.totalProcessMemory}, else {@code totalFlinkMemory}, capped at the host's
   * physical memory: a MiniCluster reports a 1 TiB task heap), network memory and slots, from the
   * first TaskManager. Without any TaskManager, those come from {@code fallback} (the last
   * configuration seen).
   */
  public static PipelineConfig config(Reading r, Optional<PipelineConfig> fallback) {
    List<String> ids = operatorIds(r.vertices().stream().map(VertexReading::name).toList());
    Map<String, Integer> parallelism = new LinkedHashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      parallelism.put(ids.get(i), r.vertices().get(i).parallelism());
    }
    int interval =
        r.checkpointIntervalMs().isPresent()
            ? intervalSeconds(r.checkpointIntervalMs().getAsDouble())
            : Integer.MAX_VALUE;
    if (r.taskManagers().isEmpty()) {
      PipelineConfig f = fallback.orElse(new PipelineConfig(parallelism, 0, interval, 0, 0, 0, 0));
      return new PipelineConfig(
          parallelism,
          f.networkBufferMb(),
          interval,
          f.taskManagers(),
          f.taskManagerCpu(),
          f.taskManagerMemoryGb(),
          f.slotsPerTaskManager());
    }
    TaskManagerReading first = r.taskManagers().get(0);
    JsonNode memory = first.overview().path("memoryConfiguration");
    double physical = positive(first.overview().path("hardware"), "physicalMemory");
    double networkBytes = positive(memory, "networkMemory");
    if (!(networkBytes > 0)) {
      networkBytes = positive(first.overview().path("totalResource"), "networkMemory") * MIB;
    }
    double cpu = positive(first.overview().path("totalResource"), "cpuCores");
    if (!(cpu > 0) || cpu >= UNLIMITED_CORES) {
      cpu = positive(first.overview().path("hardware"), "cpuCores");
    }
    double memoryBytes = positive(memory, "totalProcessMemory");
    if (!(memoryBytes > 0)) {
      memoryBytes = positive(memory, "totalFlinkMemory");
    }
    if (!(memoryBytes > 0) || (physical > 0 && memoryBytes > physical)) {
      memoryBytes = physical;
    }
    return new PipelineConfig(
        parallelism,
        (int) Math.round(networkBytes / MIB),
        interval,
        r.taskManagers().size(),
        cpu,
        Math.round(memoryBytes / GIB * 1000.0) / 1000.0,
        first.overview().path("slotsNumber").asInt(0));
  }

  private static PipelineConfig config(Reading r) {
    return config(r, Optional.empty());
  }

  /** A checkpoint interval in whole seconds, as configurations carry it (at least 1). */
  public static int intervalSeconds(double intervalMs) {
    if (!(intervalMs > 0) || intervalMs >= Integer.MAX_VALUE * 1000.0) {
      return Integer.MAX_VALUE;
    }
    return (int) Math.max(1, Math.round(intervalMs / 1000.0));
  }

  /** Checkpoint statistics of {@code GET /jobs/:jid/checkpoints}; zeros when none completed. */
  public static CheckpointMetrics checkpointMetrics(JsonNode cp) {
    if (cp == null || cp.isMissingNode() || cp.isNull()) {
      return new CheckpointMetrics(0, 0, 0, 0, 0, -1);
    }
    JsonNode counts = cp.path("counts");
    JsonNode completed = cp.path("latest").path("completed");
    JsonNode restored = cp.path("latest").path("restored");
    return new CheckpointMetrics(
        nonNegative(completed.path("end_to_end_duration").asDouble(0)),
        nonNegative(completed.path("state_size").asDouble(0)),
        Math.max(0, counts.path("completed").asLong(0)),
        Math.max(0, counts.path("failed").asLong(0)),
        Math.max(0, counts.path("in_progress").asInt(0)),
        restored.isObject() && restored.has("id") ? restored.get("id").asLong(-1) : -1);
  }

  // ------------------------------------------------------------------------------ TaskManagers

  private static Map<Metric, String> taskManagerGauges() {
    Map<Metric, String> m = new EnumMap<>(Metric.class);
    m.put(Metric.CPU_LOAD, "Status.JVM.CPU.Load");
    m.put(Metric.HEAP_USED, "Status.JVM.Memory.Heap.Used");
    m.put(Metric.HEAP_COMMITTED, "Status.JVM.Memory.Heap.Committed");
    m.put(Metric.HEAP_MAX, "Status.JVM.Memory.Heap.Max");
    m.put(Metric.NONHEAP_USED, "Status.JVM.Memory.NonHeap.Used");
    m.put(Metric.NONHEAP_COMMITTED, "Status.JVM.Memory.NonHeap.Committed");
    m.put(Metric.METASPACE_USED, "Status.JVM.Memory.Metaspace.Used");
    m.put(Metric.DIRECT_USED, "Status.JVM.Memory.Direct.MemoryUsed");
    m.put(Metric.DIRECT_COUNT, "Status.JVM.Memory.Direct.Count");
    m.put(Metric.MAPPED_USED, "Status.JVM.Memory.Mapped.MemoryUsed");
    m.put(Metric.MANAGED_USED, "Status.Flink.Memory.Managed.Used");
    m.put(Metric.MANAGED_TOTAL, "Status.Flink.Memory.Managed.Total");
    m.put(Metric.NETWORK_MEMORY_USED, "Status.Shuffle.Netty.UsedMemory");
    m.put(Metric.NETWORK_MEMORY_TOTAL, "Status.Shuffle.Netty.TotalMemory");
    m.put(Metric.THREADS, "Status.JVM.Threads.Count");
    return Map.copyOf(m);
  }

  /** Names of the TaskManager metrics to request, given the names it exposes. */
  public static List<String> taskManagerMetricsToRead(List<String> available) {
    Set<String> want = new LinkedHashSet<>(TASK_MANAGER_GAUGES.values());
    want.add(CPU_TIME_NS);
    for (String name : available) {
      if (name.startsWith(GC_PREFIX) && (name.endsWith(".Count") || name.endsWith(".Time"))) {
        want.add(name);
      }
    }
    want.retainAll(Set.copyOf(available));
    return List.copyOf(want);
  }

  private static Map<String, Double> counters(Map<String, Double> metrics) {
    Map<String, Double> c = new HashMap<>();
    metrics.forEach(
        (k, v) -> {
          if (k.equals(CPU_TIME_NS) || k.startsWith(GC_PREFIX)) {
            c.put(k, v);
          }
        });
    return c;
  }

  private static TaskManagerMetrics taskManagerMetrics(
      TaskManagerReading tm, Map<String, Double> before, double dtSeconds, Failures failures) {
    double[] values = new double[Metric.COUNT];
    Set<Metric> seen = java.util.EnumSet.noneOf(Metric.class);
    Map<String, Double> m = tm.metrics();
    TASK_MANAGER_GAUGES.forEach(
        (metric, name) -> {
          Double v = m.get(name);
          if (v != null && v >= 0 && Double.isFinite(v)) {
            values[metric.ordinal()] = v;
            seen.add(metric);
          }
        });
    if (seen.contains(Metric.HEAP_USED)
        && seen.contains(Metric.HEAP_MAX)
        && values[Metric.HEAP_MAX.ordinal()] > 0) {
      values[Metric.HEAP_USED_RATIO.ordinal()] =
          values[Metric.HEAP_USED.ordinal()] / values[Metric.HEAP_MAX.ordinal()];
      seen.add(Metric.HEAP_USED_RATIO);
    }
    double cores = positive(tm.overview().path("hardware"), "cpuCores");
    if (cores > 0) {
      values[Metric.CPU_CORES.ordinal()] = cores;
      seen.add(Metric.CPU_CORES);
    }
    JsonNode slots = tm.overview().path("slotsNumber");
    JsonNode free = tm.overview().path("freeSlots");
    if (slots.isNumber() && free.isNumber()) {
      values[Metric.SLOTS_TOTAL.ordinal()] = slots.asInt();
      values[Metric.SLOTS_USED.ordinal()] = Math.max(0, slots.asInt() - free.asInt());
      seen.add(Metric.SLOTS_TOTAL);
      seen.add(Metric.SLOTS_USED);
    }
    if (before != null && dtSeconds > 0) {
      double cpu = delta(m.get(CPU_TIME_NS), before.get(CPU_TIME_NS));
      if (cpu >= 0) {
        values[Metric.CPU_TIME.ordinal()] = cpu / 1e9 / dtSeconds;
        seen.add(Metric.CPU_TIME);
      }
      double[] young = gcDeltas(m, before, true);
      double[] old = gcDeltas(m, before, false);
      if (young != null) {
        values[Metric.GC_YOUNG_COUNT.ordinal()] = young[0] / dtSeconds;
        values[Metric.GC_YOUNG_TIME.ordinal()] = young[1] / dtSeconds;
        seen.add(Metric.GC_YOUNG_COUNT);
        seen.add(Metric.GC_YOUNG_TIME);
      }
      if (old != null) {
        values[Metric.GC_OLD_COUNT.ordinal()] = old[0] / dtSeconds;
        values[Metric.GC_OLD_TIME.ordinal()] = old[1] / dtSeconds;
        seen.add(Metric.GC_OLD_COUNT);
        seen.add(Metric.GC_OLD_TIME);
      }
      if (young != null || old != null) {
        double ms = (young == null ? 0 : young[1]) + (old == null ? 0 : old[1]);
        values[Metric.GC_TIME_RATIO.ordinal()] = Math.min(1.0, ms / (dtSeconds * 1000.0));
        seen.add(Metric.GC_TIME_RATIO);
      }
    }
    if (failures.read()) {
      FailureCount total = failures.cumulative().get(tm.taskManagerId());
      values[Metric.TASKS_FAILED_TOTAL.ordinal()] = total.failed();
      values[Metric.CLASSLOADING_ERRORS.ordinal()] = total.classloading();
      seen.add(Metric.TASKS_FAILED_TOTAL);
      seen.add(Metric.CLASSLOADING_ERRORS);
      if (failures.counted() && dtSeconds > 0) {
        FailureCount fresh = failures.fresh().get(tm.taskManagerId());
        values[Metric.EXCEPTIONS.ordinal()] = fresh.thrown() / dtSeconds;
        values[Metric.DESERIALIZATION_ERRORS.ordinal()] = fresh.deserialization() / dtSeconds;
        values[Metric.SERIALIZATION_ERRORS.ordinal()] = fresh.serialization() / dtSeconds;
        seen.add(Metric.EXCEPTIONS);
        seen.add(Metric.DESERIALIZATION_ERRORS);
        seen.add(Metric.SERIALIZATION_ERRORS);
      }
    }
    List<String> absent = new ArrayList<>();
    for (Metric metric : Metric.all()) {
      if (!seen.contains(metric)) {
        absent.add(metric.metricName());
      }
    }
    return new TaskManagerMetrics(tm.taskManagerId(), nodeId(tm.overview()), values, absent);
  }

  /** Summed count and time deltas of the young (or old) collectors; null when none is known. */
  private static double[] gcDeltas(
      Map<String, Double> now, Map<String, Double> before, boolean young) {
    double count = 0;
    double time = 0;
    boolean any = false;
    for (Map.Entry<String, Double> e : now.entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(GC_PREFIX) || !name.endsWith(".Count")) {
        continue;
      }
      String collector = name.substring(GC_PREFIX.length(), name.length() - ".Count".length());
      if (collector.equals("All") || isYoung(collector) != young) {
        continue;
      }
      String timeName = GC_PREFIX + collector + ".Time";
      double dc = delta(e.getValue(), before.get(name));
      double dt = delta(now.get(timeName), before.get(timeName));
      if (dc >= 0 && dt >= 0) {
        count += dc;
        time += dt;
        any = true;
      }
    }
    return any ? new double[] {count, time} : null;
  }

  private static boolean isYoung(String collector) {
    String c = collector.toLowerCase(Locale.ROOT);
    return c.contains("young")
        || c.contains("scavenge")
        || c.contains("parnew")
        || c.equals("copy")
        || c.contains("minor");
  }

  /** The host of a TaskManager's RPC address ({@code pekko.tcp://flink@host:port/...}). */
  static String nodeId(JsonNode overview) {
    String path = overview.path("path").asText("");
    Matcher m = HOST.matcher(path);
    return m.find() ? m.group(1) : "local";
  }

  // ------------------------------------------------------------------------------ helpers

  private static double rate(double now, double before, double dtSeconds) {
    if (!(dtSeconds > 0) || Double.isNaN(now) || Double.isNaN(before) || now < before) {
      return Double.NaN;
    }
    return (now - before) / dtSeconds;
  }

  private static double delta(Double now, Double before) {
    if (now == null || before == null || now.isNaN() || before.isNaN() || now < before) {
      return -1;
    }
    return now - before;
  }

  private static double sum(VertexReading v, String metric) {
    return aggregate(v, metric, "sum");
  }

  private static double avg(VertexReading v, String metric, List<String> absent) {
    double value = aggregate(v, metric, "avg");
    if (Double.isNaN(value)) {
      absent.add(metric);
    }
    return value;
  }

  /** One aggregate of one vertex metric; NaN when missing, NaN, negative or infinite. */
  private static double aggregate(VertexReading v, String metric, String agg) {
    JsonNode n = v.metrics().get(metric);
    if (n == null || !n.has(agg)) {
      return Double.NaN;
    }
    JsonNode a = n.get(agg);
    double value;
    if (a.isNumber()) {
      value = a.asDouble();
    } else {
      try {
        value = Double.parseDouble(a.asText());
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
    return value >= 0 && Double.isFinite(value) ? value : Double.NaN;
  }

  private static double positive(JsonNode n, String field) {
    if (n == null || !n.has(field)) {
      return 0;
    }
    double v = n.get(field).asDouble(0);
    return v > 0 && Double.isFinite(v) ? v : 0;
  }

  private static double nonNegative(double v) {
    return v >= 0 && Double.isFinite(v) ? v : 0;
  }

  private static double orZero(double v) {
    return Double.isNaN(v) ? 0 : v;
  }
}
