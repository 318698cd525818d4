package dev.autopilot.agents.optimization.cost;

/**
 * Knobs of the cost policy. The simulator reads them from {@code autopilot.simulation.cost} (see
 * agent-runtime's {@code reference.conf}, which documents each key and holds the defaults).
 *
 * @param spotShare share of a latency-tolerant pipeline's TaskManagers run on spot nodes (0.6: 60 %
 *     spot, 40 % on-demand)
 * @param latencyTolerantMinP99BoundMs a pipeline is latency-tolerant when its SLA's p99 bound is at
 *     least this many ms (see {@link SpotPolicy#latencyTolerant})
 * @param ssdPricePerGbMonth price of the SSD tier, dollars per GB-month
 * @param blockPricePerGbMonth price of the block-storage tier, dollars per GB-month
 * @param objectPricePerGbMonth price of the object-storage tier, dollars per GB-month
 * @param ssdMaxAgeSeconds data younger than this is on SSD (24 h)
 * @param blockMaxAgeSeconds data up to this age is on block storage, older on object storage (7 d)
 */
public record CostSettings(
    double spotShare,
    double latencyTolerantMinP99BoundMs,
    double ssdPricePerGbMonth,
    double blockPricePerGbMonth,
    double objectPricePerGbMonth,
    double ssdMaxAgeSeconds,
    double blockMaxAgeSeconds) {

  public CostSettings {
    require(spotShare >= 0 && spotShare <= 1, "spot-share must be in [0, 1], was " + spotShare);
    require(
        latencyTolerantMinP99BoundMs >= 0,
        "latency-tolerant-min-p99-bound must be >= 0 ms, was " + latencyTolerantMinP99BoundMs);
    require(
        ssdPricePerGbMonth >= 0 && blockPricePerGbMonth >= 0 && objectPricePerGbMonth >= 0,
        "storage prices must be >= 0");
    require(
        ssdMaxAgeSeconds > 0 && blockMaxAgeSeconds > ssdMaxAgeSeconds,
        "storage tier ages must satisfy 0 < ssd-max-age < block-max-age, were "
            + ssdMaxAgeSeconds
            + " s and "
            + blockMaxAgeSeconds
            + " s");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
