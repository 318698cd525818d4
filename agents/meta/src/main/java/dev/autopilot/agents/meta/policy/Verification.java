package dev.autopilot.agents.meta.policy;

import dev.autopilot.api.ExpectedEffect;
import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.List;
import java.util.Locale;

/**
 * The actuator's outcome check of an applied change (DESIGN.md section 3): over a window of ticks
 * after the action settled, roll back when mean throughput is more than {@code throughputShortfall}
 * under the expectation or mean p99 latency more than {@code latencyExcess} over the prediction;
 * roll back at once when the job is FAILED.
 *
 * <p>The throughput expectation is demand-aware: per tick, {@code expected = min(predicted
 * throughput, observed demand)}, where demand is estimated from telemetry as the source's records
 * in plus the growth of consumer lag per second ({@code offered = consumed + Δlag / Δt}). A change
 * is therefore not rolled back because demand fell after it was applied.
 *
 * <p>The window measures the steady state, not the restart transient ({@link #windowStart}): it
 * begins after the action's settle ticks, once the job is RUNNING and the backlog the restart built
 * is caught up (consumer lag back within {@code catchUpLagBand} of its level before the change,
 * plus {@code catchUpLagSlackSeconds} of demand). It waits for that at most {@code
 * maxCatchUpTicks}; then it starts anyway, so that a change that never catches up is measured, and
 * fails.
 *
 * <p>A prediction that is not positive (an agent that does not predict that figure) is not checked.
 */
public final class Verification {

  /** The verdict so far. */
  public enum Status {
    /** The window is not complete yet. */
    PENDING,
    /** The outcome matched the prediction. */
    PASSED,
    /** The outcome was worse than predicted: roll back. */
    FAILED
  }

  /**
   * One observed tick.
   *
   * @param tick the tick
   * @param throughput processed events/s (the job's source consumption)
   * @param latencyP99Ms end-to-end p99 latency
   * @param demand estimated offered load, events/s
   * @param state job state
   */
  public record Sample(
      long tick, double throughput, double latencyP99Ms, double demand, JobMetrics.JobState state) {

    /**
     * Samples a snapshot.
     *
     * @param s the snapshot
     * @param previousLag consumer lag of the previous tick, NaN when unknown (no lag growth term)
     * @param tickSeconds event-time length of a tick
     */
    public static Sample of(TelemetrySnapshot s, double previousLag, double tickSeconds) {
      double lag = s.job().consumerLag();
      double growth = Double.isNaN(previousLag) ? 0 : (lag - previousLag) / tickSeconds;
      double demand = Math.max(0, s.source().recordsInPerSecond() + growth);
      return new Sample(
          s.tick(), s.job().throughputPerSecond(), s.job().latencyP99Ms(), demand, s.job().state());
    }
  }

  /**
   * The verdict and the figures behind it.
   *
   * @param status the verdict
   * @param samples samples considered
   * @param meanThroughput mean observed throughput
   * @param expectedThroughput mean demand-aware expectation (0 when not checked)
   * @param meanLatencyP99Ms mean observed p99 latency
   * @param predictedLatencyP99Ms predicted p99 latency (0 when not checked)
   * @param reason the verdict in words
   */
  public record Result(
      Status status,
      int samples,
      double meanThroughput,
      double expectedThroughput,
      double meanLatencyP99Ms,
      double predictedLatencyP99Ms,
      String reason) {}

  /**
   * Whether the verification window of a change has started.
   *
   * @param open true from this tick on; the window's samples start with the next tick (this
   *     tick's figures still cover the interval in which the backlog drained)
   * @param timedOut true when it started because the catch-up wait ran out, not because the job
   *     caught up
   * @param reason in words
   */
  public record Gate(boolean open, boolean timedOut, String reason) {}

  private static final double EPS = 1e-9;

  private final VerificationSettings settings;

  public Verification(VerificationSettings settings) {
    this.settings = settings;
  }

  public VerificationSettings settings() {
    return settings;
  }

