package dev.autopilot.api.testing;

import dev.autopilot.api.AgentProtocol;
import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.Metric;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.Random;

/**
 * Test fixtures for property tests of the proposing agents: a random walk through telemetry regimes
 * (healthy, a demand ramp, overload, idle, crash loop, checkpoint failures, memory pressure) that
 * holds each regime for a few ticks (a ramp for tens of them), so that detectors, forecasts and
 * cooldowns all get to fire, and random outcomes for the proposals the agents make. Everything
 * comes from the caller's seeded {@link Random}, so a sequence is reproducible from its seed.
 */
public final class RandomTelemetry {
  private enum Regime {
    HEALTHY,
    RAMP,
    OVERLOAD,
    IDLE,
    CRASH_LOOP,
    CHECKPOINT_FAILURES,
    MEMORY_PRESSURE
  }

  private final String pipelineId;
  private final Random rnd;
  private long tick;
  private Regime regime = Regime.HEALTHY;
  private int left;
  private int age;

  /**
   * @param pipelineId the pipeline of the snapshots
   * @param rnd the source of randomness (seeded by the caller)
   */
  public RandomTelemetry(String pipelineId, Random rnd) {
    this.pipelineId = pipelineId;
    this.rnd = rnd;
  }

  /** The tick of the next snapshot. */
  public long tick() {
    return tick;
  }

  /** The next snapshot: one tick later, in the current regime or a newly drawn one. */
  public TelemetrySnapshot next() {
    return next(Snapshots.defaultConfig());
  }

  /** Like {@link #next()}, for a pipeline running {@code config}. */
  public TelemetrySnapshot next(PipelineConfig config) {
    if (left == 0) {
      Regime[] all = Regime.values();
      regime = rnd.nextInt(3) == 0 ? Regime.HEALTHY : all[rnd.nextInt(all.length)];
      left = regime == Regime.RAMP ? 20 + rnd.nextInt(30) : 1 + rnd.nextInt(12);
      age = 0;
    }
    left--;
    age++;
    double noise = 1 + 0.03 * rnd.nextGaussian();
    Snapshots.Builder b =
        Snapshots.builder(pipelineId, tick++)
            .config(config)
            .throughput(500_000 * noise)
            .latencyP99(120 * (1 + 0.05 * rnd.nextGaussian()));
    switch (regime) {
      case HEALTHY -> {}
      case RAMP ->
          b.throughput(400_000 * (1 + 0.04 * age) * noise)
              .busy(Math.min(0.98, 0.45 + 0.015 * age))
              .latencyP99(120 + 4.0 * age)
              .lag(1_000 + 2_000.0 * age);
      case OVERLOAD ->
          b.throughput(900_000 * noise)
              .busy(Math.min(1, 0.85 + 0.1 * rnd.nextDouble()))
              .backPressure(0.3 + 0.5 * rnd.nextDouble())
              .latencyP99(400 + 200 * age * rnd.nextDouble())
              .lag(1_000 + 500_000.0 * age * rnd.nextDouble());
      case IDLE -> b.throughput(60_000 * noise).busy(0.05 + 0.05 * rnd.nextDouble());
      case CRASH_LOOP ->
          b.state(rnd.nextBoolean() ? JobMetrics.JobState.RESTARTING : JobMetrics.JobState.RUNNING)
              .tm(Metric.TASKS_FAILED_TOTAL, 2.0 * age)
              .tm(Metric.EXCEPTIONS, 20 + rnd.nextInt(40));
      case CHECKPOINT_FAILURES ->
          b.checkpointMs(60_000 + 60_000 * rnd.nextDouble()).checkpointFailures(age);
      case MEMORY_PRESSURE ->
          b.tm(Metric.HEAP_USED_RATIO, Math.min(0.99, 0.8 + 0.03 * age))
              .tm(Metric.GC_TIME_RATIO, Math.min(0.9, 0.1 + 0.05 * age));
    }
    return b.build();
  }

  /** A random outcome of a proposal, as the meta-agent reports it at the current tick. */
  public AgentProtocol.Outcome outcome(Proposal proposal) {
    AgentProtocol.OutcomeKind[] kinds = AgentProtocol.OutcomeKind.values();
    AgentProtocol.OutcomeKind kind = kinds[rnd.nextInt(kinds.length)];
    return new AgentProtocol.Outcome(proposal.id(), tick, kind, "random " + kind);
  }
}
