package dev.autopilot.runtime.sim;

import dev.autopilot.api.FailureMode;
import dev.autopilot.api.JobMetrics;
import java.util.Arrays;
import java.util.List;

/**
 * How the active faults of a pipeline bend its physics and its telemetry in one tick: operator and
 * TaskManager speeds, dropped records, hot keys, stuck operators, restart loops, checkpoint
 * failures, extra latency, and the per-TaskManager signature metrics of the fault catalogue. Every
 * effect ramps in with the fault's severity. Injection, cascades and repairs live in the pipeline
 * model; this class only reads the faults.
 */
final class FaultEffects {

  private final SimSettings s;
  private final List<ActiveFault> faults;
  private final List<String> opIds;

  /** Speed factor per operator (task crash, external dependency). */
  final double[] opSpeed;
  /** Share of its output an operator drops (operator bug). */
  final double[] opDrop;
  /** Share of an operator's records going to its hot subtask, 0 when not skewed. */
  final double[] hotShare;
  /**
   * Share of an operator's records that carry the workload's most popular key (0 for an operator
   * that is not keyed, or a workload without key skew); set by the model each tick.
   */
  final double[] keyShare;
  /** Operators deadlocked on their buffers. */
  final boolean[] stuck;
  /** Speed factor of the whole job (bad configuration, stalled alignment). */
  double jobSpeed;
  /** Share of the tick a restart loop lets the job run. */
  double loopActive;
  /** Job state forced by a restart loop or a crash, null when none. */
  JobMetrics.JobState loopState;
  /** No checkpoint completes (the job keeps failing before one can). */
  boolean checkpointsBlocked;
  /** The checkpoint a restart loop keeps restoring, -1 when none. */
  long restoredCheckpointId = -1;

  FaultEffects(SimSettings settings, List<ActiveFault> faults, List<String> opIds) {
    this.s = settings;
    this.faults = faults;
    this.opIds = opIds;
    int n = opIds.size();
    opSpeed = new double[n];
    opDrop = new double[n];
    hotShare = new double[n];
    keyShare = new double[n];
    stuck = new boolean[n];
  }

  /**
   * Recomputes the modifiers for a tick from the active faults. Returns the job restarts the
   * restart loops (state corruption, version incompatibility) cause in this tick.
   */
  int compute(long t) {
    int restarts = 0;
    restoredCheckpointId = -1;
    Arrays.fill(opSpeed, 1);
    Arrays.fill(opDrop, 0);
    Arrays.fill(hotShare, 0);
    Arrays.fill(stuck, false);
    jobSpeed = 1;
    loopActive = 1;
    loopState = null;
    checkpointsBlocked = false;
    SimSettings.FaultSettings fs = s.faults();
    for (ActiveFault f : faults) {
      if (!f.active()) {
        continue;
      }
      double sev = f.severity(t, fs.rampTicks());
      int op = opIds.indexOf(f.target);
      long age = t - f.injectedTick;
      switch (f.mode) {
        case TASK_CRASH -> {
          opSpeed[op] *= 1 - (1 - fs.crashAliveShare()) * sev;
          loopState = age % 2 == 0 ? JobMetrics.JobState.RESTARTING : JobMetrics.JobState.FAILING;
          checkpointsBlocked = true;
        }
        case CHECKPOINT_TIMEOUT -> jobSpeed *= 1 - sig().checkpointTimeoutSlowdown() * sev;
        case BACKPRESSURE_DEADLOCK -> {
          if (sev >= 1) {
            stuck[op] = true;
          } else {
            opSpeed[op] *= 1 - sev;
          }
        }
        case STATE_CORRUPTION -> {
          boolean restarting = age % 2 == 0;
          loopState = restarting ? JobMetrics.JobState.RESTARTING : JobMetrics.JobState.RUNNING;
          loopActive *= restarting ? 0 : 0.5;
          checkpointsBlocked = true;
          restoredCheckpointId = f.corruptCheckpointId;
          if (restarting) {
            restarts++;
          }
        }
        case EXTERNAL_DEPENDENCY_FAILURE -> opSpeed[op] *= 1 - (1 - fs.externalSpeed()) * sev;
        case CONFIGURATION_ERROR -> jobSpeed *= 1 - (1 - fs.misconfigSpeed()) * sev;
        case OPERATOR_BUG -> opDrop[op] = Math.max(opDrop[op], fs.bugDropShare() * sev);
        case DATA_SKEW -> hotShare[op] = Math.max(hotShare[op], f.hotShare);
        case VERSION_INCOMPATIBILITY -> {
          boolean restarting = age % 2 == 1;
          loopState = restarting ? JobMetrics.JobState.RESTARTING : JobMetrics.JobState.FAILING;
          loopActive *= 1 - 0.9 * sev;
          checkpointsBlocked = true;
          if (restarting) {
            restarts++;
          }
        }
        default -> {}
      }
    }
    return restarts;
  }

