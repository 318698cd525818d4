package dev.autopilot.runtime.bench;

import java.util.List;

/**
 * What happened to one pipeline during one tick under one controller, as the runner measured it
 * with the simulator's ground truth. One line of {@code trace-<controller>.csv}.
 *
 * @param tick tick number (0-based event time in ticks)
 * @param pipelineId the pipeline
 * @param offeredRate events per second offered by the workload (ground truth demand)
 * @param processedRate events per second the pipeline processed
 * @param latencyP99Ms end-to-end p99 latency, ms
 * @param capacityRate events per second the current deployment could process at most
 * @param totalParallelism sum of the operators' parallelism
 * @param taskManagers TaskManagers running
 * @param cpuUtilization mean CPU load over the TaskManagers, a ratio 0-1
 * @param memoryUtilization JVM heap in use over heap size of the TaskManagers, a ratio 0-1; NaN
 *     when not measured
 * @param costSoFar cumulative cost of the pipeline since tick 0 (currency units)
 * @param eventsSoFar cumulative events processed by the pipeline since tick 0
 * @param slaViolated whether the pipeline's {@code SlaSpec} was violated during this tick
 * @param activeFaultIds ids of the faults active during this tick
 * @param actions actions applied to the pipeline during this tick, described ({@code
 *     Action.describe()}), in order
 */
public record TickRecord(
    long tick,
    String pipelineId,
    double offeredRate,
    double processedRate,
    double latencyP99Ms,
    double capacityRate,
    int totalParallelism,
    int taskManagers,
    double cpuUtilization,
    double memoryUtilization,
    double costSoFar,
    double eventsSoFar,
    boolean slaViolated,
    List<String> activeFaultIds,
    List<String> actions) {

  public TickRecord {
    activeFaultIds = activeFaultIds == null ? List.of() : List.copyOf(activeFaultIds);
    actions = actions == null ? List.of() : List.copyOf(actions);
  }

  /** A record without a memory measurement. */
  public TickRecord(
      long tick,
      String pipelineId,
      double offeredRate,
      double processedRate,
      double latencyP99Ms,
      double capacityRate,
      int totalParallelism,
      int taskManagers,
      double cpuUtilization,
      double costSoFar,
      double eventsSoFar,
      boolean slaViolated,
      List<String> activeFaultIds,
      List<String> actions) {
    this(
        tick,
        pipelineId,
        offeredRate,
        processedRate,
        latencyP99Ms,
        capacityRate,
        totalParallelism,
        taskManagers,
        cpuUtilization,
        Double.NaN,
        costSoFar,
        eventsSoFar,
        slaViolated,
        activeFaultIds,
        actions);
  }
}
