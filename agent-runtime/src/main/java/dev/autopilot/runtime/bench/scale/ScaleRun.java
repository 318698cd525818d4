package dev.autopilot.runtime.bench.scale;

import java.util.List;

/**
 * What one run of {@code bench scale} measured (over its measured ticks only).
 *
 * @param spec the run
 * @param latencyP50Ms decision latency per pipeline-tick, median, ms
 * @param latencyP99Ms decision latency per pipeline-tick, 99th percentile, ms
 * @param latencyMaxMs decision latency per pipeline-tick, largest, ms
 * @param roundP50Ms wall time to close every pipeline's tick, median over the ticks, ms
 * @param roundMaxMs wall time to close every pipeline's tick, largest, ms
 * @param pipelineTicks pipeline-ticks closed by their meta-agent
 * @param failedTicks pipeline-ticks not closed (timeout or failure) or rejected by the gateway
 * @param ticksWithMissingAgents closed pipeline-ticks decided without some agent's answer (deadline
 *     passed)
 * @param snapshotsPerSecond snapshots ingested per second of loop time
 * @param samplesPerSecond telemetry samples ingested per second of loop time
 * @param journalWritesPerSecond events written to the journal per second of loop time
 * @param journalEvents events written to the journal during the measured ticks
 * @param snapshotWrites snapshots written to the snapshot store during the measured ticks
 * @param loopSeconds wall time of the measured ticks, seconds (without advancing the simulator)
 * @param heapAfterGcMb heap in use after a GC at the end of the run, nodes still up, MB
 * @param heapPeakMb largest heap in use seen by the sampler during the run, MB
 * @param loadAverageStart system load average (1 min) when the measured ticks began
 * @param loadAverageEnd system load average (1 min) when they ended
 * @param simulatedMaxNodes node cap of the simulated Kubernetes cluster the pipelines share
 * @param metaEntitiesPerNode meta-agents (one per pipeline) each node hosted at the end, in node
 *     order (-1: the node did not answer)
 */
public record ScaleRun(
    ScaleRunSpec spec,
    double latencyP50Ms,
    double latencyP99Ms,
    double latencyMaxMs,
    double roundP50Ms,
    double roundMaxMs,
    long pipelineTicks,
    long failedTicks,
    long ticksWithMissingAgents,
    double snapshotsPerSecond,
    double samplesPerSecond,
    double journalWritesPerSecond,
    long journalEvents,
    long snapshotWrites,
    double loopSeconds,
    double heapAfterGcMb,
    double heapPeakMb,
    double loadAverageStart,
    double loadAverageEnd,
    int simulatedMaxNodes,
    List<Integer> metaEntitiesPerNode) {

  public ScaleRun {
    metaEntitiesPerNode = List.copyOf(metaEntitiesPerNode);
  }

  /** The same run with the meta-agents' placement. */
  public ScaleRun withMetaEntitiesPerNode(List<Integer> perNode) {
    return new ScaleRun(
        spec,
        latencyP50Ms,
        latencyP99Ms,
        latencyMaxMs,
        roundP50Ms,
        roundMaxMs,
        pipelineTicks,
        failedTicks,
        ticksWithMissingAgents,
        snapshotsPerSecond,
        samplesPerSecond,
        journalWritesPerSecond,
        journalEvents,
        snapshotWrites,
        loopSeconds,
        heapAfterGcMb,
        heapPeakMb,
        loadAverageStart,
        loadAverageEnd,
        simulatedMaxNodes,
        perNode);
  }
}
