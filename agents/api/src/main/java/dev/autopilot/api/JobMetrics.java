package dev.autopilot.api;

import java.util.List;
import java.util.Set;

/**
 * Job-level metrics.
 *
 * @param state job status as Flink reports it
 * @param throughputPerSecond records per second consumed by the sources (the SLA throughput)
 * @param latencyP99Ms end-to-end p99 latency (event time to sink)
 * @param consumerLag total records waiting at the sources
 * @param restartsTotal job restarts since submission
 * @param runningTaskManagers TaskManagers registered and running
 * @param absent names of the measured fields the platform could not observe (see {@link #FIELDS});
 *     their value is 0 and must not be read as a measurement (for example the p99 latency, which
 *     the Flink REST API does not give without latency tracking). Empty when everything was
 *     observed.
 */
public record JobMetrics(
    JobState state,
    double throughputPerSecond,
    double latencyP99Ms,
    double consumerLag,
    long restartsTotal,
    int runningTaskManagers,
    List<String> absent) {

  /** The names of the measured fields, as {@link #absent()} lists them. */
  public static final Set<String> FIELDS =
      Set.of("throughputPerSecond", "latencyP99Ms", "consumerLag", "restartsTotal");

  public JobMetrics {
    absent = absent == null ? List.of() : List.copyOf(absent);
  }

  /** Fully observed job metrics. */
  public JobMetrics(
      JobState state,
      double throughputPerSecond,
      double latencyP99Ms,
      double consumerLag,
      long restartsTotal,
      int runningTaskManagers) {
    this(
        state,
        throughputPerSecond,
        latencyP99Ms,
        consumerLag,
        restartsTotal,
        runningTaskManagers,
        List.of());
  }

  /** Whether the platform could not observe the named field (one of {@link #FIELDS}). */
  public boolean isAbsent(String field) {
    return absent.contains(field);
  }

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
