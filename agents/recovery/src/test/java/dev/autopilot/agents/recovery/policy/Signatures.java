package dev.autopilot.agents.recovery.policy;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.api.CheckpointMetrics;
import dev.autopilot.api.FailureMode;
import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.JobMetrics.JobState;
import dev.autopilot.api.Metric;
import dev.autopilot.api.OperatorMetrics;
import dev.autopilot.api.TaskManagerMetrics;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Test scenarios: seeded healthy telemetry and the metric signature of each failure mode as the
 * brief's fault catalogue describes it (real Flink symptoms), built on {@link Snapshots#builder}
 * and bent per node or operator where a fault targets one.
 */
final class Signatures {
  static final String PIPELINE = "p1";
  static final String CRASH_OP = "window-agg";
  static final String STUCK_OP = "session-agg";
  static final String BUG_OP = "transform";
  static final String SKEW_OP = "window-agg";
  static final String EXT_OP = "enrich";
  static final String PARTITION_NODE = "node-2";
  static final String DISK_NODE = "node-1";
  static final String LEAK_NODE = "node-3";
  static final String CPU_NODE = "node-0";
  static final String LOST_NODE = "node-1";

  private Signatures() {}

  static RecoverySettings settings() {
    return RecoverySettings.create(ConfigFactory.load());
  }

  /** Number of fault ticks a scenario runs before it is diagnosed. */
  static int faultTicks(FailureMode mode) {
    return mode == FailureMode.MEMORY_LEAK ? 30 : 8;
  }

  /** A healthy snapshot with seeded noise. */
  static TelemetrySnapshot healthy(long tick, Random rnd) {
    TelemetrySnapshot s =
        Snapshots.builder(PIPELINE, tick)
            .throughput(500_000 * (1 + 0.02 * rnd.nextGaussian()))
            .latencyP99(120 * (1 + 0.05 * rnd.nextGaussian()))
            .lag(1_000 + 100 * rnd.nextGaussian())
            .busy(0.55 + 0.02 * rnd.nextGaussian())
            .checkpointMs(2_000 + 100 * rnd.nextGaussian())
            .tm(Metric.THREADS, 200)
            .tm(Metric.EXT_LATENCY, 20)
            .tm(Metric.FILE_DESCRIPTORS_RATIO, 0.3)
            .build();
    return mapTms(
        s,
        (tm, v) -> {
          v[Metric.NET_LATENCY.ordinal()] = 0.5 * (1 + 0.1 * Math.abs(rnd.nextGaussian()));
          v[Metric.HEAP_USED_RATIO.ordinal()] = 0.45 + 0.01 * rnd.nextGaussian();
          v[Metric.CPU_LOAD.ordinal()] = 0.5 + 0.02 * rnd.nextGaussian();
        });
  }

