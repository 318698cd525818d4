package dev.autopilot.runtime.flink.embedded;

import dev.autopilot.api.FailureMode;

/**
 * The real faults the embedded run injects into the MiniCluster, each with the simulated failure
 * mode it corresponds to (for the results, next to the simulated run's).
 */
public enum EmbeddedFault {
  /**
   * A TaskManager is terminated ({@code MiniCluster.terminateTaskManager}); a replacement starts
   * later.
   */
  TASK_MANAGER_LOST("tm-lost", FailureMode.TASK_CRASH),
  /** An operator throws on a share of its records: its tasks fail, Flink restarts the job. */
  EXCEPTION_STORM("exception-storm", FailureMode.OPERATOR_BUG),
  /** An operator spends extra time on every record: backpressure, the backlog grows. */
  SLOW_OPERATOR("slow-operator", FailureMode.EXTERNAL_DEPENDENCY_FAILURE),
  /** An operator keeps extra keyed state for every record: heap and checkpoint size grow. */
  STATE_GROWTH("state-growth", FailureMode.MEMORY_LEAK),
  /** The checkpoint directory is unusable: checkpoints fail. */
  CHECKPOINT_STORAGE_FAILURE("checkpoint-storage", FailureMode.CHECKPOINT_TIMEOUT),
  /** Not a fault: demand jumps by the surge factor; the job needs more parallelism. */
  DEMAND_SURGE("demand-surge", FailureMode.RESOURCE_EXHAUSTION);

  private final String id;
  private final FailureMode mode;

  EmbeddedFault(String id, FailureMode mode) {
    this.id = id;
    this.mode = mode;
  }

  /**
   * Whether only the removal of the fault ends it (no action of the agents can), so a recovery
   * counts only after the injector cleared it.
   */
  public boolean needsClearing() {
    return this == EXCEPTION_STORM || this == CHECKPOINT_STORAGE_FAILURE;
  }

  public String id() {
    return id;
  }

  /** The simulated failure mode this fault corresponds to. */
  public FailureMode mode() {
    return mode;
  }
}
