package dev.autopilot.agents.prediction.policy;

import com.typesafe.config.Config;

/**
 * Settings of the prediction agent, read once from {@code autopilot.prediction} (this module's
 * {@code reference.conf} documents every key and holds every default).
 *
 * @param alpha Holt level smoothing
 * @param beta Holt trend smoothing
 * @param windowTicks ticks of demand history a fit uses
 * @param minObservations observations needed before a forecast may trigger
 * @param horizonTicks forecast horizon, ticks
 * @param headroom share of capacity the projected demand may reach before a pre-scale
 * @param targetUtilisation utilisation the pre-scale sizes for
 * @param minParallelism lowest parallelism a proposal may set
 * @param maxParallelism highest parallelism a proposal may set
 * @param leadTimeTicks ticks until a proposal expires
 * @param cooldownTicks ticks after a proposal without a new one
 * @param minBusyRatio busy share under which an operator counts as idle
 * @param latencyFixedShare load-independent share of p99 latency
 * @param latencyMaxUtilisation utilisation cap of the latency model
 * @param slotCostWeight weight of the slot cost in net benefit
 * @param settleTicks RUNNING ticks with an unchanged configuration before demand is observed again
 * @param minRampSignificance the forecast rise over the horizon must exceed this many standard
 *     deviations of the forecast error
 * @param rollbackBackoffTicks ticks after a rolled-back or failed pre-scale without a new one
 * @param cpuFloorMinThroughputShare the CPU-bound capacity is used only while throughput is at
 *     least this share of the demand
 */
public record PredictionSettings(
    double alpha,
    double beta,
    int windowTicks,
    int minObservations,
    int horizonTicks,
    double headroom,
    double targetUtilisation,
    int minParallelism,
    int maxParallelism,
    int leadTimeTicks,
    int cooldownTicks,
    double minBusyRatio,
    double latencyFixedShare,
    double latencyMaxUtilisation,
    double slotCostWeight,
    int settleTicks,
    double minRampSignificance,
    int rollbackBackoffTicks,
    double cpuFloorMinThroughputShare) {

  public PredictionSettings {
    require(
        cpuFloorMinThroughputShare >= 0 && cpuFloorMinThroughputShare <= 1,
        "cpu-floor-min-throughput-share must be in [0, 1]");
    require(settleTicks >= 0, "settle-ticks must be >= 0");
    require(minRampSignificance >= 0, "min-ramp-significance must be >= 0");
    require(rollbackBackoffTicks >= 0, "rollback-backoff-ticks must be >= 0");
    require(alpha > 0 && alpha <= 1, "alpha must be in (0, 1]");
    require(beta > 0 && beta <= 1, "beta must be in (0, 1]");
    require(windowTicks >= 2, "window-ticks must be >= 2");
    require(
        minObservations >= 2 && minObservations <= windowTicks,
        "min-observations must be in [2, window-ticks]");
    require(horizonTicks >= 1, "horizon-ticks must be >= 1");
    require(headroom > 0, "headroom must be > 0");
    require(targetUtilisation > 0 && targetUtilisation < 1, "target-utilisation must be in (0, 1)");
    require(
        minParallelism >= 1 && maxParallelism >= minParallelism,
        "need 1 <= min-parallelism <= max-parallelism");
    require(leadTimeTicks >= 0, "lead-time-ticks must be >= 0");
    require(cooldownTicks >= 0, "cooldown-ticks must be >= 0");
    require(minBusyRatio > 0 && minBusyRatio < 1, "min-busy-ratio must be in (0, 1)");
    require(
        latencyFixedShare >= 0 && latencyFixedShare <= 1, "latency-fixed-share must be in [0, 1]");
    require(
        latencyMaxUtilisation > 0 && latencyMaxUtilisation < 1,
        "latency-max-utilisation must be in (0, 1)");
    require(slotCostWeight >= 0, "slot-cost-weight must be >= 0");
  }

  /** Reads {@code autopilot.prediction} from the (root) configuration. */
  public static PredictionSettings create(Config root) {
    Config c = root.getConfig("autopilot.prediction");
    return new PredictionSettings(
        c.getDouble("alpha"),
        c.getDouble("beta"),
        c.getInt("window-ticks"),
        c.getInt("min-observations"),
        c.getInt("horizon-ticks"),
        c.getDouble("headroom"),
        c.getDouble("target-utilisation"),
        c.getInt("min-parallelism"),
        c.getInt("max-parallelism"),
        c.getInt("lead-time-ticks"),
        c.getInt("cooldown-ticks"),
        c.getDouble("min-busy-ratio"),
        c.getDouble("latency-fixed-share"),
        c.getDouble("latency-max-utilisation"),
        c.getDouble("slot-cost-weight"),
        c.getInt("settle-ticks"),
        c.getDouble("min-ramp-significance"),
        c.getInt("rollback-backoff-ticks"),
        c.getDouble("cpu-floor-min-throughput-share"));
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("autopilot.prediction: " + message);
    }
  }
}
