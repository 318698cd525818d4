package dev.autopilot.agents.recovery.policy;

/**
 * Named symptoms the extractor reads from telemetry; the rule table maps patterns of them to
 * causes.
 */
public enum Symptom {
  /** The job is RESTARTING/FAILING, or restarted within the hold window. */
  JOB_RESTARTING,
  /** Several restarts within the restart-loop window. */
  RESTART_LOOP,
  /** A job restart or configuration change happened recently. */
  RECENT_RESTART,
  /** The last restarts restored the same checkpoint. */
  RESTORE_REPEATED,
  /** Subtask failures within the hold window. */
  TASK_FAILURES,
  /** User-code exceptions far above their usual level. */
  EXCEPTIONS,
  /** ERROR log lines far above their usual level. */
  LOG_ERRORS,
  /** ERROR logs that began right after a restart or configuration change. */
  LOG_ERRORS_AFTER_RESTART,
  /** Deserialization errors far above their usual level. */
  DESERIALIZATION_ERRORS,
  /** Serialization errors far above their usual level. */
  SERIALIZATION_ERRORS,
  /** Class-loading / linkage errors appeared. */
  CLASSLOADING_ERRORS,
  /** The last checkpoint took most of the interval, or far longer than usual. */
  CHECKPOINT_SLOW,
  /** Checkpoints failed within the hold window. */
  CHECKPOINT_FAILING,
  /** Checkpoint alignment or start delay far above usual. */
  CHECKPOINT_ALIGNMENT_SLOW,
  /** Network latency, retransmits and connection failures way up on one node. */
  NET_DEGRADED,
  /** Local disk nearly full on one node. */
  DISK_FULL,
  /** RocksDB write stalls far above usual. */
  DISK_STALL,
  /** Heap used ratio climbing steadily at a high level. */
  HEAP_CLIMBING,
  /** GC takes a large share of time. */
  GC_PRESSURE,
  /** TaskManager pods were OOM-killed. */
  OOM_KILLS,
  /** CPU saturated on one node only (a noisy neighbour). */
  CPU_SATURATED,
  /** CPU saturated on most nodes: a load surge, for scaling rather than recovery. */
  CPU_SATURATED_CLUSTER,
  /** CPU throttled by the container limit. */
  CPU_THROTTLED,
  /** Operators are backpressured a large share of time. */
  BACKPRESSURE_HIGH,
  /** Buffers full and upstream backpressured while one operator is neither busy nor progressing. */
  BUFFERS_FULL_STUCK,
  /** One operator busy all the time with a normal input share while the others are not. */
  HOT_OPERATOR,
  /** One operator emits far fewer records per input than it used to. */
  RECORDS_DROPPED,
  /** One operator receives far less input than the others, relative to their baselines. */
  OPERATOR_INPUT_DROP,
  /** External requests failing, timing out or slow. */
  EXTERNAL_ERRORS,
  /** File descriptors nearly exhausted. */
  FD_EXHAUSTED,
  /** Thread count far above usual. */
  THREADS_HIGH,
  /** Fewer TaskManagers running than configured. */
  TM_MISSING,
  /** A node hosting TaskManagers is (or recently was) NotReady. */
  NODE_NOT_READY,
  /** Throughput well below its recent level. */
  THROUGHPUT_DROP,
  /** p99 latency well above its recent level. */
  LATENCY_HIGH,
  /** Consumer lag grows. */
  LAG_GROWING
}
