package dev.autopilot.runtime.forecast;

import dev.autopilot.agents.prediction.forecast.WorkloadForecaster;
import dev.autopilot.agents.prediction.forecast.WorkloadSettings;
import dev.autopilot.runtime.RuntimeConfig;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Cost per tick of the workload forecaster as the prediction agent uses it: one {@code observe}
 * and one {@code peak} over the configured horizon, at the default 10 s ticks, after five weeks of
 * seasonal demand (regression and analogs both active; daily refits amortised). A benchmark, not
 * a test.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WorkloadForecasterBenchmark {

  private WorkloadForecaster forecaster;
  private int horizon;
  private int day;
  private long tick;
  private Random random;

  @Setup(Level.Trial)
  public void setUp() {
    WorkloadSettings s = WorkloadSettings.create(RuntimeConfig.load());
    forecaster = new WorkloadForecaster(s);
    horizon = s.maxHorizonSteps();
    day = s.daySteps();
    random = new Random(1);
    for (tick = 0; tick < 35L * day; tick++) {
      forecaster.observe(tick, demand(tick));
    }
    if (forecaster.peak(horizon).isEmpty()) {
      throw new IllegalStateException("no forecast after the warm-up");
    }
  }

  private double demand(long t) {
    double tod = 2 * Math.PI * (t % day) / day;
    double weekly = ((t / day) % 7) >= 5 ? 0.7 : 1.0;
    return 5_000 * (1 + 0.6 * Math.sin(tod - 1.5)) * weekly * (1 + 0.05 * random.nextGaussian());
  }

  /** One tick: observe the demand, then size for the peak over the horizon. */
  @Benchmark
  public double observeAndPeak() {
    forecaster.observe(tick, demand(tick));
    tick++;
    return forecaster.peak(horizon).orElse(0);
  }

  public static void main(String[] args) throws RunnerException {
    new Runner(
            new OptionsBuilder()
                .include(WorkloadForecasterBenchmark.class.getSimpleName())
                .build())
        .run();
  }
}
