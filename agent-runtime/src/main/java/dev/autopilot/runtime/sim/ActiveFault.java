package dev.autopilot.runtime.sim;

import dev.autopilot.api.FailureMode;

/**
 * The mutable run-time state of one injected fault inside a pipeline model, with the facts
 * recorded at injection that decide whether a later action fixes it. {@link #toRecord()} gives the
 * immutable ground truth.
 */
final class ActiveFault {
  final String id;
  final String pipelineId;
  final FailureMode mode;
  final String target;
  final long injectedTick;
  final String parentId;
  final boolean cascade;

  long resolvedTick = -1;
  String resolvedBy;
  /** Tick at which the fault heals by itself; -1 when it never does. */
  long healTick = -1;
  /** Tick at which the cascade child is spawned; -1 when none is due. */
  long childTick = -1;
  boolean childSpawned;

  // Facts recorded at injection.
  int intervalAtInjection;
  int parallelismAtInjection;
  int badBufferMb;
  long corruptCheckpointId = -1;
  /** Share of the target's records that go to its hot subtask (data skew). */
  double hotShare;
  /** Heap leaked per second on the affected TaskManagers, bytes (memory leak). */
  double leakBytesPerSecond;
  /** Set once a lost node's TaskManagers have vanished (infrastructure failure). */
  boolean podsLost;

  ActiveFault(
      String id,
      String pipelineId,
      FailureMode mode,
      String target,
      long injectedTick,
      String parentId,
      boolean cascade) {
    this.id = id;
    this.pipelineId = pipelineId;
    this.mode = mode;
    this.target = target;
    this.injectedTick = injectedTick;
    this.parentId = parentId;
    this.cascade = cascade;
  }

  boolean active() {
    return resolvedTick < 0;
  }

  void resolve(long tick, String by) {
    if (active()) {
      resolvedTick = tick;
      resolvedBy = by;
    }
  }

  /** Ramp of the signature, 0-1, reaching 1 after {@code rampTicks}. */
  double severity(long tick, int rampTicks) {
    return Math.min(1.0, (tick - injectedTick + 1) / (double) Math.max(1, rampTicks));
  }

  Fault toRecord() {
    return new Fault(id, pipelineId, mode, target, injectedTick, resolvedTick, parentId, resolvedBy);
  }
}