  /**
   * The snapshot of fault tick {@code k} (0-based) of a failure mode; the signature ramps in over
   * the first ticks.
   */
  static TelemetrySnapshot fault(FailureMode mode, long tick, int k, Random rnd) {
    double x = Math.min(1.0, (k + 1) / 4.0);
    TelemetrySnapshot base = healthy(tick, rnd);
    return switch (mode) {
      case TASK_CRASH -> {
        TelemetrySnapshot s = withJob(base, k < 2 ? JobState.RESTARTING : JobState.RUNNING, 1, -1);
        s =
            mapTms(
                s,
                (tm, v) -> {
                  v[Metric.TASKS_FAILED_TOTAL.ordinal()] = 2 * (k + 1);
                  v[Metric.EXCEPTIONS.ordinal()] = 40 * x;
                });
        yield mapOps(
            s,
            op ->
                switch (op.operatorId()) {
                  case CRASH_OP ->
                      op(
                          op,
                          op.recordsInPerSecond() * (1 - 0.7 * x),
                          op.recordsOutPerSecond() * (1 - 0.7 * x),
                          0.05,
                          0);
                  case "transform" ->
                      op(op, op.recordsInPerSecond(), op.recordsOutPerSecond(), 0.3, 0.6 * x);
                  default -> op;
                });
      }
      case CHECKPOINT_TIMEOUT -> {
        TelemetrySnapshot s = withCheckpoints(base, 2_000 + 27_000 * x, k + 1, -1);
        yield mapTms(
            s,
            (tm, v) -> {
              v[Metric.CP_ALIGNMENT.ordinal()] = 8_000 * x;
              v[Metric.CP_START_DELAY.ordinal()] = 5_000 * x;
            });
      }
      case NETWORK_PARTITION -> {
        TelemetrySnapshot s =
            mapTms(
                base,
                (tm, v) -> {
                  if (tm.nodeId().equals(PARTITION_NODE)) {
                    v[Metric.NET_LATENCY.ordinal()] = 200 * x;
                    v[Metric.NET_RETRANSMITS.ordinal()] = 500 * x;
                    v[Metric.NET_CONNECTION_FAILURES.ordinal()] = 50 * x;
                    v[Metric.BACKPRESSURE.ordinal()] = 0.6 * x;
                  }
                });
        yield withThroughput(s, s.job().throughputPerSecond() * (1 - 0.3 * x));
      }
      case DISK_FULL -> {
        TelemetrySnapshot s =
            mapTms(
                base,
                (tm, v) -> {
                  if (tm.nodeId().equals(DISK_NODE)) {
                    v[Metric.DISK_USED_RATIO.ordinal()] = 0.3 + 0.69 * x;
                    v[Metric.DISK_FREE.ordinal()] = 1e9 * (1 - x);
                    v[Metric.ROCKSDB_WRITE_STALL.ordinal()] = 300 * x;
                  }
                });
        yield withCheckpoints(s, 4_000, k + 1, -1);
      }
      case MEMORY_LEAK ->
          mapTms(
              base,
              (tm, v) -> {
                if (tm.nodeId().equals(LEAK_NODE)) {
                  double climb = Math.min(1, (k + 1) / 30.0);
                  v[Metric.HEAP_USED_RATIO.ordinal()] =
                      0.45 + 0.5 * climb + 0.01 * rnd.nextGaussian();
                  v[Metric.OLD_GEN_USED.ordinal()] = 3e9 * climb;
                  v[Metric.GC_TIME_RATIO.ordinal()] = 0.02 + 0.25 * climb;
                }
              });
      case CPU_SATURATION -> {
        TelemetrySnapshot s =
            mapTms(
                base,
                (tm, v) -> {
                  if (tm.nodeId().equals(CPU_NODE)) {
                    v[Metric.CPU_LOAD.ordinal()] = 0.6 + 0.39 * x;
                    v[Metric.CPU_THROTTLED.ordinal()] = 0.5 * x;
                  }
                });
        s =
            mapOps(
                s,
                op ->
                    op.operatorId().equals("sink")
                        ? op
                        : op(op, op.recordsInPerSecond(), op.recordsOutPerSecond(), 0.7, 0.3 * x));
        yield withLag(s, 1_000 + 200_000 * (k + 1));
      }
      case BACKPRESSURE_DEADLOCK -> {
        boolean[] upstream = {true};
        TelemetrySnapshot s =
            mapOps(
                base,
                op -> {
                  if (op.operatorId().equals(STUCK_OP)) {
                    upstream[0] = false;
                    return op(
                        op,
                        op.recordsInPerSecond() * (1 - 0.95 * x),
                        op.recordsOutPerSecond() * (1 - 0.95 * x),
                        0.55 * (1 - x) + 0.01,
                        0);
                  }
                  return upstream[0]
                      ? op(
                          op,
                          op.recordsInPerSecond() * (1 - 0.95 * x),
                          op.recordsOutPerSecond() * (1 - 0.95 * x),
                          0.55 * (1 - x) + 0.02,
                          0.95 * x)
                      : op(
                          op,
                          op.recordsInPerSecond() * (1 - 0.95 * x),
                          op.recordsOutPerSecond() * (1 - 0.95 * x),
                          0.05,
                          0);
                });
        s =
            mapTms(
                s,
                (tm, v) -> {
                  v[Metric.IN_POOL_USAGE.ordinal()] = 0.2 + 0.8 * x;
                  v[Metric.OUT_POOL_USAGE.ordinal()] = 0.2 + 0.8 * x;
                  v[Metric.BACKPRESSURE.ordinal()] = 0.95 * x;
                });
        s = withThroughput(s, s.job().throughputPerSecond() * (1 - 0.95 * x));
        yield withLag(s, 1_000 + 500_000 * (k + 1));
      }
      case STATE_CORRUPTION -> {
        TelemetrySnapshot s =
            withJob(base, k % 2 == 0 ? JobState.RESTARTING : JobState.RUNNING, k / 2 + 1, -1);
        s = withCheckpoints(s, s.checkpoints().lastDurationMs(), 0, 41);
        yield mapTms(
            s,
            (tm, v) -> {
              v[Metric.DESERIALIZATION_ERRORS.ordinal()] = 100 * x;
              v[Metric.EXCEPTIONS.ordinal()] = 30 * x;
            });
      }
      case EXTERNAL_DEPENDENCY_FAILURE -> {
        TelemetrySnapshot s =
            mapTms(
                base,
                (tm, v) -> {
                  v[Metric.EXT_ERRORS.ordinal()] = 200 * x;
                  v[Metric.EXT_TIMEOUTS.ordinal()] = 100 * x;
                  v[Metric.EXT_LATENCY.ordinal()] = 20 + 2_000 * x;
                });
        yield mapOps(
            s,
            op ->
                op.operatorId().equals(EXT_OP)
                    ? op(
                        op,
                        op.recordsInPerSecond(),
                        op.recordsOutPerSecond() * (1 - 0.6 * x),
                        0.95,
                        0)
                    : op);
      }
      case CONFIGURATION_ERROR -> {
        TelemetrySnapshot s = withJob(base, k == 0 ? JobState.RESTARTING : JobState.RUNNING, 1, -1);
        s = withThroughput(s, s.job().throughputPerSecond() * 0.6);
        yield mapTms(
            s,
            (tm, v) -> {
              v[Metric.TASKS_FAILED_TOTAL.ordinal()] = 2;
              v[Metric.LOG_ERRORS.ordinal()] = k == 0 ? 0 : 300;
            });
      }
      case RESOURCE_EXHAUSTION -> {
        TelemetrySnapshot s =
            mapTms(
                base,
                (tm, v) -> {
                  v[Metric.FILE_DESCRIPTORS_RATIO.ordinal()] = 0.3 + 0.69 * x;
                  v[Metric.THREADS.ordinal()] = 200 + 1_800 * x;
                });
        yield withJob(s, JobState.RUNNING, 0, k >= 4 ? 7 : 8);
      }
      case OPERATOR_BUG -> {
        TelemetrySnapshot s =
            mapTms(
                base,
                (tm, v) -> {
                  v[Metric.EXCEPTIONS.ordinal()] = 50 * x;
                  v[Metric.LOG_ERRORS.ordinal()] = 100 * x;
                });
        yield mapOps(
            s,
            op ->
                op.operatorId().equals(BUG_OP)
                    ? op(
                        op,
                        op.recordsInPerSecond(),
                        op.recordsOutPerSecond() * (1 - 0.8 * x),
                        op.busyRatio(),
                        0)
                    : op);
      }
      case DATA_SKEW -> {
        boolean[] upstream = {true};
        TelemetrySnapshot s =
            mapOps(
                base,
                op -> {
                  if (op.operatorId().equals(SKEW_OP)) {
                    upstream[0] = false;
                    return op(
                        op,
                        op.recordsInPerSecond() * 0.8,
                        op.recordsOutPerSecond() * 0.8,
                        0.55 + 0.44 * x,
                        0);
                  }
                  return op(
                      op,
                      op.recordsInPerSecond() * 0.8,
                      op.recordsOutPerSecond() * 0.8,
                      0.3,
                      upstream[0] ? 0.6 * x : 0);
                });
        s = withThroughput(s, s.job().throughputPerSecond() * 0.8);
        yield withLag(s, 1_000 + 100_000 * (k + 1));
      }
      case VERSION_INCOMPATIBILITY -> {
        TelemetrySnapshot s =
            withJob(base, k % 2 == 0 ? JobState.FAILING : JobState.RESTARTING, k / 2 + 1, -1);
        yield mapTms(
            s,
            (tm, v) -> {
              v[Metric.CLASSLOADING_ERRORS.ordinal()] = 5 * (k + 1);
              v[Metric.SERIALIZATION_ERRORS.ordinal()] = 50 * x;
            });
      }
      case INFRASTRUCTURE_FAILURE -> {
        if (k < 3) {
          yield mapTms(
              base,
              (tm, v) -> {
                if (tm.nodeId().equals(LOST_NODE)) {
                  v[Metric.NODE_READY.ordinal()] = 0;
                }
              });
        }
        List<TaskManagerMetrics> kept = new ArrayList<>();
        for (TaskManagerMetrics tm : base.taskManagers()) {
          if (!tm.nodeId().equals(LOST_NODE)) {
            kept.add(tm);
          }
        }
        TelemetrySnapshot s =
            new TelemetrySnapshot(
                base.pipelineId(),
                base.tick(),
                base.eventTimeMillis(),
                kept,
                base.operators(),
                base.checkpoints(),
                base.job(),
                base.config());
        yield withJob(s, k == 3 ? JobState.RESTARTING : JobState.RUNNING, 1, kept.size());
      }
    };
  }

