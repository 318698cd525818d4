package dev.autopilot.agents.meta.policy;

/**
 * How the actuator verifies an applied change.
 *
 * @param windowTicks ticks observed after the action settled (18 = 3 minutes)
 * @param throughputShortfall roll back when mean throughput is more than this fraction under the
 *     expectation (0.15)
 * @param latencyExcess roll back when mean p99 latency is more than this fraction over the
 *     prediction (0.25)
 * @param tickSeconds event-time length of a tick, to turn lag growth into a rate
 */
public record VerificationSettings(
    int windowTicks, double throughputShortfall, double latencyExcess, double tickSeconds) {}
