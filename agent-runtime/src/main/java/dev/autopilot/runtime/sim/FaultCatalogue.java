package dev.autopilot.runtime.sim;

import dev.autopilot.api.Action;
import dev.autopilot.api.FailureMode;
import dev.autopilot.api.PipelineConfig;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The fault catalogue: for each of the 15 failure modes, its true root cause, the signature it
 * leaves in telemetry, what it targets, the actions that fix it, whether it heals by itself, and the
 * fault it cascades into. This is the simulator's side of the fault contract of the team brief; the
 * recovery agent encodes the same domain knowledge from the signatures, never from this class.
 *
 * <p>{@link #fixes} is the single place that decides whether an action repairs a fault. Other
 * actions do not repair it (though they still cost their restart time).
 */
public final class FaultCatalogue {

  /** What a fault targets. */
  public enum TargetKind {
    OPERATOR,
    NODE,
    JOB
  }

  /**
   * The paper's fault categories. A mode is an infrastructure fault when it strikes a node (network
   * partition, disk full, CPU saturation, resource exhaustion, node failure) and an
   * application-level fault otherwise (it strikes an operator or the job). A cascade is a planned
   * fault of a {@link #cascadeParents() cascade-capable} mode that spawns its child.
   */
  public enum Category {
    INFRASTRUCTURE,
    APPLICATION,
    CASCADE
  }

  /**
   * One catalogue entry.
   *
   * @param mode the failure mode
   * @param rootCause the true cause, in words
   * @param signature the telemetry signature, in words
   * @param targetKind what it targets
   * @param candidateTargets operators it may target (OPERATOR kind), empty otherwise
   * @param fixedBy action classes that can fix it (subject to the conditions in {@link #fixes})
   * @param fixConditions the conditions on those actions, in words
   * @param selfHeal whether and when it heals by itself, in words ("no" when it never does)
   * @param cascadesTo the mode of its cascade child, or null
   */
  public record Entry(
      FailureMode mode,
      String rootCause,
      String signature,
      TargetKind targetKind,
      List<String> candidateTargets,
      List<Class<? extends Action>> fixedBy,
      String fixConditions,
      String selfHeal,
      FailureMode cascadesTo) {}

  /**
   * What the platform did, as seen by the fault: the action (for {@code apply}, a {@link
   * Action.Reconfigure} to the desired configuration) and the configuration before and after.
   */
  public record Remedy(Action action, PipelineConfig before, PipelineConfig after) {}

  private static final List<String> ALL_OPS =
      List.of("source", "parse", "enrich", "filter", "transform", "window-agg", "session-agg", "sink");
  private static final Map<FailureMode, Entry> ENTRIES = new EnumMap<>(FailureMode.class);

  static {
    add(FailureMode.TASK_CRASH,
        "subtasks of one operator crash (native library segfault) and keep failing",
        "job RESTARTING/FAILING, TASKS_FAILED_TOTAL and EXCEPTIONS up, the target's recordsIn drops",
        TargetKind.OPERATOR, ALL_OPS,
        List.of(Action.RestartTask.class, Action.RedeployOperator.class, Action.FullRestart.class, Action.Failover.class),
        "RestartTask and RedeployOperator must name the target operator", "no", null);
    add(FailureMode.CHECKPOINT_TIMEOUT,
        "barriers stuck behind in-flight data: aligned checkpoints cannot complete in time",
        "checkpoint lastDurationMs near the timeout, failedTotal rising, CP_ALIGNMENT and CP_START_DELAY high",
        TargetKind.JOB, List.of(),
        List.of(Action.ExpandBuffers.class, Action.SetCheckpointInterval.class, Action.FullRestart.class),
        "SetCheckpointInterval (any apply) must lengthen the interval beyond the one at injection", "no", null);
    add(FailureMode.NETWORK_PARTITION,
        "the target node loses most of its connectivity to its peers",
        "NET_LATENCY, NET_RETRANSMITS, NET_CONNECTION_FAILURES way up on the node's TaskManagers; backpressure up; throughput down",
        TargetKind.NODE, List.of(),
        List.of(Action.Redistribute.class, Action.DrainNode.class, Action.Failover.class),
        "Redistribute and DrainNode must name the target node", "heals by itself after 10-30 min",
        FailureMode.CHECKPOINT_TIMEOUT);
    add(FailureMode.DISK_FULL,
        "the local disk of the target node fills up (RocksDB files, logs)",
        "DISK_USED_RATIO ~1 and DISK_FREE ~0 on the node, ROCKSDB_WRITE_STALL up, checkpoint failures",
        TargetKind.NODE, List.of(),
        List.of(Action.Redistribute.class, Action.DrainNode.class, Action.FullRestart.class),
        "Redistribute and DrainNode must name the target node", "no", FailureMode.CHECKPOINT_TIMEOUT);
    add(FailureMode.MEMORY_LEAK,
        "user code of one operator retains objects; the old generation fills until the pod is OOM-killed",
        "HEAP_USED_RATIO and OLD_GEN_USED climb over many ticks, GC_TIME_RATIO and GC_OLD_TIME rise; then POD_OOM_KILLS_TOTAL and a TASK_CRASH",
        TargetKind.OPERATOR, List.of("parse", "enrich", "transform", "window-agg", "session-agg"),
        List.of(Action.RestartTask.class, Action.FullRestart.class, Action.Failover.class),
        "any RestartTask", "no", FailureMode.TASK_CRASH);
    add(FailureMode.CPU_SATURATION,
        "a noisy neighbour on the target node takes most of its CPU",
        "CPU_LOAD ~1 and CPU_THROTTLED up on the node's TaskManagers, busy ~1000 ms/s, backpressure upstream, lag grows",
        TargetKind.NODE, List.of(),
        List.of(Action.Redistribute.class, Action.DrainNode.class, Action.Rescale.class, Action.ScaleTaskManagers.class),
        "Redistribute and DrainNode must name the target node; an apply must raise a parallelism or the TaskManager count",
        "no", null);
    add(FailureMode.BACKPRESSURE_DEADLOCK,
        "credit-based flow control deadlocks at the target operator: it waits for buffers that never come",
        "IN/OUT_POOL_USAGE = 1 and backPressured ~1000 ms/s upstream of the target, target busy ~0, throughput ~0, lag grows",
        TargetKind.OPERATOR, List.of("parse", "enrich", "filter", "transform", "window-agg", "session-agg", "sink"),
        List.of(Action.RedeployOperator.class, Action.FullRestart.class),
        "RedeployOperator must name the target; RestartTask and ExpandBuffers do not help", "no", null);
    add(FailureMode.STATE_CORRUPTION,
        "the latest checkpoint of a stateful operator is corrupt; every restore fails",
        "restart loop: job alternates RESTARTING/RUNNING, DESERIALIZATION_ERRORS and EXCEPTIONS up, restartsTotal climbs, lastRestoredCheckpointId repeats",
        TargetKind.OPERATOR, List.of("window-agg", "session-agg"),
        List.of(Action.RestoreCheckpoint.class), "RestoreCheckpoint with checkpointsBack >= 1", "no", null);
    add(FailureMode.EXTERNAL_DEPENDENCY_FAILURE,
        "the lookup service behind the enrich operator times out",
        "EXT_ERRORS, EXT_TIMEOUTS, EXT_LATENCY way up; enrich busy while its output drops",
        TargetKind.OPERATOR, List.of("enrich"),
        List.of(Action.Reconnect.class, Action.Failover.class), "any Reconnect",
        "heals by itself after 5-20 min", null);
    add(FailureMode.CONFIGURATION_ERROR,
        "a bad configuration was rolled out with a restart (network buffers far too small, bad settings)",
        "LOG_ERRORS up, throughput degraded, job RESTARTING once, TASKS_FAILED_TOTAL up, right after a restart",
        TargetKind.JOB, List.of(),
        List.of(Action.FullRestart.class, Action.Reconfigure.class),
        "the new configuration (apply, or FullRestart with a config) must restore the network buffers changed by the bad rollout",
        "no", null);
    add(FailureMode.RESOURCE_EXHAUSTION,
        "TaskManagers on the target node run out of file descriptors and threads; some cannot run",
        "FILE_DESCRIPTORS_RATIO ~1, THREADS up, runningTaskManagers < taskManagers, SLOTS_USED = SLOTS_TOTAL",
        TargetKind.NODE, List.of(),
        List.of(Action.ScaleTaskManagers.class, Action.SetResources.class, Action.FullRestart.class),
        "an apply must raise the TaskManager count or change the TaskManager resources", "no", null);
    add(FailureMode.OPERATOR_BUG,
        "a bug in the target operator throws on some records, which are dropped",
        "EXCEPTIONS and LOG_ERRORS up, the target's recordsOut << recordsIn, no restart loop",
        TargetKind.OPERATOR, List.of("parse", "enrich", "filter", "transform", "window-agg", "session-agg"),
        List.of(Action.RedeployOperator.class, Action.Failover.class),
        "RedeployOperator must name the target operator", "no", null);
    add(FailureMode.DATA_SKEW,
        "a hot key sends a large share of the records to one subtask of the target operator",
        "target busy ~1000 ms/s with a normal recordsIn share, backpressure upstream of it, other operators idle-ish",
        TargetKind.OPERATOR, List.of("enrich", "window-agg", "session-agg"),
        List.of(Action.RedeployOperator.class, Action.Redistribute.class),
        "RedeployOperator must name the target with a higher parallelism than at injection; any Redistribute",
        "no", null);
    add(FailureMode.VERSION_INCOMPATIBILITY,
        "a dependency upgrade broke class compatibility of serialized records",
        "CLASSLOADING_ERRORS and SERIALIZATION_ERRORS up, job FAILING/RESTARTING loop",
        TargetKind.JOB, List.of(),
        List.of(Action.Failover.class, Action.FullRestart.class), "any", "no", null);
    add(FailureMode.INFRASTRUCTURE_FAILURE,
        "the target node dies (kernel panic, hardware)",
        "NODE_READY = 0 on the node's TaskManagers, then they vanish: runningTaskManagers < taskManagers, job restarts",
        TargetKind.NODE, List.of(),
        List.of(Action.Redistribute.class, Action.DrainNode.class, Action.ScaleTaskManagers.class),
        "DrainNode must name the target node; an apply must raise the TaskManager count", "no",
        FailureMode.RESOURCE_EXHAUSTION);
  }

  private FaultCatalogue() {}

  private static void add(
      FailureMode mode, String cause, String signature, TargetKind kind, List<String> targets,
      List<Class<? extends Action>> fixedBy, String conditions, String selfHeal, FailureMode cascade) {
    ENTRIES.put(mode, new Entry(mode, cause, signature, kind, targets, fixedBy, conditions, selfHeal, cascade));
  }

  /** The entry of one mode. */
  public static Entry entry(FailureMode mode) {
    return ENTRIES.get(mode);
  }

  /** The category of a mode on its own (infrastructure or application; never cascade). */
  public static Category category(FailureMode mode) {
    return ENTRIES.get(mode).targetKind() == TargetKind.NODE
        ? Category.INFRASTRUCTURE
        : Category.APPLICATION;
  }

  /** The modes of a category, in {@link FailureMode} order; for CASCADE, {@link #cascadeParents}. */
  public static List<FailureMode> modes(Category category) {
    if (category == Category.CASCADE) {
      return cascadeParents();
    }
    return ENTRIES.keySet().stream().filter(m -> category(m) == category).toList();
  }

  /**
   * The modes a planned cascade can start from: those with a cascade child, except the memory leak,
   * whose OOM-kill crash is its own course (it happens whenever the leak is left alone).
   */
  public static List<FailureMode> cascadeParents() {
    return ENTRIES.values().stream()
        .filter(e -> e.cascadesTo() != null && e.mode() != FailureMode.MEMORY_LEAK)
        .map(Entry::mode)
        .toList();
  }

  /** Every entry, in {@link FailureMode} order. */
  public static List<Entry> entries() {
    return List.copyOf(ENTRIES.values());
  }

  /**
   * Whether a remedy fixes an active fault.
   *
   * @param fault the fault (its mode, target and the facts recorded at injection)
   * @param remedy what the platform did
   */
  static boolean fixes(ActiveFault fault, Remedy remedy) {
    Action a = remedy.action();
    String target = fault.target;
    return switch (fault.mode) {
      case TASK_CRASH ->
          (a instanceof Action.RestartTask r && r.operatorId().equals(target))
              || (a instanceof Action.RedeployOperator d && d.operatorId().equals(target))
              || a instanceof Action.FullRestart
              || a instanceof Action.Failover;
      case CHECKPOINT_TIMEOUT ->
          a instanceof Action.ExpandBuffers
              || a instanceof Action.FullRestart
              || (a instanceof Action.Reconfigure
                  && remedy.after().checkpointIntervalSeconds() > fault.intervalAtInjection);
      case NETWORK_PARTITION, DISK_FULL ->
          (a instanceof Action.Redistribute r && target.equals(r.fromNode()))
              || (a instanceof Action.DrainNode d && target.equals(d.nodeId()))
              || (fault.mode == FailureMode.NETWORK_PARTITION ? a instanceof Action.Failover : a instanceof Action.FullRestart);
      case MEMORY_LEAK ->
          a instanceof Action.RestartTask || a instanceof Action.FullRestart || a instanceof Action.Failover;
      case CPU_SATURATION ->
          (a instanceof Action.Redistribute r && target.equals(r.fromNode()))
              || (a instanceof Action.DrainNode d && target.equals(d.nodeId()))
              || (a instanceof Action.Reconfigure && scalesUp(remedy.before(), remedy.after()));
      case BACKPRESSURE_DEADLOCK ->
          (a instanceof Action.RedeployOperator d && d.operatorId().equals(target))
              || a instanceof Action.FullRestart;
      case STATE_CORRUPTION -> a instanceof Action.RestoreCheckpoint r && r.checkpointsBack() >= 1;
      case EXTERNAL_DEPENDENCY_FAILURE -> a instanceof Action.Reconnect || a instanceof Action.Failover;
      case CONFIGURATION_ERROR ->
          (a instanceof Action.Reconfigure || (a instanceof Action.FullRestart f && f.config() != null))
              && remedy.after().networkBufferMb() != fault.badBufferMb;
      case RESOURCE_EXHAUSTION ->
          a instanceof Action.FullRestart
              || (a instanceof Action.Reconfigure
                  && (remedy.after().taskManagers() > remedy.before().taskManagers()
                      || remedy.after().taskManagerCpu() != remedy.before().taskManagerCpu()
                      || remedy.after().taskManagerMemoryGb() != remedy.before().taskManagerMemoryGb()));
      case OPERATOR_BUG ->
          (a instanceof Action.RedeployOperator d && d.operatorId().equals(target))
              || a instanceof Action.Failover;
      case DATA_SKEW ->
          (a instanceof Action.RedeployOperator d
                  && d.operatorId().equals(target)
                  && d.parallelism() > fault.parallelismAtInjection)
              || a instanceof Action.Redistribute;
      case VERSION_INCOMPATIBILITY -> a instanceof Action.Failover || a instanceof Action.FullRestart;
      case INFRASTRUCTURE_FAILURE ->
          a instanceof Action.Redistribute
              || (a instanceof Action.DrainNode d && target.equals(d.nodeId()))
              || (a instanceof Action.Reconfigure
                  && remedy.after().taskManagers() > remedy.before().taskManagers());
    };
  }

  private static boolean scalesUp(PipelineConfig before, PipelineConfig after) {
    if (after.taskManagers() > before.taskManagers()) {
      return true;
    }
    for (Map.Entry<String, Integer> e : after.parallelism().entrySet()) {
      Integer old = before.parallelism().get(e.getKey());
      if (old != null && e.getValue() > old) {
        return true;
      }
    }
    return false;
  }
}