  /**
   * A cluster-wide load surge: CPU high on every node, backpressure, lag and latency up, no errors.
   */
  static TelemetrySnapshot loadSurge(long tick, int k, Random rnd) {
    double x = Math.min(1.0, (k + 1) / 4.0);
    TelemetrySnapshot s =
        Snapshots.builder(PIPELINE, tick)
            .throughput(500_000 * (1 + 0.6 * x) * (1 + 0.02 * rnd.nextGaussian()))
            .latencyP99(120 + 300 * x)
            .lag(1_000 + 300_000 * (k + 1))
            .busy(0.55 + 0.4 * x)
            .backPressure(0.5 * x)
            .checkpointMs(2_000 + 4_000 * x)
            .tm(Metric.THREADS, 200)
            .tm(Metric.EXT_LATENCY, 20)
            .tm(Metric.FILE_DESCRIPTORS_RATIO, 0.3)
            .build();
    return mapTms(
        s,
        (tm, v) -> {
          v[Metric.CPU_LOAD.ordinal()] = 0.5 + 0.48 * x;
          v[Metric.CPU_THROTTLED.ordinal()] = 0.2 * x;
          v[Metric.NET_LATENCY.ordinal()] = 0.5;
        });
  }

  // ------------------------------------------------------------------ bending helpers