  /**
   * Decides whether the window of a change applied at {@code appliedTick} starts at {@code tick}
   * (called each tick until it does; once open the window stays open).
   *
   * @param tick the current tick
   * @param appliedTick the tick the change was applied
   * @param settleTicks the action's settle ticks
   * @param state the job state now
   * @param lag the consumer lag now, records
   * @param lagBefore the consumer lag before the change, records (NaN when unknown: only the job
   *     state is checked)
   * @param demand the estimated offered load now, events/s
   */
  public Gate windowStart(
      long tick,
      long appliedTick,
      int settleTicks,
      JobMetrics.JobState state,
      double lag,
      double lagBefore,
      double demand) {
    long settledAt = appliedTick + settleTicks;
    if (tick <= settledAt) {
      return new Gate(false, false, "settling until tick " + settledAt);
    }
    boolean running = state == JobMetrics.JobState.RUNNING;
    double ceiling =
        Double.isNaN(lagBefore)
            ? Double.POSITIVE_INFINITY
            : Math.max(0, lagBefore) * (1 + settings.catchUpLagBand())
                + Math.max(0, demand) * settings.catchUpLagSlackSeconds();
    if (running && lag <= ceiling * (1 + EPS)) {
      return new Gate(
          true,
          false,
          String.format(
              Locale.ROOT,
              "RUNNING and caught up at tick %d: lag %.0f within %.0f (before the change %.0f)",
              tick,
              lag,
              ceiling,
              lagBefore));
    }
    if (tick > settledAt + settings.maxCatchUpTicks()) {
      return new Gate(
          true,
          true,
          String.format(
              Locale.ROOT,
              "not caught up %d ticks after settling (job %s, lag %.0f, ceiling %.0f):"
                  + " window starts anyway",
              settings.maxCatchUpTicks(),
              state,
              lag,
              ceiling));
    }
    return new Gate(
        false,
        false,
        String.format(
            Locale.ROOT,
            "waiting for catch-up: job %s, lag %.0f above %.0f",
            state,
            lag,
            ceiling));
  }

  /**
   * Evaluates the samples observed so far (all after the action settled, oldest first).
   *
   * @param expected the chosen proposal's expected effect
   * @param samples the samples; only the first {@code windowTicks} count
   */
  public Result evaluate(ExpectedEffect expected, List<Sample> samples) {
    List<Sample> window =
        samples.size() > settings.windowTicks()
            ? samples.subList(0, settings.windowTicks())
            : samples;
    for (Sample s : window) {
      if (s.state() == JobMetrics.JobState.FAILED) {
        return summarize(
            Status.FAILED,
            expected,
            window,
            "job FAILED at tick " + s.tick() + ": roll back without waiting for the window");
      }
    }
    if (window.size() < settings.windowTicks()) {
      return summarize(
          Status.PENDING,
          expected,
          window,
          window.size() + " of " + settings.windowTicks() + " ticks observed");
    }
    Result r = summarize(Status.PASSED, expected, window, "");
    List<String> failures = new java.util.ArrayList<>();
    if (r.expectedThroughput() > 0) {
      double floor = r.expectedThroughput() * (1 - settings.throughputShortfall());
      if (r.meanThroughput() < floor * (1 - EPS)) {
        failures.add(
            String.format(
                Locale.ROOT,
                "mean throughput %.0f/s is more than %.0f %% under the expected %.0f/s"
                    + " (min of predicted and demand)",
                r.meanThroughput(),
                settings.throughputShortfall() * 100,
                r.expectedThroughput()));
      }
    }
    if (r.predictedLatencyP99Ms() > 0) {
      double ceiling = r.predictedLatencyP99Ms() * (1 + settings.latencyExcess());
      if (r.meanLatencyP99Ms() > ceiling * (1 + EPS)) {
        failures.add(
            String.format(
                Locale.ROOT,
                "mean p99 %.1f ms is more than %.0f %% over the predicted %.1f ms",
                r.meanLatencyP99Ms(),
                settings.latencyExcess() * 100,
                r.predictedLatencyP99Ms()));
      }
    }
    if (!failures.isEmpty()) {
      return withStatus(r, Status.FAILED, String.join("; ", failures));
    }
    return withStatus(
        r,
        Status.PASSED,
        String.format(
            Locale.ROOT,
            "over %d ticks mean throughput %.0f/s vs expected %.0f/s, mean p99 %.1f ms vs predicted"
                + " %.1f ms: within %.0f %% / %.0f %%",
            window.size(),
            r.meanThroughput(),
            r.expectedThroughput(),
            r.meanLatencyP99Ms(),
            r.predictedLatencyP99Ms(),
            settings.throughputShortfall() * 100,
            settings.latencyExcess() * 100));
  }

  private static Result summarize(
      Status status, ExpectedEffect expected, List<Sample> window, String reason) {
    int n = window.size();
    double thr = 0;
    double exp = 0;
    double lat = 0;
    boolean checkThroughput = expected.predictedThroughput() > 0;
    for (Sample s : window) {
      thr += s.throughput();
      lat += s.latencyP99Ms();
      exp += Math.min(expected.predictedThroughput(), s.demand());
    }
    return new Result(
        status,
        n,
        n == 0 ? 0 : thr / n,
        n == 0 || !checkThroughput ? 0 : exp / n,
        n == 0 ? 0 : lat / n,
        Math.max(0, expected.predictedLatencyP99Ms()),
        reason);
  }

  private static Result withStatus(Result r, Status status, String reason) {
    return new Result(
        status,
        r.samples(),
        r.meanThroughput(),
        r.expectedThroughput(),
        r.meanLatencyP99Ms(),
        r.predictedLatencyP99Ms(),
        reason);
  }
}
