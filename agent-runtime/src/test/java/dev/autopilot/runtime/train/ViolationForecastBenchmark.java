package dev.autopilot.runtime.train;

import com.typesafe.config.Config;
import dev.autopilot.agents.prediction.features.SnapshotFeaturePipeline;
import dev.autopilot.agents.prediction.model.MlpViolationModel;
import dev.autopilot.agents.prediction.model.ViolationModels;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.model.JavaForward;
import dev.autopilot.api.model.Standardizer;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.loop.PipelineSlas;
import dev.autopilot.runtime.sim.Scenario;
import dev.autopilot.runtime.sim.SimSettings;
import dev.autopilot.runtime.sim.SimulatedPlatform;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Cost of the SLA-violation forecaster per snapshot (target: at most 1 ms): the 150 features
 * ({@link SnapshotFeaturePipeline}, trends over 30 minutes included) plus the MLP's plain-Java
 * inference. Snapshots are 2 000 ticks of simulator telemetry of one pipeline, replayed in a loop
 * through one stateful pipeline (the window restarts once per replay). The model comes from {@code
 * -p bundle=<models dir>} (family prediction, {@code -p version=N}); when empty, the same
 * 150-256-128-64-1 architecture with random weights (the cost does not depend on the weights). A
 * benchmark, not a test.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ViolationForecastBenchmark {

  /** Directory of model bundles; empty uses random weights. */
  @Param({""})
  public String bundle;

  /** Bundle version when {@link #bundle} is set. */
  @Param({"1"})
  public int version;

  private MlpViolationModel model;
  private SnapshotFeaturePipeline features;
  private SlaSpec sla;
  private TelemetrySnapshot[] snapshots;
  private float[][] vectors;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    Config config = RuntimeConfig.load();
    SimSettings sim = SimSettings.create(config);
    sla = PipelineSlas.of(config, List.of("p1")).get("p1");
    model =
        bundle.isEmpty()
            ? randomModel()
            : ViolationModels.violationModel(Path.of(bundle), version);
    SimulatedPlatform platform =
        new SimulatedPlatform(sim, Scenario.defaultScenario(sim, 99, 1, 1, 0));
    snapshots = new TelemetrySnapshot[2_000];
    vectors = new float[snapshots.length][];
    SnapshotFeaturePipeline warm = new SnapshotFeaturePipeline();
    for (int i = 0; i < snapshots.length; i++) {
      if (i > 0) {
        platform.advance();
      }
      snapshots[i] = platform.observe("p1");
      vectors[i] = warm.observe(snapshots[i], sla);
    }
    features = new SnapshotFeaturePipeline();
  }

  static MlpViolationModel randomModel() {
    SplittableRandom r = new SplittableRandom(1);
    int[] widths = {SnapshotFeaturePipeline.SIZE, 256, 128, 64, 1};
    List<JavaForward.Dense> layers = new ArrayList<>();
    for (int k = 0; k + 1 < widths.length; k++) {
      float[] w = new float[widths[k] * widths[k + 1]];
      for (int j = 0; j < w.length; j++) {
        w[j] = (float) (r.nextDouble(-1, 1) / Math.sqrt(widths[k]));
      }
      layers.add(
          new JavaForward.Dense(
              widths[k], widths[k + 1], w, new float[widths[k + 1]], k + 2 < widths.length));
    }
    float[] mean = new float[SnapshotFeaturePipeline.SIZE];
    float[] std = new float[SnapshotFeaturePipeline.SIZE];
    Arrays.fill(std, 1f);
    return new MlpViolationModel(
        1, SnapshotFeaturePipeline.SCHEMA, 0.5, Map.of(), Standardizer.of(mean, std), layers);
  }

  /** One snapshot: features (with the trailing-window trends) and the forecaster's probability. */
  @Benchmark
  public double featuresAndInference() {
    TelemetrySnapshot s = snapshots[next];
    next = (next + 1) % snapshots.length;
    return model.probability(features.observe(s, sla));
  }

  /** The feature pipeline alone. */
  @Benchmark
  public float[] featuresOnly() {
    TelemetrySnapshot s = snapshots[next];
    next = (next + 1) % snapshots.length;
    return features.observe(s, sla);
  }

  /** The forecaster alone on a ready feature vector. */
  @Benchmark
  public double inferenceOnly() {
    float[] v = vectors[next];
    next = (next + 1) % vectors.length;
    return model.probability(v);
  }

  /**
   * Runs the benchmark with the annotations' configuration; with {@code --cpu-time [bundle dir]}
   * instead measures the thread CPU time of {@link #featuresAndInference} over 20 000 snapshots
   * after 5 000 of warm-up, a figure that, unlike wall time, does not grow when other processes
   * share the cores.
   */
  public static void main(String[] args) throws RunnerException {
    if (args.length >= 1 && args[0].equals("--cpu-time")) {
      ViolationForecastBenchmark b = new ViolationForecastBenchmark();
      b.bundle = args.length > 1 ? args[1] : "";
      b.version = 1;
      b.setUp();
      java.lang.management.ThreadMXBean mx =
          java.lang.management.ManagementFactory.getThreadMXBean();
      for (int i = 0; i < 5_000; i++) {
        b.featuresAndInference();
      }
      int n = 20_000;
      long cpu0 = mx.getCurrentThreadCpuTime();
      long wall0 = System.nanoTime();
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += b.featuresAndInference();
      }
      long cpu1 = mx.getCurrentThreadCpuTime();
      long wall1 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        sum += b.inferenceOnly();
      }
      long cpu2 = mx.getCurrentThreadCpuTime();
      System.out.printf(
          "features+inference: %.1f us CPU/snapshot (%.1f us wall); inference only: %.1f us CPU;"
              + " over %d snapshots (mean p %.3f)%n",
          (cpu1 - cpu0) / 1e3 / n, (wall1 - wall0) / 1e3 / n, (cpu2 - cpu1) / 1e3 / n, n,
          sum / (2 * n));
      return;
    }
    new Runner(
            new OptionsBuilder().include(ViolationForecastBenchmark.class.getSimpleName()).build())
        .run();
  }
}
