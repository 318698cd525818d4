package dev.autopilot.runtime.sim;

import dev.autopilot.api.JobMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * What one tick of a pipeline model produced: the true rates, latency and capacity, the per
 * operator figures and, per reported TaskManager, the drivers the telemetry synthesizer turns into
 * the 162 metrics. Rebuilt every tick; read by the telemetry synthesizer and the ground truth.
 */
final class TickResult {

  /** Per-TaskManager drivers of one tick. */
  static final class TmView {
    Cluster.Pod pod;
    boolean nodeReady = true;
    double cores;
    double cpuLoad;
    double cpuThrottled;
    double cpuSteal;
    double threads;
    double subtasks;
    double slotsUsed;
    double recordsIn;
    double recordsOut;
    double bytesIn;
    double bytesOut;
    double busy;
    double backPressured;
    double heapMax;
    double heapUsed;
    double oldGen;
    double youngGen;
    double allocRate;
    double gcYoungCount;
    double gcYoungTimeMs;
    double gcOldCount;
    double gcOldTimeMs;
    double gcPauseP99;
    double gcPauseMax;
    double inPool;
    double outPool;
    double netLatencyMs;
    double retransmits;
    double connectionFailures;
    double diskUsedRatio;
    double writeStallMs;
    double stateBytes;
    double stateGrowth;
    double exceptions;
    double logErrors;
    double deserializationErrors;
    double serializationErrors;
    double extRequests;
    double extErrors;
    double extTimeouts;
    double extLatencyMs;
    double fdRatio;
    double sourceLag;
    double sourceShare;
  }

  final int operators;
  double offered;
  double throughput;
  double processed;
  double latencyP99Ms;
  double capacity;
  double cpuUtilisation;

  /** JVM heap in use over heap size, summed over the reported TaskManagers, 0-1. */
  double memoryUtilisation;

  double activeFraction;
  double utilisation;
  JobMetrics.JobState jobState = JobMetrics.JobState.RUNNING;
  int runningTaskManagers;
  final int[] parallelism;
  final double[] recordsIn;
  final double[] recordsOut;
  final double[] busy;
  final double[] backPressured;
  final double[] idle;
  final double[] pending;
  final double[] stateBytes;
  final List<TmView> taskManagers = new ArrayList<>();

  TickResult(int operators) {
    this.operators = operators;
    parallelism = new int[operators];
    recordsIn = new double[operators];
    recordsOut = new double[operators];
    busy = new double[operators];
    backPressured = new double[operators];
    idle = new double[operators];
    pending = new double[operators];
    stateBytes = new double[operators];
  }
}
