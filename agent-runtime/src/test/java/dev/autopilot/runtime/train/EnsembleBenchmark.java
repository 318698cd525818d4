package dev.autopilot.runtime.train;

import com.typesafe.config.Config;
import dev.autopilot.agents.recovery.detect.DetectorEnsemble;
import dev.autopilot.agents.recovery.detect.DetectorModels;
import dev.autopilot.agents.recovery.detect.EnsembleSettings;
import dev.autopilot.agents.recovery.detect.EnsembleVerdict;
import dev.autopilot.api.model.ModelBundle;
import dev.autopilot.api.FailureMode;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.model.ModelRuntime;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.bench.ProgressListener;
import dev.autopilot.runtime.sim.FaultSchedule;
import dev.autopilot.runtime.sim.Scenario;
import dev.autopilot.runtime.sim.SimSettings;
import dev.autopilot.runtime.sim.SimulatedPlatform;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Inference cost of the learned detector ensemble per snapshot: feature extraction, isolation
 * forest, autoencoder, LSTM detector (a forecast every {@code forecastEvery} ticks, the settings'
 * knob) and the fusion. Snapshots are simulator telemetry of one pipeline with a fault, replayed in
 * a loop through one stateful ensemble. Models come from {@code -p bundle=<models dir>} (version 1
 * of family recovery, or {@code -p version=N}), or, when empty, are fitted in the set-up on a tiny
 * budget (the architecture, hence the cost, is the same). A benchmark, not a test.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EnsembleBenchmark {

  /** Ticks between LSTM forecasts (the default is 10; 1 is the worst case). */
  @Param({"10", "1"})
  public int forecastEvery;

  /** Directory of model bundles; empty trains tiny models in the set-up. */
  @Param({""})
  public String bundle;

  /** Bundle version when {@link #bundle} is set. */
  @Param({"1"})
  public int version;

  private DetectorModels models;
  private DetectorEnsemble ensemble;
  private TelemetrySnapshot[] snapshots;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    ModelRuntime.configureOffline();
    Config config = RuntimeConfig.load();
    SimSettings sim = SimSettings.create(config);
    if (bundle.isEmpty()) {
      DetectorTrainingStep.Budget tiny =
          new DetectorTrainingStep.Budget(2, 1, 1, 180, 4_000, 3, 4_000, 400, 2);
      models =
          DetectorTrainingStep.fit(sim, tiny, 1, 2, 3, label -> ProgressListener.none()).models();
    } else {
      models = DetectorModels.load(ModelBundle.load(Path.of(bundle), "recovery", version));
    }
    EnsembleSettings base = EnsembleSettings.create(config);
    EnsembleSettings s =
        new EnsembleSettings(
            base.minVotes(),
            base.iforestWeight(),
            base.autoencoderWeight(),
            base.lstmWeight(),
            base.scoreThreshold(),
            base.lstmSigmaK(),
            base.lstmMinMetrics(),
            forecastEvery,
            base.lstmMinSigmaFraction(),
            base.persistenceK(),
            base.persistenceN());
    ensemble = models.newEnsemble(s);
    Scenario scenario =
        Scenario.defaultScenario(sim, 99, 1, 1, 0)
            .withFaults(
                new FaultSchedule(
                    List.of(
                        new FaultSchedule.PlannedFault(
                            "f-1", 1_500, "p1", FailureMode.NETWORK_PARTITION, null, false))));
    SimulatedPlatform platform = new SimulatedPlatform(sim, scenario);
    snapshots = new TelemetrySnapshot[2_000];
    for (int i = 0; i < snapshots.length; i++) {
      if (i > 0) {
        platform.advance();
      }
      snapshots[i] = platform.observe("p1");
    }
    for (int i = 0; i < 200; i++) { // fill the LSTM window before measuring
      evaluate();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    models.close();
  }

  /** One snapshot through the whole ensemble. */
  @Benchmark
  public EnsembleVerdict evaluate() {
    TelemetrySnapshot s = snapshots[next];
    next = (next + 1) % snapshots.length;
    return ensemble.evaluate(s);
  }

  /**
   * Runs the benchmark with the annotations' configuration; with {@code --cpu-time <bundle dir>
   * <forecastEvery>} instead measures the thread CPU time per snapshot over 20 000 snapshots after
   * 5 000 of warm-up, a figure that, unlike wall time, does not grow when other processes share the
   * cores.
   */
  public static void main(String[] args) throws RunnerException {
    if (args.length == 3 && args[0].equals("--cpu-time")) {
      EnsembleBenchmark b = new EnsembleBenchmark();
      b.bundle = args[1];
      b.version = 1;
      b.forecastEvery = Integer.parseInt(args[2]);
      b.setUp();
      java.lang.management.ThreadMXBean mx =
          java.lang.management.ManagementFactory.getThreadMXBean();
      for (int i = 0; i < 5_000; i++) {
        b.evaluate();
      }
      long cpu0 = mx.getCurrentThreadCpuTime();
      long wall0 = System.nanoTime();
      int n = 20_000;
      int anomalies = 0;
      for (int i = 0; i < n; i++) {
        anomalies += b.evaluate().anomaly() ? 1 : 0;
      }
      long cpu = mx.getCurrentThreadCpuTime() - cpu0;
      long wall = System.nanoTime() - wall0;
      System.out.printf(
          "forecastEvery=%d: %.1f us CPU/snapshot, %.1f us wall/snapshot over %d snapshots (%d"
              + " anomalous)%n",
          b.forecastEvery, cpu / 1e3 / n, wall / 1e3 / n, n, anomalies);
      b.tearDown();
      return;
    }
    new Runner(new OptionsBuilder().include(EnsembleBenchmark.class.getSimpleName()).build()).run();
  }
}
