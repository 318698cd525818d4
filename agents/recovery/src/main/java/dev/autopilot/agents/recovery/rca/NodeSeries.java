package dev.autopilot.agents.recovery.rca;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics of one service over aligned sample times (one value per sample; {@code NaN} is a
 * missing value; a null array is a metric the service does not report).
 *
 * @param latency latency per statistic name (for example {@code Average}, {@code p50}, {@code
 *     p99}), seconds
 * @param requests requests per sample period
 * @param availability share of successful requests, percent (0-100)
 */
public record NodeSeries(Map<String, double[]> latency, double[] requests, double[] availability) {

  public NodeSeries {
    latency = Map.copyOf(latency);
  }

  /** Number of samples (0 when the service reports nothing). */
  public int length() {
    if (requests != null) {
      return requests.length;
    }
    if (availability != null) {
      return availability.length;
    }
    return latency.values().stream().findFirst().map(a -> a.length).orElse(0);
  }

  /** The samples {@code [from, to)} of every metric. */
  public NodeSeries slice(int from, int to) {
    Map<String, double[]> lat = new LinkedHashMap<>();
    latency.forEach((k, v) -> lat.put(k, java.util.Arrays.copyOfRange(v, from, to)));
    return new NodeSeries(
        lat,
        requests == null ? null : java.util.Arrays.copyOfRange(requests, from, to),
        availability == null ? null : java.util.Arrays.copyOfRange(availability, from, to));
  }
}
