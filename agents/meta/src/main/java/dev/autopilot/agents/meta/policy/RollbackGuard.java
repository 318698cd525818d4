package dev.autopilot.agents.meta.policy;

import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.estimate.LoadEstimator;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether the automatic rollback after a failed verification may run. A rollback is a
 * configuration change like any other, so the admission's throughput bound applies to it too: a
 * rollback that would leave the pipeline unable to carry the demand it carries now is withheld.
 * This is what happens when a verification fails because of the load (a surge keeps p99 above any
 * prediction) rather than because of the change: rolling back to the newest known-good
 * configuration, sized before the surge, would throw away the capacity the surge needs. A rollback
 * to the configuration that already runs is withheld too: it would change nothing but cost a
 * restart (the failed action changed no configuration, for example a restart or a
 * redistribution).
 *
 * <p>The capacity rule applies only to a change that did not cut the throughput (it processes at
 * least {@code 1 - maxThroughputDrop} of what it processed before): a change that made the
 * throughput worse is rolled back whatever the demand, as the verification decided.
 *
 * <p>Pure: the caller passes the running configuration, the rollback target and the tick's load
 * estimate. When the estimate knows no operator's rate the capacity rule cannot judge and the
 * rollback runs.
 */
public final class RollbackGuard {

  private RollbackGuard() {}

  /**
   * Why the rollback must be withheld, or empty when it may run.
   *
   * @param running the configuration running now
   * @param target the rollback target (the newest known-good configuration)
   * @param estimate the load estimate of the tick, null when none
   * @param throughput the processed rate now, events/s
   * @param throughputBefore the processed rate when the failed change was decided, events/s (NaN
   *     or 0 when unknown: the capacity rule does not apply)
   * @param maxThroughputDrop the admission's largest relative throughput drop (0.10)
   */
  public static Optional<String> withhold(
      PipelineConfig running,
      PipelineConfig target,
      LoadEstimator.Estimate estimate,
      double throughput,
      double throughputBefore,
      double maxThroughputDrop) {
    if (target.equals(running)) {
      return Optional.of(
          "the running configuration is the rollback target already ("
              + target.summary()
              + "): nothing to roll back");
    }
    if (estimate == null || !estimate.capacityKnown()) {
      return Optional.empty();
    }
    if (!(throughputBefore > 0) || throughput < throughputBefore * (1 - maxThroughputDrop)) {
      // The change cut the throughput (or nothing is known of it before): it hurt, roll it back.
      return Optional.empty();
    }
    double targetCapacity = Double.POSITIVE_INFINITY;
    for (LoadEstimator.OperatorRate op : estimate.operators()) {
      Integer p = target.parallelism().get(op.operatorId());
      if (op.known() && p != null) {
        targetCapacity = Math.min(targetCapacity, op.sourceEquivalentCapacity(p));
      }
    }
    double runningCapacity = estimate.capacity();
    double carried = Math.max(estimate.demandUsable() ? estimate.demand() : 0, throughput);
    double floor = carried * (1 - maxThroughputDrop);
    if (targetCapacity < runningCapacity && targetCapacity < floor) {
      return Optional.of(
          String.format(
              Locale.ROOT,
              "the rollback target carries about %.0f events/s against %.0f/s for the running"
                  + " configuration and a demand of %.0f/s: rolling back would cut throughput by"
                  + " %.0f%%, over the %.0f%% the admission allows",
              targetCapacity,
              runningCapacity,
              carried,
              100 * (1 - targetCapacity / carried),
              100 * maxThroughputDrop));
    }
    return Optional.empty();
  }
}
