package dev.autopilot.api;

/**
 * A pipeline's service-level agreement.
 *
 * <p>The throughput target is a commitment to keep up with the offered load up to that rate: when
 * the offered load is below the target, the pipeline must process all of it. So throughput is
 * violated when the processed rate falls short of {@code min(target, offered)} by more than the
 * tolerance.
 *
 * @param throughputTarget events per second the pipeline must sustain
 * @param latencyP99BoundMs bound on end-to-end p99 latency, ms
 * @param throughputTolerance relative shortfall tolerated before the throughput SLA counts as
 *     violated (for example 0.05)
 */
public record SlaSpec(double throughputTarget, double latencyP99BoundMs, double throughputTolerance) {

  public SlaSpec {
    if (!(throughputTarget > 0) || !(latencyP99BoundMs > 0)) {
      throw new IllegalArgumentException(
          "SLA needs a positive throughput target and latency bound, got " + throughputTarget
              + " / " + latencyP99BoundMs);
    }
    if (!(throughputTolerance >= 0 && throughputTolerance < 1)) {
      throw new IllegalArgumentException("throughput tolerance must be in [0,1): " + throughputTolerance);
    }
  }

  /** The rate the pipeline owes for a given offered load. */
  public double requiredThroughput(double offeredPerSecond) {
    return Math.min(throughputTarget, offeredPerSecond);
  }

  public boolean throughputViolated(double processedPerSecond, double offeredPerSecond) {
    return processedPerSecond < requiredThroughput(offeredPerSecond) * (1 - throughputTolerance);
  }

  public boolean latencyViolated(double p99Ms) {
    return p99Ms > latencyP99BoundMs;
  }

  public boolean violated(double processedPerSecond, double offeredPerSecond, double p99Ms) {
    return throughputViolated(processedPerSecond, offeredPerSecond) || latencyViolated(p99Ms);
  }
}
