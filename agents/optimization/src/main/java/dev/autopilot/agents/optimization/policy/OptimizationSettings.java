package dev.autopilot.agents.optimization.policy;

import com.typesafe.config.Config;
import java.util.concurrent.TimeUnit;

/**
 * Settings of the optimization agent, read once from {@code autopilot.optimization} (this module's
 * {@code reference.conf} documents every key and holds every default).
 *
 * @param targetUtilisation utilisation each operator is sized for
 * @param catchUpSeconds event-time seconds in which a backlog should be caught up
 * @param minParallelism lowest parallelism a proposal may set
 * @param maxParallelism highest parallelism a proposal may set
 * @param scaleDownStabilisationTicks ticks a lower recommendation must persist before a scale-down
 * @param maxScaleDownStep largest relative scale-down per decision
 * @param deadBand relative changes under this are ignored
 * @param settleTicks RUNNING ticks with an unchanged configuration before metrics are usable
 * @param cooldownTicks ticks after a proposal without a new one
 * @param rejectedRetryTicks ticks after a proposal the meta-agent rejected (not chosen, or refused
 *     by admission control) without a new one; at most {@code cooldownTicks}
 * @param proposalExpiryTicks ticks until a proposal expires
 * @param minBusyRatio busy share under which an operator counts as idle
 * @param rateSmoothing EWMA weight of the newest per-subtask rate
 * @param latencyFixedShare load-independent share of p99 latency
 * @param latencyMaxUtilisation utilisation cap of the latency model
 * @param slotCostWeight weight of the slot cost in net benefit
 * @param scaleUpUtilisation an operator scales up only when its utilisation at the target rate is
 *     above this (upper edge of the hysteresis band)
 * @param scaleDownUtilisation an operator scales down only when its utilisation at the target rate
 *     is below this (lower edge of the hysteresis band)
 * @param scaleDownIntervalTicks ticks the configuration must have been unchanged before a
 *     scale-down
 * @param rollbackBackoffTicks ticks after a rolled-back or failed proposal during which no proposal
 *     in the same direction is made
 * @param cpuFloorMinThroughputShare the CPU floor applies only while throughput is at least this
 *     share of the demand
 */
public record OptimizationSettings(
    double targetUtilisation,
    double catchUpSeconds,
    int minParallelism,
    int maxParallelism,
    int scaleDownStabilisationTicks,
    double maxScaleDownStep,
    double deadBand,
    int settleTicks,
    int cooldownTicks,
    int rejectedRetryTicks,
    int proposalExpiryTicks,
    double minBusyRatio,
    double rateSmoothing,
    double latencyFixedShare,
    double latencyMaxUtilisation,
    double slotCostWeight,
    double scaleUpUtilisation,
    double scaleDownUtilisation,
    int scaleDownIntervalTicks,
    int rollbackBackoffTicks,
    double cpuFloorMinThroughputShare) {

  public OptimizationSettings {
    require(
        cpuFloorMinThroughputShare >= 0 && cpuFloorMinThroughputShare <= 1,
        "cpu-floor-min-throughput-share must be in [0, 1]");
    require(
        scaleDownUtilisation > 0
            && scaleDownUtilisation < targetUtilisation
            && targetUtilisation < scaleUpUtilisation,
        "need 0 < scale-down-utilisation < target-utilisation < scale-up-utilisation");
    require(scaleDownIntervalTicks >= 0, "scale-down-interval-ticks must be >= 0");
    require(rollbackBackoffTicks >= 0, "rollback-backoff-ticks must be >= 0");
    require(targetUtilisation > 0 && targetUtilisation < 1, "target-utilisation must be in (0, 1)");
    require(catchUpSeconds > 0, "catch-up-duration must be > 0");
    require(
        minParallelism >= 1 && maxParallelism >= minParallelism,
        "need 1 <= min-parallelism <= max-parallelism");
    require(scaleDownStabilisationTicks >= 0, "scale-down-stabilisation-ticks must be >= 0");
    require(maxScaleDownStep > 0 && maxScaleDownStep < 1, "max-scale-down-step must be in (0, 1)");
    require(deadBand >= 0 && deadBand < 1, "dead-band must be in [0, 1)");
    require(settleTicks >= 0, "settle-ticks must be >= 0");
    require(cooldownTicks >= 0, "cooldown-ticks must be >= 0");
    require(
        rejectedRetryTicks >= 0 && rejectedRetryTicks <= cooldownTicks,
        "rejected-retry-ticks must be in [0, cooldown-ticks]");
    require(proposalExpiryTicks >= 0, "proposal-expiry-ticks must be >= 0");
    require(minBusyRatio > 0 && minBusyRatio < 1, "min-busy-ratio must be in (0, 1)");
    require(rateSmoothing > 0 && rateSmoothing <= 1, "rate-smoothing must be in (0, 1]");
    require(
        latencyFixedShare >= 0 && latencyFixedShare <= 1, "latency-fixed-share must be in [0, 1]");
    require(
        latencyMaxUtilisation > 0 && latencyMaxUtilisation < 1,
        "latency-max-utilisation must be in (0, 1)");
    require(slotCostWeight >= 0, "slot-cost-weight must be >= 0");
  }

  /** Reads {@code autopilot.optimization} from the (root) configuration. */
  public static OptimizationSettings create(Config root) {
    Config c = root.getConfig("autopilot.optimization");
    return new OptimizationSettings(
        c.getDouble("target-utilisation"),
        c.getDuration("catch-up-duration", TimeUnit.MILLISECONDS) / 1000.0,
        c.getInt("min-parallelism"),
        c.getInt("max-parallelism"),
        c.getInt("scale-down-stabilisation-ticks"),
        c.getDouble("max-scale-down-step"),
        c.getDouble("dead-band"),
        c.getInt("settle-ticks"),
        c.getInt("cooldown-ticks"),
        c.getInt("rejected-retry-ticks"),
        c.getInt("proposal-expiry-ticks"),
        c.getDouble("min-busy-ratio"),
        c.getDouble("rate-smoothing"),
        c.getDouble("latency-fixed-share"),
        c.getDouble("latency-max-utilisation"),
        c.getDouble("slot-cost-weight"),
        c.getDouble("scale-up-utilisation"),
        c.getDouble("scale-down-utilisation"),
        c.getInt("scale-down-interval-ticks"),
        c.getInt("rollback-backoff-ticks"),
        c.getDouble("cpu-floor-min-throughput-share"));
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("autopilot.optimization: " + message);
    }
  }
}
