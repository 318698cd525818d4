package dev.autopilot.agents.optimization.search;

/**
 * Steady-state performance of a configuration under a load: measured (the simulator oracle) or
 * predicted (the performance model).
 *
 * @param throughput events per second processed end to end
 * @param p99LatencyMs p99 end-to-end latency, ms
 */
public record Performance(double throughput, double p99LatencyMs) {
  public Performance {
    if (!(throughput >= 0) || !(p99LatencyMs >= 0)) {
      throw new IllegalArgumentException(
          "performance needs throughput >= 0 and p99 >= 0, got "
              + throughput
              + ", "
              + p99LatencyMs);
    }
  }
}
