package dev.autopilot.agents.prediction.learn;

import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.estimate.LoadEstimator;

/**
 * Whether a tick violated the SLA, as a live agent can know it from telemetry alone: the throughput
 * falls short when the consumer lag grows faster than the SLA's tolerance of the rate owed ({@link
 * SlaSpec#requiredThroughput} of the demand estimated by {@link LoadEstimator}: source input plus
 * lag growth), and the p99 latency against the bound. The growth of the backlog is the unserved
 * demand itself; comparing the processed rate with the estimated demand instead subtracts two rates
 * measured with independent noise, whose difference crosses a 5 % tolerance by chance (a first
 * version did, and labelled far more ticks violated than the simulator's ground truth).
 *
 * <p>The simulator's ground truth uses the workload's true offered rate instead of the estimate.
 * The two differ when the lag is not a faithful record of unserved demand: on the first tick (no
 * lag growth yet, demand = throughput), while the job restarts or replays from a checkpoint (the
 * replayed records move the lag), and when a fault drops records instead of queueing them. A tick
 * whose job is not RUNNING counts as violated (nothing is processed; the ground truth says the same
 * whenever demand is positive). Not thread-safe; one instance per pipeline.
 */
public final class LiveLabeler {
  private final LoadEstimator estimator;
  private double previousLag;

  /**
   * @param minBusyRatio the load estimator's idle threshold (autopilot.prediction.min-busy-ratio)
   */
  public LiveLabeler(double minBusyRatio) {
    this.estimator = new LoadEstimator(minBusyRatio);
  }

  /** Tick of the last snapshot taken in, or {@code Long.MIN_VALUE}. */
  public long lastTick() {
    return estimator.lastTick();
  }

  /**
   * Whether the SLA was violated at this validated snapshot's tick (ticks in increasing order).
   *
   * @throws IllegalArgumentException for a tick not after the last one
   */
  public boolean violated(TelemetrySnapshot s, SlaSpec sla) {
    LoadEstimator.Estimate e = estimator.update(s);
    if (s.job().state() != JobMetrics.JobState.RUNNING) {
      previousLag = e.consumerLag();
      return true;
    }
    double processed = s.job().throughputPerSecond();
    double demand = e.demandUsable() ? Math.max(e.demand(), 0) : processed;
    // The shortfall is the backlog's growth, not demand minus throughput: those are two rates
    // measured with independent noise, and their difference crosses a 5 % tolerance by chance.
    double unserved =
        e.tickSeconds() > 0 ? Math.max(0, e.consumerLag() - previousLag) / e.tickSeconds() : 0;
    previousLag = e.consumerLag();
    return unserved > sla.requiredThroughput(demand) * sla.throughputTolerance()
        || sla.latencyViolated(s.job().latencyP99Ms());
  }
}