  interface TmEdit {
    void edit(TaskManagerMetrics tm, double[] values);
  }

  static TelemetrySnapshot mapTms(TelemetrySnapshot s, TmEdit edit) {
    List<TaskManagerMetrics> tms = new ArrayList<>();
    for (TaskManagerMetrics tm : s.taskManagers()) {
      double[] v = tm.values().clone();
      edit.edit(tm, v);
      tms.add(new TaskManagerMetrics(tm.taskManagerId(), tm.nodeId(), v, tm.absent()));
    }
    return new TelemetrySnapshot(
        s.pipelineId(),
        s.tick(),
        s.eventTimeMillis(),
        tms,
        s.operators(),
        s.checkpoints(),
        s.job(),
        s.config());
  }

  static TelemetrySnapshot mapOps(TelemetrySnapshot s, UnaryOperator<OperatorMetrics> edit) {
    List<OperatorMetrics> ops = new ArrayList<>();
    for (OperatorMetrics op : s.operators()) {
      ops.add(edit.apply(op));
    }
    return new TelemetrySnapshot(
        s.pipelineId(),
        s.tick(),
        s.eventTimeMillis(),
        s.taskManagers(),
        ops,
        s.checkpoints(),
        s.job(),
        s.config());
  }

  static OperatorMetrics op(OperatorMetrics o, double in, double out, double busy, double bp) {
    double idle = Math.max(0, 1 - busy - bp);
    return new OperatorMetrics(
        o.operatorId(),
        o.parallelism(),
        in,
        out,
        busy * 1000,
        bp * 1000,
        idle * 1000,
        o.pendingRecords(),
        o.stateSizeBytes());
  }

  /** Job state, restarts total and running TaskManagers (-1 keeps the current count). */
  static TelemetrySnapshot withJob(
      TelemetrySnapshot s, JobState state, long restarts, int running) {
    JobMetrics j = s.job();
    return new TelemetrySnapshot(
        s.pipelineId(),
        s.tick(),
        s.eventTimeMillis(),
        s.taskManagers(),
        s.operators(),
        s.checkpoints(),
        new JobMetrics(
            state,
            j.throughputPerSecond(),
            j.latencyP99Ms(),
            j.consumerLag(),
            restarts,
            running < 0 ? j.runningTaskManagers() : running),
        s.config());
  }

  static TelemetrySnapshot withThroughput(TelemetrySnapshot s, double throughput) {
    JobMetrics j = s.job();
    return new TelemetrySnapshot(
        s.pipelineId(),
        s.tick(),
        s.eventTimeMillis(),
        s.taskManagers(),
        s.operators(),
        s.checkpoints(),
        new JobMetrics(
            j.state(),
            throughput,
            j.latencyP99Ms(),
            j.consumerLag(),
            j.restartsTotal(),
            j.runningTaskManagers()),
        s.config());
  }

  static TelemetrySnapshot withLag(TelemetrySnapshot s, double lag) {
    JobMetrics j = s.job();
    return new TelemetrySnapshot(
        s.pipelineId(),
        s.tick(),
        s.eventTimeMillis(),
        s.taskManagers(),
        s.operators(),
        s.checkpoints(),
        new JobMetrics(
            j.state(),
            j.throughputPerSecond(),
            j.latencyP99Ms(),
            lag,
            j.restartsTotal(),
            j.runningTaskManagers()),
        s.config());
  }

  /** Checkpoint duration, failed total and last restored id (-1 keeps it). */
  static TelemetrySnapshot withCheckpoints(
      TelemetrySnapshot s, double durationMs, long failed, long restored) {
    CheckpointMetrics c = s.checkpoints();
    return new TelemetrySnapshot(
        s.pipelineId(),
        s.tick(),
        s.eventTimeMillis(),
        s.taskManagers(),
        s.operators(),
        new CheckpointMetrics(
            durationMs,
            c.lastSizeBytes(),
            c.completedTotal(),
            failed,
            c.inProgress(),
            restored < 0 ? c.lastRestoredCheckpointId() : restored),
        s.job(),
        s.config());
  }
}
