package dev.autopilot.runtime.search;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.optimization.perf.PerformanceModel;
import dev.autopilot.agents.optimization.perf.WorkloadFeatures;
import dev.autopilot.agents.optimization.search.ConfigSpace;
import dev.autopilot.agents.optimization.search.Performance;
import dev.autopilot.agents.optimization.search.SearchSettings;
import dev.autopilot.agents.optimization.search.SlaCostObjective;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.model.ModelBundle;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.sim.SimSettings;
import dev.autopilot.runtime.train.PerformanceModelTrainingStep;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
 * Cost of one performance-model inference (target: under 5 ms): the feature vector of a
 * configuration plus both gradient-boosted models (100 trees of depth 6 each), and one score of the
 * SLA-cost objective over the model (configuration mapping + inference + cost), what each search
 * iteration pays. The model comes from {@code -p bundle=<models dir>} (family optimization, {@code
 * -p version=N}); when empty, one is fitted at set-up on 300 simulator samples with the configured
 * hyper-parameters (inference cost depends on the trees' size, not on how good they are). 1 000
 * random configurations and loads are replayed in a loop. A benchmark, not a test.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PerformanceModelBenchmark {

  /** Directory of model bundles; empty fits a model at set-up. */
  @Param({""})
  public String bundle;

  /** Bundle version when {@link #bundle} is set. */
  @Param({"1"})
  public int version;

  private PerformanceModel model;
  private PipelineConfig[] configs;
  private WorkloadFeatures[] loads;
  private double[][] points;
  private SlaCostObjective objective;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Config config = RuntimeConfig.load();
    if (bundle.isEmpty()) {
      Config small =
          ConfigFactory.parseString(
                  "autopilot.performance-search.training { train-seeds = 1, test-seeds = 1,"
                      + " samples-per-seed = 300 }")
              .withFallback(config);
      model =
          new PerformanceModelTrainingStep(small, Function.identity())
              .fit(1, label -> (d, t) -> {})
              .model();
    } else {
      model =
          PerformanceModel.load(
              ModelBundle.load(Path.of(bundle), PerformanceModel.FAMILY, version));
    }
    SimSettings sim = SimSettings.create(config);
    SearchSettings search = SearchSettings.create(config);
    ConfigSpace space = ConfigSpace.pipeline(search);
    SimulatorOracle oracle = new SimulatorOracle(sim, new SimulatorOracle.Window(1, 1));
    SplittableRandom r = new SplittableRandom(7);
    configs = new PipelineConfig[1_000];
    loads = new WorkloadFeatures[configs.length];
    points = new double[configs.length][];
    for (int i = 0; i < configs.length; i++) {
      points[i] = space.random(r);
      configs[i] = space.toConfig(points[i], sim.initialConfig());
      loads[i] = oracle.workload(r.nextDouble(2e5, 2.5e6));
    }
    WorkloadFeatures w = oracle.workload(1e6);
    objective =
        new SlaCostObjective(
            space,
            sim.initialConfig(),
            new SlaCostObjective.Target(1e6, 0.95e6, 500),
            search.objective(),
            c -> model.predict(c, w));
  }

  /** Features and both models for one configuration and load. */
  @Benchmark
  public Performance predict() {
    int i = next;
    next = (next + 1) % configs.length;
    return model.predict(configs[i], loads[i]);
  }

  /** One objective evaluation over the model, as a search iteration makes it. */
  @Benchmark
  public double objectiveScore() {
    int i = next;
    next = (next + 1) % points.length;
    return objective.score(points[i]);
  }

  /** Runs the benchmark with the annotations' configuration. */
  public static void main(String[] args) throws RunnerException {
    new Runner(
            new OptionsBuilder().include(PerformanceModelBenchmark.class.getSimpleName()).build())
        .run();
  }
}