  /**
   * The hot share of a skewed operator (0 when not skewed): the larger of a data-skew fault's,
   * ramped in, and the workload's hottest key plus a fair share of the other keys.
   */
  double effectiveHot(int i, int p, long t) {
    double workloadHot = keyShare[i] > 0 ? keyShare[i] + (1 - keyShare[i]) / p : 0;
    if (hotShare[i] <= 0) {
      return workloadHot > 1.0 / p ? workloadHot : 0;
    }
    double sev = 1;
    for (ActiveFault f : faults) {
      if (f.active() && f.mode == FailureMode.DATA_SKEW && opIds.indexOf(f.target) == i) {
        sev = f.severity(t, s.faults().rampTicks());
      }
    }
    double fair = 1.0 / p;
    return Math.max(workloadHot, Math.max(fair, fair + (hotShare[i] - fair) * sev));
  }

  double nodeCpuShare(Cluster.Pod pod, long t) {
    double share = 1;
    if (pod == null || pod.node == null) {
      return share;
    }
    for (ActiveFault f : faults) {
      if (f.active() && f.mode == FailureMode.CPU_SATURATION && f.target.equals(pod.node.id)) {
        share *= 1 - (1 - s.faults().noisyNeighbourCpuShare()) * f.severity(t, s.faults().rampTicks());
      }
    }
    return share;
  }

  double nodeSpeed(Cluster.Pod pod, long t) {
    double speed = 1;
    if (pod == null || pod.node == null) {
      return speed;
    }
    for (ActiveFault f : faults) {
      if (!f.active() || !f.target.equals(pod.node.id)) {
        continue;
      }
      double sev = f.severity(t, s.faults().rampTicks());
      switch (f.mode) {
        case NETWORK_PARTITION, DISK_FULL -> speed *= 1 - (1 - s.faults().degradedSpeed()) * sev;
        case INFRASTRUCTURE_FAILURE -> speed *= 0.05;
        default -> {}
      }
    }
    return speed;
  }

  double uploadFactor() {
    double f = 1;
    for (ActiveFault a : faults) {
      if (a.active() && a.mode == FailureMode.NETWORK_PARTITION) {
        f *= s.faults().degradedSpeed();
      }
    }
    return f;
  }

  double forcedCheckpointSeverity(long tick) {
    double sev = 0;
    for (ActiveFault f : faults) {
      if (f.active() && f.mode == FailureMode.CHECKPOINT_TIMEOUT) {
        sev = Math.max(sev, f.severity(tick, s.faults().rampTicks()));
      }
    }
    return sev;
  }

  double diskFailureSeverity(long tick) {
    double sev = 0;
    for (ActiveFault f : faults) {
      if (f.active() && f.mode == FailureMode.DISK_FULL) {
        sev = Math.max(sev, f.severity(tick, s.faults().rampTicks()));
      }
    }
    return sev;
  }

  boolean leaking() {
    for (ActiveFault f : faults) {
      if (f.active() && f.mode == FailureMode.MEMORY_LEAK) {
        return true;
      }
    }
    return false;
  }

  double leakRate() {
    double r = 0;
    for (ActiveFault f : faults) {
      if (f.active() && f.mode == FailureMode.MEMORY_LEAK) {
        r += f.leakBytesPerSecond;
      }
    }
    return r;
  }

