package dev.autopilot.k8s;

import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.PlatformException.Kind;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.kubernetes.operator.api.spec.FlinkDeploymentSpec;
import org.apache.flink.kubernetes.operator.api.spec.JobSpec;
import org.apache.flink.kubernetes.operator.api.spec.Resource;
import org.apache.flink.kubernetes.operator.api.spec.TaskManagerSpec;

/**
 * Reads a {@link PipelineConfig} out of a FlinkDeployment spec, and computes the JSON merge patch
 * that turns one into another, field by field, writing only what differs:
 *
 * <table>
 *   <caption>PipelineConfig field to FlinkDeployment spec</caption>
 *   <tr><th>field</th><th>spec</th></tr>
 *   <tr><td>parallelism</td><td>{@code job.parallelism} (the largest) and {@code
 *       flinkConfiguration["pipeline.jobvertex-parallelism-overrides"]} ({@code vertexId:p,...}),
 *       through the operator-to-vertex annotation; without it the one operator "job" is {@code
 *       job.parallelism}</td></tr>
 *   <tr><td>taskManagers</td><td>{@code taskManager.replicas} (unset: the slots the job needs,
 *       as the operator derives it)</td></tr>
 *   <tr><td>taskManagerCpu / MemoryGb</td><td>{@code taskManager.resource.cpu / memory} (written
 *       as {@code <MiB>m})</td></tr>
 *   <tr><td>networkBufferMb</td><td>{@code taskmanager.memory.network.min} = {@code .max}
 *       (unset: Flink's derivation from the process size, fraction and bounds)</td></tr>
 *   <tr><td>checkpointIntervalSeconds</td><td>{@code execution.checkpointing.interval}
 *       (required)</td></tr>
 *   <tr><td>slotsPerTaskManager</td><td>{@code taskmanager.numberOfTaskSlots} (unset: 1)</td></tr>
 * </table>
 */
final class FlinkSpecs {
  static final String OVERRIDES = "pipeline.jobvertex-parallelism-overrides";
  static final String CHECKPOINT_INTERVAL = "execution.checkpointing.interval";
  static final String NETWORK_MIN = "taskmanager.memory.network.min";
  static final String NETWORK_MAX = "taskmanager.memory.network.max";
  static final String NETWORK_FRACTION = "taskmanager.memory.network.fraction";
  static final String SLOTS = "taskmanager.numberOfTaskSlots";

  /** The operator id of a pipeline without an operator-to-vertex annotation. */
  static final String JOB_OPERATOR = "job";

  private static final double MB = 1024.0 * 1024.0;

  private FlinkSpecs() {}

  /**
   * The pipeline's operators and the JobVertex each runs in, in job-graph order. Several operators
   * chained into one vertex share it (and so their parallelism).
   */
  record OperatorVertices(Map<String, String> vertexOf) {
    OperatorVertices {
      vertexOf = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(vertexOf));
    }

    boolean mapped() {
      return !vertexOf.isEmpty();
    }

