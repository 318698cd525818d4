package dev.autopilot.agents.optimization.cost;

import java.util.Objects;

/**
 * Which TaskManagers run on spot capacity, and what to do when the provider withdraws it.
 *
 * <p><b>Latency-tolerant.</b> Spot is decided per pipeline, by its SLA: a pipeline is
 * latency-tolerant when the p99 latency bound of its SLA is at least {@link
 * CostSettings#latencyTolerantMinP99BoundMs()} (500 ms by default, the paper's nyc-taxi SLA). Such
 * a pipeline can absorb the restart a spot reclaim causes (a restart from checkpoint, tens of
 * seconds, every few days) within an SLA that already allows half a second of p99; a pipeline with
 * a tighter bound (for example a 100 ms fraud check) runs entirely on-demand. A pipeline whose SLA
 * the platform does not know counts as tolerant ({@code Double.POSITIVE_INFINITY}).
 *
 * <p><b>Share.</b> A tolerant pipeline with {@code n} TaskManagers wants {@code round(spotShare *
 * n)} of them on spot (60 % by default: 5 of 8), the rest on-demand; a new pod goes to spot while
 * the pipeline has fewer spot pods than that.
 *
 * <p><b>Withdrawal.</b> When a spot node is reclaimed (after a notice), its TaskManagers migrate to
 * on-demand nodes: a reclaimed spot pool is likely to be reclaimed again (providers reclaim by
 * capacity pool), so the replacements are not put back on spot. They move make-before-break: the
 * replacements start at the notice, the old pods keep working until the replacements are ready or
 * the node goes, whichever comes first, and the job restarts from its checkpoint on the new pods
 * (the pipeline pays that restart, and any gap between the reclaim and the replacements being
 * ready). Later pods the pipeline creates (a rescale) go back to the spot share.
 */
public final class SpotPolicy {

  private final CostSettings settings;

  public SpotPolicy(CostSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** Whether a pipeline with this SLA p99 bound (ms; infinite when unknown) may use spot. */
  public boolean latencyTolerant(double p99BoundMs) {
    if (Double.isNaN(p99BoundMs)) {
      throw new IllegalArgumentException("p99 bound is NaN");
    }
    return p99BoundMs >= settings.latencyTolerantMinP99BoundMs();
  }

  /** TaskManagers of a pipeline with {@code taskManagers} in total that should run on spot. */
  public int spotTaskManagers(int taskManagers, boolean tolerant) {
    if (taskManagers < 0) {
      throw new IllegalArgumentException("taskManagers must be >= 0, was " + taskManagers);
    }
    return tolerant ? (int) Math.round(settings.spotShare() * taskManagers) : 0;
  }

  /**
   * The market of a new TaskManager of a pipeline that wants {@code taskManagers} in total and has
   * {@code spotNow} on spot already.
   */
  public Market marketForNewPod(boolean tolerant, int spotNow, int taskManagers) {
    return spotNow < spotTaskManagers(taskManagers, tolerant) ? Market.SPOT : Market.ON_DEMAND;
  }

  /**
   * The migration of the TaskManagers on a spot node the provider reclaims.
   *
   * @param nowSec event time of the notice
   * @param reclaimAtSec when the node goes
   * @param replacementsReadyAtSec when on-demand replacements started now would be ready (infinite
   *     when none can be scheduled)
   * @param restartSeconds a job restart from checkpoint, restore included
   */
  public Migration onWithdrawal(
      double nowSec, double reclaimAtSec, double replacementsReadyAtSec, double restartSeconds) {
    if (reclaimAtSec < nowSec || replacementsReadyAtSec < nowSec || restartSeconds < 0) {
      throw new IllegalArgumentException(
          "a withdrawal needs now <= reclaim, now <= replacements ready and restart >= 0");
    }
    double cutOver = Math.min(replacementsReadyAtSec, reclaimAtSec);
    double gap = Math.max(0, replacementsReadyAtSec - reclaimAtSec);
    return new Migration(
        Market.ON_DEMAND,
        cutOver,
        replacementsReadyAtSec,
        gap + restartSeconds,
        replacementsReadyAtSec <= reclaimAtSec);
  }

  /**
   * What happens to the TaskManagers of a reclaimed spot node.
   *
   * @param target the market of the replacements (on-demand)
   * @param releaseOldAtSec when the old pods stop (replacements ready, or the reclaim if earlier)
   * @param restartAtSec when the job restarts on the replacements
   * @param downtimeSeconds how long the job does not process: the gap between the reclaim and the
   *     replacements being ready, plus the restart
   * @param seamless whether the replacements were ready before the node went
   */
  public record Migration(
      Market target,
      double releaseOldAtSec,
      double restartAtSec,
      double downtimeSeconds,
      boolean seamless) {}
}