  double latencyMs(long t) {
    double extra = 0;
    for (ActiveFault f : faults) {
      if (!f.active()) {
        continue;
      }
      double sev = f.severity(t, s.faults().rampTicks());
      switch (f.mode) {
        case NETWORK_PARTITION -> extra += sig().partitionP99Ms() * sev;
        case EXTERNAL_DEPENDENCY_FAILURE -> extra += sig().externalP99Ms() * sev;
        default -> {}
      }
    }
    return extra;
  }

  SimSettings.SignatureSettings sig() {
    return s.faults().signature();
  }

  /** Per-TaskManager fault signatures (errors, network, disk, descriptors, node readiness). */
  void applyTmSignatures(TickResult.TmView v, long t) {
    Cluster.Pod pod = v.pod;
    String node = pod.node == null ? "" : pod.node.id;
    for (ActiveFault f : faults) {
      if (!f.active()) {
        continue;
      }
      double sev = f.severity(t, s.faults().rampTicks());
      boolean onNode = f.target.equals(node);
      switch (f.mode) {
        case TASK_CRASH -> {
          v.exceptions += sig().crashExceptions() * sev;
          v.logErrors += 40 * sev;
          pod.tasksFailed += Math.max(1, Math.round(v.subtasks * 0.25 * sev));
        }
        case NETWORK_PARTITION -> {
          if (onNode) {
            v.netLatencyMs += sig().partitionNetLatencyMs() * sev;
            v.retransmits += sig().partitionRetransmits() * sev;
            v.connectionFailures += sig().partitionConnectionFailures() * sev;
            v.logErrors += 10 * sev;
          }
        }
        case DISK_FULL -> {
          if (onNode) {
            v.diskUsedRatio = v.diskUsedRatio + (0.995 - v.diskUsedRatio) * sev;
            v.writeStallMs += sig().diskWriteStallMs() * sev;
            v.logErrors += 15 * sev;
          }
        }
        case CPU_SATURATION -> {
          if (onNode) {
            v.cpuThrottled += sig().noisyNeighbourThrottled() * sev;
            v.cpuSteal += sig().noisyNeighbourSteal() * sev;
            v.cpuLoad = Math.max(v.cpuLoad, 0.97 + 0.03 * sev - 0.03);
          }
        }
        case STATE_CORRUPTION -> {
          v.deserializationErrors += sig().corruptionDeserializationErrors() * sev;
          v.exceptions += 60 * sev;
          v.logErrors += 50 * sev;
          pod.tasksFailed += 1;
        }
        case EXTERNAL_DEPENDENCY_FAILURE -> {
          if (v.extRequests > 0) {
            double req = Math.max(v.extRequests, 100);
            v.extErrors += req * sig().externalErrorShare() * sev;
            v.extTimeouts += req * sig().externalTimeoutShare() * sev;
            v.extLatencyMs += sig().externalCallLatencyMs() * sev;
          }
        }
        case CONFIGURATION_ERROR -> {
          v.logErrors += sig().misconfigLogErrors() * sev;
          v.exceptions += 2 * sev;
        }
        case RESOURCE_EXHAUSTION -> {
          if (onNode) {
            v.fdRatio = v.fdRatio + (0.995 - v.fdRatio) * sev;
            v.threads += sig().exhaustedThreads() * sev;
            v.logErrors += 30 * sev;
          }
        }
        case OPERATOR_BUG -> {
          int op = opIds.indexOf(f.target);
          if (op >= 0) {
            v.exceptions += sig().bugExceptions() * sev;
            v.logErrors += 120 * sev;
          }
        }
        case VERSION_INCOMPATIBILITY -> {
          v.serializationErrors += sig().versionSerializationErrors() * sev;
          pod.classloadingErrors += Math.max(1, Math.round(5 * sev));
          v.logErrors += 80 * sev;
          v.exceptions += 30 * sev;
        }
        case INFRASTRUCTURE_FAILURE -> {
          if (onNode) {
            v.nodeReady = false;
          }
        }
        default -> {}
      }
    }
    v.cpuThrottled = Math.min(1, v.cpuThrottled);
  }
}