    /** Parses {@code "op=vertex,op2=vertex2"}; null or blank: unmapped. */
    static OperatorVertices parse(String what, String annotation) {
      Map<String, String> m = new LinkedHashMap<>();
      if (annotation == null || annotation.isBlank()) {
        return new OperatorVertices(m);
      }
      for (String entry : annotation.split(",")) {
        String e = entry.trim();
        if (e.isEmpty()) {
          continue;
        }
        int eq = e.indexOf('=');
        if (eq <= 0 || eq == e.length() - 1) {
          throw new PlatformException(
              Kind.REJECTED,
              what + ": operator-vertices annotation entry '" + e + "' is not operatorId=vertexId");
        }
        String op = e.substring(0, eq).trim();
        if (m.put(op, e.substring(eq + 1).trim()) != null) {
          throw new PlatformException(
              Kind.REJECTED, what + ": operator-vertices annotation names " + op + " twice");
        }
      }
      return new OperatorVertices(m);
    }
  }

  /** The configuration a spec describes. */
  static PipelineConfig configOf(
      String what, FlinkDeploymentSpec spec, OperatorVertices ops, Integer taskManagersOverride) {
    if (spec == null) {
      throw new PlatformException(Kind.MALFORMED_RESPONSE, what + " has no spec");
    }
    Map<String, String> conf = conf(spec);
    JobSpec job = spec.getJob();
    if (job == null || job.getParallelism() < 1) {
      throw new PlatformException(
          Kind.REJECTED,
          what
              + " has no job or no spec.job.parallelism; only application deployments are managed");
    }
    Map<String, Integer> overrides = parseOverrides(what, conf.get(OVERRIDES));
    Map<String, Integer> parallelism = new LinkedHashMap<>();
    if (ops.mapped()) {
      ops.vertexOf()
          .forEach(
              (op, vertex) ->
                  parallelism.put(op, overrides.getOrDefault(vertex, job.getParallelism())));
    } else {
      parallelism.put(JOB_OPERATOR, job.getParallelism());
    }
    int slots = conf.containsKey(SLOTS) ? parseInt(what, SLOTS, conf.get(SLOTS)) : 1;
    TaskManagerSpec tm = spec.getTaskManager();
    Resource res = tm == null ? null : tm.getResource();
    if (res == null || res.getCpu() == null || res.getMemory() == null) {
      throw new PlatformException(
          Kind.REJECTED, what + " has no spec.taskManager.resource cpu and memory");
    }
    double memoryMb = memoryMb(what, "spec.taskManager.resource.memory", res.getMemory());
    int maxParallelism = parallelism.values().stream().mapToInt(Integer::intValue).max().orElse(1);
    int taskManagers =
        taskManagersOverride != null
            ? taskManagersOverride
            : tm.getReplicas() != null ? tm.getReplicas() : (maxParallelism + slots - 1) / slots;
    String interval = conf.get(CHECKPOINT_INTERVAL);
    if (interval == null) {
      throw new PlatformException(
          Kind.REJECTED,
          what + " sets no " + CHECKPOINT_INTERVAL + "; only checkpointed jobs are managed");
    }
    int checkpointSeconds =
        (int) Math.round(durationMillis(what, CHECKPOINT_INTERVAL, interval) / 1000.0);
    return new PipelineConfig(
        parallelism,
        networkMb(what, conf, memoryMb),
        checkpointSeconds,
        taskManagers,
        res.getCpu(),
        memoryMb / 1024.0,
        slots);
  }

  /**
   * The merge patch of {@code spec} (whose configuration is {@code current}) that makes it run
   * {@code desired}; empty when nothing differs. Only differing fields are written.
   */
  static Map<String, Object> specPatch(
      String what,
      FlinkDeploymentSpec spec,
      OperatorVertices ops,
      PipelineConfig current,
      PipelineConfig desired) {
    Map<String, Object> patch = new TreeMap<>();
    Map<String, String> conf = conf(spec);
    Map<String, Object> flinkConf = new TreeMap<>();
    if (!current.parallelism().equals(desired.parallelism())) {
      int jobParallelism = desired.requiredSlots();
      if (jobParallelism != spec.getJob().getParallelism()) {
        child(patch, "job").put("parallelism", jobParallelism);
      }
      if (ops.mapped()) {
        Map<String, Integer> overrides = new TreeMap<>(parseOverrides(what, conf.get(OVERRIDES)));
        Map<String, String> setBy = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : desired.parallelism().entrySet()) {
          String vertex = ops.vertexOf().get(e.getKey());
          String other = setBy.put(vertex, e.getKey());
          if (other != null && !Objects.equals(overrides.get(vertex), e.getValue())) {
            throw new PlatformException(
                Kind.REJECTED,
                what
                    + ": operators "
                    + other
                    + " and "
                    + e.getKey()
                    + " are chained in vertex "
                    + vertex
                    + " and cannot run at different parallelism");
          }
          overrides.put(vertex, e.getValue());
        }
        String value = formatOverrides(overrides);
        if (!value.equals(conf.get(OVERRIDES))) {
          flinkConf.put(OVERRIDES, value);
        }
      }
    }
    if (current.taskManagers() != desired.taskManagers()) {
      child(patch, "taskManager").put("replicas", desired.taskManagers());
    }
    if (Double.compare(current.taskManagerCpu(), desired.taskManagerCpu()) != 0) {
      child(child(patch, "taskManager"), "resource").put("cpu", desired.taskManagerCpu());
    }
    if (Math.round(current.taskManagerMemoryGb() * 1024)
        != Math.round(desired.taskManagerMemoryGb() * 1024)) {
      child(child(patch, "taskManager"), "resource")
          .put("memory", Math.round(desired.taskManagerMemoryGb() * 1024) + "m");
    }
    if (current.networkBufferMb() != desired.networkBufferMb()) {
      flinkConf.put(NETWORK_MIN, desired.networkBufferMb() + "m");
      flinkConf.put(NETWORK_MAX, desired.networkBufferMb() + "m");
    }
    if (current.checkpointIntervalSeconds() != desired.checkpointIntervalSeconds()) {
      flinkConf.put(CHECKPOINT_INTERVAL, desired.checkpointIntervalSeconds() + "s");
    }
    if (current.slotsPerTaskManager() != desired.slotsPerTaskManager()) {
      flinkConf.put(SLOTS, String.valueOf(desired.slotsPerTaskManager()));
    }
    if (!flinkConf.isEmpty()) {
      patch.put("flinkConfiguration", flinkConf);
    }
    return patch;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> child(Map<String, Object> parent, String key) {
    return (Map<String, Object>) parent.computeIfAbsent(key, k -> new TreeMap<String, Object>());
  }

  static Map<String, String> conf(FlinkDeploymentSpec spec) {
    return spec.getFlinkConfiguration() == null ? Map.of() : spec.getFlinkConfiguration();
  }

  /** Parses {@code vertexId:parallelism,...}. */
  static Map<String, Integer> parseOverrides(String what, String value) {
    Map<String, Integer> m = new LinkedHashMap<>();
    if (value == null || value.isBlank()) {
      return m;
    }
    for (String entry : value.split(",")) {
      String e = entry.trim();
      if (e.isEmpty()) {
        continue;
      }
      int colon = e.lastIndexOf(':');
      if (colon <= 0) {
        throw new PlatformException(
            Kind.MALFORMED_RESPONSE,
            what + ": " + OVERRIDES + " entry '" + e + "' is not vertexId:parallelism");
      }
      m.put(e.substring(0, colon).trim(), parseInt(what, OVERRIDES, e.substring(colon + 1).trim()));
    }
    return m;
  }

  static String formatOverrides(Map<String, Integer> overrides) {
    StringBuilder sb = new StringBuilder();
    overrides.forEach(
        (v, p) -> sb.append(sb.length() == 0 ? "" : ",").append(v).append(':').append(p));
    return sb.toString();
  }

  /**
   * Network memory in MiB: {@code min} when min = max, else Flink's derivation for a
   * process-size-only configuration: total Flink memory = process - metaspace (256 MiB) - JVM
   * overhead (10 %, within [192 MiB, 1 GiB]); network = fraction (0.1) of that, within [min (64
   * MiB), max (1 GiB)].
   */
  static int networkMb(String what, Map<String, String> conf, double processMb) {
    Double min =
        conf.containsKey(NETWORK_MIN) ? memoryMb(what, NETWORK_MIN, conf.get(NETWORK_MIN)) : null;
    Double max =
        conf.containsKey(NETWORK_MAX) ? memoryMb(what, NETWORK_MAX, conf.get(NETWORK_MAX)) : null;
    if (min != null && min.equals(max)) {
      return (int) Math.round(min);
    }
    double fraction = 0.1;
    if (conf.containsKey(NETWORK_FRACTION)) {
      try {
        fraction = Double.parseDouble(conf.get(NETWORK_FRACTION).trim());
      } catch (NumberFormatException e) {
        throw new PlatformException(
            Kind.MALFORMED_RESPONSE, what + ": " + NETWORK_FRACTION + " is not a number");
      }
    }
    double overhead = Math.min(1024, Math.max(192, 0.1 * processMb));
    double flinkMb = Math.max(0, processMb - 256 - overhead);
    double lo = min == null ? 64 : min;
    double hi = max == null ? 1024 : max;
    return (int) Math.round(Math.min(hi, Math.max(lo, fraction * flinkMb)));
  }

  private static final Pattern SIZE =
      Pattern.compile("^\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([a-zA-Z]*)\\s*$");

  /**
   * A memory size in MiB, in Flink's notation ({@code 2048m}, {@code 16g}, {@code 1 gb}: binary
   * units; no unit = bytes) or Kubernetes' ({@code 16Gi}, {@code 2G}).
   */
  static double memoryMb(String what, String key, String value) {
    Matcher m = SIZE.matcher(value == null ? "" : value);
    if (!m.matches()) {
      throw new PlatformException(
          Kind.MALFORMED_RESPONSE, what + ": " + key + " '" + value + "' is not a memory size");
    }
    double n = Double.parseDouble(m.group(1));
    String unit = m.group(2);
    double bytes;
    switch (unit) {
      case "Ki":
        bytes = n * 1024;
        break;
      case "Mi":
        bytes = n * MB;
        break;
      case "Gi":
        bytes = n * MB * 1024;
        break;
      case "Ti":
        bytes = n * MB * 1024 * 1024;
        break;
      case "K":
        bytes = n * 1e3;
        break;
      case "M":
        bytes = n * 1e6;
        break;
      case "G":
        bytes = n * 1e9;
        break;
      case "T":
        bytes = n * 1e12;
        break;
      default:
        switch (unit.toLowerCase(Locale.ROOT)) {
          case "":
          case "b":
          case "bytes":
            bytes = n;
            break;
          case "k":
          case "kb":
          case "kibibytes":
            bytes = n * 1024;
            break;
          case "m":
          case "mb":
          case "mebibytes":
            bytes = n * MB;
            break;
          case "g":
          case "gb":
          case "gibibytes":
            bytes = n * MB * 1024;
            break;
          case "t":
          case "tb":
          case "tebibytes":
            bytes = n * MB * 1024 * 1024;
            break;
          default:
            throw new PlatformException(
                Kind.MALFORMED_RESPONSE,
                what + ": " + key + " '" + value + "' has an unknown unit '" + unit + "'");
        }
    }
    return bytes / MB;
  }

  private static final Pattern DURATION = Pattern.compile("^\\s*([0-9]+)\\s*([a-zA-Zµ]*)\\s*$");

  /** A duration in Flink's notation ({@code 30s}, {@code 30 s}, {@code 1 min}, {@code 30000}). */
  static long durationMillis(String what, String key, String value) {
    Matcher m = DURATION.matcher(value);
    if (!m.matches()) {
      try {
        return java.time.Duration.parse(value.trim()).toMillis();
      } catch (java.time.format.DateTimeParseException e) {
        throw new PlatformException(
            Kind.MALFORMED_RESPONSE, what + ": " + key + " '" + value + "' is not a duration");
      }
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "":
      case "ms":
      case "milli":
      case "millis":
      case "millisecond":
      case "milliseconds":
        return n;
      case "s":
      case "sec":
      case "secs":
      case "second":
      case "seconds":
        return n * 1000;
      case "m":
      case "min":
      case "mins":
      case "minute":
      case "minutes":
        return n * 60_000;
      case "h":
      case "hour":
      case "hours":
        return n * 3_600_000;
      case "d":
      case "day":
      case "days":
        return n * 86_400_000;
      default:
        throw new PlatformException(
            Kind.MALFORMED_RESPONSE, what + ": " + key + " '" + value + "' has an unknown unit");
    }
  }

  private static int parseInt(String what, String key, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new PlatformException(
          Kind.MALFORMED_RESPONSE, what + ": " + key + " '" + value + "' is not an integer");
    }
  }
}
