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
 * @param maxCatchUpTicks ticks after the settle ticks the window waits at most for the job to run
 *     and the restart backlog to be caught up; after them the window starts anyway (30)
 * @param catchUpLagBand the backlog counts as caught up when the consumer lag is at most this
 *     fraction above its level before the change (plus the slack)
 * @param catchUpLagSlackSeconds absolute slack of the caught-up test, in seconds of demand (so that
 *     a near-zero lag before the change does not demand an exactly empty backlog)
 */
public record VerificationSettings(
    int windowTicks,
    double throughputShortfall,
    double latencyExcess,
    double tickSeconds,
    int maxCatchUpTicks,
    double catchUpLagBand,
    double catchUpLagSlackSeconds) {

  public VerificationSettings {
    if (windowTicks < 1
        || throughputShortfall < 0
        || latencyExcess < 0
        || tickSeconds <= 0
        || maxCatchUpTicks < 0
        || catchUpLagBand < 0
        || catchUpLagSlackSeconds < 0) {
      throw new IllegalArgumentException("autopilot.meta.verification: invalid settings");
    }
  }
}
