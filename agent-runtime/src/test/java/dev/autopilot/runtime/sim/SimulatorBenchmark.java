package dev.autopilot.runtime.sim;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Speed of the simulator alone: ticks per second of {@code advance()} + {@code observe()} for one
 * pipeline of the default scenario (generated workload, scheduled faults). A benchmark, not a
 * test: run it from the command line (see the package documentation).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class SimulatorBenchmark {

  /** Days of the scenario; a run wraps around by restarting the platform. */
  @Param({"7"})
  public int days;

  private SimSettings settings;
  private SimulatedPlatform platform;
  private long ticks;

  @Setup
  public void setUp() {
    settings = SimSettings.create(ConfigFactory.load());
    platform = new SimulatedPlatform(settings, Scenario.defaultScenario(settings, 42, days, 1));
    ticks = days * settings.ticksPerDay();
  }

  /** One tick: advance the twin, then observe the pipeline. */
  @Benchmark
  public TelemetrySnapshot tick() {
    if (platform.currentTick() >= ticks) {
      platform = new SimulatedPlatform(settings, Scenario.defaultScenario(settings, 42, days, 1));
    }
    platform.advance();
    return platform.observe("p1");
  }

  /** Runs the benchmark with the annotations' configuration. */
  public static void main(String[] args) throws RunnerException {
    new Runner(new OptionsBuilder().include(SimulatorBenchmark.class.getSimpleName()).build()).run();
  }
}
