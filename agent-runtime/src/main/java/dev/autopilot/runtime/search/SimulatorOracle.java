package dev.autopilot.runtime.search;

import dev.autopilot.agents.optimization.perf.WorkloadFeatures;
import dev.autopilot.agents.optimization.search.Performance;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.runtime.sim.FaultSchedule;
import dev.autopilot.runtime.sim.GroundTruth;
import dev.autopilot.runtime.sim.Scenario;
import dev.autopilot.runtime.sim.SimSettings;
import dev.autopilot.runtime.sim.SimulatedPlatform;
import dev.autopilot.runtime.sim.Workload;
import java.util.List;

/**
 * Measures what a configuration truly achieves in the simulator: the steady-state throughput and
 * p99 latency at a constant offered load. The pipeline starts already deployed with the
 * configuration ({@link SimSettings#withInitialConfig}; keyed state at its steady state, no rescale
 * transient), runs {@code settle} ticks, then the ground truth's processed rate and p99 are
 * averaged over {@code measure} ticks. No faults are scheduled. A configuration that cannot keep up
 * shows it twice: its throughput stays at its capacity and its p99 grows with the backlog over the
 * window, so the window length is part of the definition (default 30 + 30 ticks, 10 minutes of
 * event time).
 *
 * <p>Deterministic: the same configuration, load and seed give the same measurement. The seed
 * drives the simulator's own random streams (pod placement, start delays).
 */
public final class SimulatorOracle {

  /**
   * What one measurement averages.
   *
   * @param settleTicks ticks run before measuring
   * @param measureTicks ticks averaged
   */
  public record Window(int settleTicks, int measureTicks) {
    public Window {
      if (settleTicks < 0 || measureTicks < 1) {
        throw new IllegalArgumentException(
            "oracle needs settle-ticks >= 0 and measure-ticks >= 1, got "
                + settleTicks
                + ", "
                + measureTicks);
      }
    }
  }

  /**
   * One measurement.
   *
   * @param offeredRate events per second offered
   * @param throughput mean processed rate over the window, events/s
   * @param p99Ms mean true p99 over the window, ms
   * @param cpuUtilisation mean CPU utilisation of the TaskManagers, 0-1
   */
  public record Measurement(
      double offeredRate, double throughput, double p99Ms, double cpuUtilisation) {
    public Performance performance() {
      return new Performance(throughput, p99Ms);
    }
  }

  private final SimSettings sim;
  private final Window window;

  public SimulatorOracle(SimSettings sim, Window window) {
    this.sim = sim;
    this.window = window;
  }

  public Window window() {
    return window;
  }

  /**
   * Measures a configuration at a constant offered rate.
   *
   * @throws IllegalArgumentException when the configuration cannot run (structural errors) or the
   *     rate is not positive
   */
  public Measurement measure(PipelineConfig config, double offeredRate, long seed) {
    if (!(offeredRate > 0) || !Double.isFinite(offeredRate)) {
      throw new IllegalArgumentException("offered rate must be > 0, was " + offeredRate);
    }
    List<String> errors = config.structuralErrors();
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("configuration cannot run: " + errors);
    }
    if (!config.parallelism().keySet().equals(new java.util.LinkedHashSet<>(sim.operatorIds()))) {
      throw new IllegalArgumentException(
          "configuration names operators "
              + config.parallelism().keySet()
              + ", the job has "
              + sim.operatorIds());
    }
    Workload constant = tick -> offeredRate;
    SimulatedPlatform p =
        new SimulatedPlatform(
            sim.withInitialConfig(config),
            new Scenario(seed, 1, List.of("p1"), constant, FaultSchedule.none()));
    for (int t = 0; t < window.settleTicks(); t++) {
      p.advance();
    }
    double thr = 0;
    double p99 = 0;
    double cpu = 0;
    for (int t = 0; t < window.measureTicks(); t++) {
      p.advance();
      GroundTruth g = p.truth("p1");
      thr += g.processedRate();
      p99 += g.latencyP99Ms();
      cpu += g.cpuUtilisation();
    }
    int m = window.measureTicks();
    return new Measurement(offeredRate, thr / m, p99 / m, cpu / m);
  }

  /**
   * The workload features of a rate: the rate and the keyed state the job holds at it in steady
   * state (each operator's state bytes per record times its retention times its input rate).
   */
  public WorkloadFeatures workload(double offeredRate) {
    double share = 1;
    double bytes = 0;
    for (SimSettings.OperatorSpec op : sim.operators()) {
      bytes += offeredRate * share * op.stateBytesPerRecord() * op.stateRetentionSeconds();
      share *= op.selectivity();
    }
    return new WorkloadFeatures(offeredRate, bytes / 1e9);
  }
}
