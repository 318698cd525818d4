package dev.autopilot.api.estimate;

/**
 * The small performance model behind a scaling proposal's expected effect.
 *
 * <ul>
 *   <li><b>Latency</b>: p99 latency is split into a fixed share (windows, network, checkpoint
 *       alignment: independent of load) and a queueing share that scales as the M/M/1 sojourn time
 *       {@code 1 / (1 - ρ)}, with the utilisation ρ capped at {@code maxUtilisation} so that a
 *       saturated pipeline gives a finite factor.
 *   <li><b>SLA risk</b> of a capacity at a demand: 0 while the utilisation stays at or under the
 *       target, rising linearly to 1 at saturation.
 *   <li><b>Net benefit</b>: SLA risk removed minus {@code slotCostWeight} times the relative change
 *       in paid slots (freeing slots is a gain).
 * </ul>

 */
public final class EffectModel {
  private static final double EPSILON = 1e-9;

  private final double targetUtilisation;
  private final double latencyFixedShare;
  private final double maxUtilisation;
  private final double slotCostWeight;

  public EffectModel(
      double targetUtilisation,
      double latencyFixedShare,
      double maxUtilisation,
      double slotCostWeight) {
    this.targetUtilisation = targetUtilisation;
    this.latencyFixedShare = latencyFixedShare;
    this.maxUtilisation = maxUtilisation;
    this.slotCostWeight = slotCostWeight;
  }

  /** {@code ceil(x)} that ignores floating-point noise just above an integer. */
  public static int ceilTolerant(double x) {
    return (int) Math.ceil(x - EPSILON * Math.max(1, Math.abs(x)));
  }

  /** Utilisation of a capacity at a demand, capped at the model's maximum. */
  public double utilisation(double demand, double capacity) {
    if (capacity <= 0) {
      return maxUtilisation;
    }
    return Math.min(maxUtilisation, Math.max(0, demand / capacity));
  }

  /**
   * Relative change of p99 latency when the capacity serving a demand goes from {@code
   * capacityBefore} to {@code capacityAfter} (-0.2 = 20 % lower).
   */
  public double latencyChange(double demand, double capacityBefore, double capacityAfter) {
    double before = 1 - utilisation(demand, capacityBefore);
    double after = 1 - utilisation(demand, capacityAfter);
    return (1 - latencyFixedShare) * (before / after - 1);
  }

  /** SLA risk, 0-1, of serving a demand with a capacity. */
  public double slaRisk(double demand, double capacity) {
    if (demand <= 0) {
      return 0;
    }
    if (capacity <= 0) {
      return 1;
    }
    double u = demand / capacity;
    return Math.min(1, Math.max(0, (u - targetUtilisation) / (1 - targetUtilisation)));
  }

  /** SLA risk removed minus the weighted relative cost of the change in paid slots. */
  public double netBenefit(
      double demand, double capacityBefore, double capacityAfter, int slotsBefore, int slotsAfter) {
    double riskRemoved = slaRisk(demand, capacityBefore) - slaRisk(demand, capacityAfter);
    double slotCost = slotsBefore <= 0 ? 0 : (double) (slotsAfter - slotsBefore) / slotsBefore;
    return riskRemoved - slotCostWeight * slotCost;
  }
}
