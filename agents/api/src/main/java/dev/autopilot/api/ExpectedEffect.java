package dev.autopilot.api;

/**
 * What the proposing agent predicts its action will do. The actuator verifies the outcome against
 * the absolute predictions; the meta-agent ranks by {@code netBenefit} and checks the relative
 * changes against the hard constraints.
 *
 * @param throughputChange predicted relative change in throughput (-0.05 = a 5 % drop)
 * @param latencyChange predicted relative change in p99 latency (0.1 = a 10 % rise)
 * @param predictedThroughput predicted throughput after the action settles, events/s
 * @param predictedLatencyP99Ms predicted p99 latency after the action settles, ms
 * @param netBenefit expected net benefit in the agent's own units (for ranking within a class)
 */
public record ExpectedEffect(
    double throughputChange,
    double latencyChange,
    double predictedThroughput,
    double predictedLatencyP99Ms,
    double netBenefit) {}
