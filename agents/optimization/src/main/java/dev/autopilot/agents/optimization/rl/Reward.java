package dev.autopilot.agents.optimization.rl;

import dev.autopilot.api.SlaSpec;

/**
 * The PPO reward of issue 5, per tick of event time, from ground truth:
 *
 * <ul>
 *   <li>throughput alignment {@code 1 − |actual − target| / target}, where {@code target} is the
 *       rate the SLA requires, {@code min(SLA target, offered)}, and {@code actual} the processed
 *       rate; floored at {@value #ALIGNMENT_FLOOR} so that a fast catch-up after an outage (actual
 *       several times the target) cannot outweigh every other term; 1 when nothing is required;
 *   <li>{@value #LATENCY_PENALTY} when p99 latency exceeds the SLA bound;
 *   <li>{@value #CHANGE_PENALTY} for each configuration change in the last minute of event time;
 *   <li>{@value #CPU_BONUS} when CPU utilisation is within [{@value #CPU_LOW}, {@value #CPU_HIGH}].
 * </ul>
 *
 * The reward of one decision step is the mean of its ticks' rewards: with a one-minute decision
 * interval a change then costs exactly {@value #CHANGE_PENALTY} once (it is in the last minute of
 * each of the step's ticks). Pure.
 */
public final class Reward {

  /** Penalty when p99 exceeds the SLA bound. */
  public static final double LATENCY_PENALTY = -0.5;

  /** Penalty per configuration change in the last minute. */
  public static final double CHANGE_PENALTY = -0.2;

  /** Bonus when CPU is within the band. */
  public static final double CPU_BONUS = 0.3;

  /** Lower edge of the CPU band. */
  public static final double CPU_LOW = 0.6;

  /** Upper edge of the CPU band. */
  public static final double CPU_HIGH = 0.8;

  /** Lowest throughput alignment. */
  public static final double ALIGNMENT_FLOOR = -1.0;

  private Reward() {}

  /**
   * The reward of one tick and its parts.
   *
   * @param alignment throughput alignment term
   * @param latency latency penalty term (0 or {@value #LATENCY_PENALTY})
   * @param changes configuration change term
   * @param cpu CPU bonus term (0 or {@value #CPU_BONUS})
   */
  public record Parts(double alignment, double latency, double changes, double cpu) {
    public double total() {
      return alignment + latency + changes + cpu;
    }
  }

  /**
   * The reward of one tick.
   *
   * @param sla the pipeline's SLA
   * @param offered true offered load, events/s
   * @param processed true processed rate, events/s
   * @param p99Ms true p99 latency, ms
   * @param changesLastMinute configuration changes applied in the last minute of event time
   * @param cpuUtilisation CPU used over CPU requested, 0–1
   */
  public static Parts tick(
      SlaSpec sla,
      double offered,
      double processed,
      double p99Ms,
      int changesLastMinute,
      double cpuUtilisation) {
    return new Parts(
        alignment(sla.requiredThroughput(Math.max(0, offered)), processed),
        sla.latencyViolated(p99Ms) ? LATENCY_PENALTY : 0,
        CHANGE_PENALTY * Math.max(0, changesLastMinute),
        cpuUtilisation >= CPU_LOW && cpuUtilisation <= CPU_HIGH ? CPU_BONUS : 0);
  }

  /** {@code 1 − |actual − target| / target}, floored; 1 when the target is 0. */
  public static double alignment(double target, double actual) {
    if (!(target > 0)) {
      return 1;
    }
    double a = 1 - Math.abs(actual - target) / target;
    return Double.isNaN(a) ? ALIGNMENT_FLOOR : Math.max(ALIGNMENT_FLOOR, a);
  }
}
