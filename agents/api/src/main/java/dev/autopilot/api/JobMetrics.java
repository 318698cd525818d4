package dev.autopilot.api;

/**
 * Job-level metrics.
 *
 * @param state job status as Flink reports it
 * @param throughputPerSecond records per second consumed by the sources (the SLA throughput)
 * @param latencyP99Ms end-to-end p99 latency (event time to sink)
 * @param consumerLag total records waiting at the sources
 * @param restartsTotal job restarts since submission
 * @param runningTaskManagers TaskManagers registered and running
 */
public record JobMetrics(
    JobState state,
    double throughputPerSecond,
    double latencyP99Ms,
    double consumerLag,
    long restartsTotal,
    int runningTaskManagers) {

  /** Flink job status, reduced to what the agents act on. */
  public enum JobState {
    RUNNING,
    RESTARTING,
    FAILING,
    FAILED,
    CANCELED,
    CREATED
  }
}
