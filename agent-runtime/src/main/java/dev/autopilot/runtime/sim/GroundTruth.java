package dev.autopilot.runtime.sim;

import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.SlaSpec;
import java.util.List;

/**
 * The truth about one pipeline at one tick, for the benchmark scorer only. Agents never see it: it
 * is not part of any {@link dev.autopilot.api.TelemetrySnapshot}.
 *
 * @param pipelineId the pipeline
 * @param tick the tick
 * @param offeredRate events per second offered to the source (the demand)
 * @param processedRate events per second processed end to end (source-equivalent, records dropped
 *     by faults excluded; above the offered rate while a backlog is caught up)
 * @param consumerLag events waiting at the source
 * @param latencyP99Ms true p99 latency, ms (no measurement noise)
 * @param capacity the largest rate the running configuration sustains now (faults included,
 *     restarts excluded), events/s
 * @param cpuUtilisation CPU used over CPU requested by the pipeline's TaskManagers, 0-1
 * @param memoryUtilisation JVM heap in use over heap size of the pipeline's TaskManagers, 0-1
 * @param costSoFar dollars spent on nodes, checkpoint storage and network since tick 0
 * @param eventsProcessed events processed end to end since tick 0
 * @param activeFaults faults active now
 * @param resolvedFaults faults repaired or healed so far
 * @param config the configuration the pipeline is being reconciled to
 */
public record GroundTruth(
    String pipelineId,
    long tick,
    double offeredRate,
    double processedRate,
    double consumerLag,
    double latencyP99Ms,
    double capacity,
    double cpuUtilisation,
    double memoryUtilisation,
    double costSoFar,
    double eventsProcessed,
    List<Fault> activeFaults,
    List<Fault> resolvedFaults,
    PipelineConfig config) {

  public GroundTruth {
    activeFaults = List.copyOf(activeFaults);
    resolvedFaults = List.copyOf(resolvedFaults);
  }

  /** Whether the SLA is violated at this tick (throughput against min(target, offered), or p99). */
  public boolean slaViolated(SlaSpec sla) {
    return sla.violated(processedRate, offeredRate, latencyP99Ms);
  }
}
