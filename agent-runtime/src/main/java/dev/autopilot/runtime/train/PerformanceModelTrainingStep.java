package dev.autopilot.runtime.train;

import com.typesafe.config.Config;
import dev.autopilot.agents.optimization.perf.PerformanceFeatures;
import dev.autopilot.agents.optimization.perf.PerformanceModel;
import dev.autopilot.agents.optimization.perf.PerformanceModelSettings;
import dev.autopilot.agents.optimization.perf.PerformanceModelTrainer;
import dev.autopilot.agents.optimization.perf.RegressionMetrics;
import dev.autopilot.agents.optimization.search.ConfigSpace;
import dev.autopilot.agents.optimization.search.Performance;
import dev.autopilot.agents.optimization.search.SearchSettings;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.bench.ProgressListener;
import dev.autopilot.runtime.search.PerformanceData;
import dev.autopilot.runtime.search.PerformanceSearchSettings;
import dev.autopilot.runtime.search.SimulatorOracle;
import dev.autopilot.runtime.sim.SimSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Trains the optimizer's performance model ({@link PerformanceModel}, two gradient-boosted tree
 * models) on simulator measurements ({@link PerformanceData}) and writes it as the component
 * {@value PerformanceModel#COMPONENT} of the {@value PerformanceModel#FAMILY} bundle.
 *
 * <p>Two disjoint seed streams derive from the base seed: {@code train-seeds} seeds of training
 * samples and {@code test-seeds} held-out seeds, whose configurations, loads and simulator seeds no
 * fit saw. The test reports R² and MAE of throughput (events/s) and of p99 latency, the latter both
 * in ms and on the log scale the model fits (saturated configurations reach minutes of p99, so the
 * raw R² is dominated by them). Usable alone ({@link #fit}), which {@code autopilot search} does
 * when it is given no models directory.
 */
public final class PerformanceModelTrainingStep implements TrainingStep {

  /**
   * A fitted model and its held-out metrics.
   *
   * @param model the model (its metrics set)
   * @param metrics headline metrics, rounded
   */
  public record Trained(PerformanceModel model, Map<String, Object> metrics) {}

  private final Config config;
  private final Function<PerformanceSearchSettings, PerformanceSearchSettings> budget;

  public PerformanceModelTrainingStep() {
    this(null, Function.identity());
  }

  /**
   * @param config configuration to read (null: {@link RuntimeConfig#load()})
   * @param budget adjusts the data budget (tests)
   */
  public PerformanceModelTrainingStep(
      Config config, Function<PerformanceSearchSettings, PerformanceSearchSettings> budget) {
    this.config = config;
    this.budget = budget;
  }

  @Override
  public String name() {
    return "performance-model";
  }

  @Override
  public Map<String, Object> train(TrainingContext ctx) throws Exception {
    Trained t = fit(ctx.seed(), label -> ctx.progress(label, "samples"));
    Map<String, Object> manifest = new LinkedHashMap<>(t.metrics());
    t.model().put(ctx.bundle(), manifest);
    ctx.bundle().training(name(), t.metrics());
    return t.metrics();
  }

  /**
   * Generates the data, fits both models and tests them on the held-out seeds.
   *
   * @param seed base seed
   * @param progress a progress bar per phase, by label
   */
  public Trained fit(long seed, Function<String, ProgressListener> progress)
      throws InterruptedException {
    Config c = config != null ? config : RuntimeConfig.load();
    SimSettings sim = SimSettings.create(c);
    SearchSettings search = SearchSettings.create(c);
    PerformanceModelSettings modelSettings = PerformanceModelSettings.create(c);
    PerformanceSearchSettings ps = budget.apply(PerformanceSearchSettings.create(c));
    ConfigSpace space = ConfigSpace.pipeline(search);
    PerformanceFeatures features = new PerformanceFeatures(search.keyOperators());
    SimulatorOracle oracle = new SimulatorOracle(sim, ps.window());

    SplittableRandom root = new SplittableRandom(seed);
    SplittableRandom trainStream = root.split();
    SplittableRandom testStream = root.split();
    List<Long> trainSeeds = new ArrayList<>();
    for (int i = 0; i < ps.trainSeeds(); i++) {
      trainSeeds.add(trainStream.nextLong());
    }
    List<Long> testSeeds = new ArrayList<>();
    for (int i = 0; i < ps.testSeeds(); i++) {
      testSeeds.add(testStream.nextLong());
    }

    long t0 = System.nanoTime();
    PerformanceModelTrainer.Samples train =
        simulate(
            progress,
            "performance-model: simulate training samples",
            oracle,
            space,
            sim,
            features,
            ps,
            trainSeeds);
    PerformanceModelTrainer.Samples test =
        simulate(
            progress,
            "performance-model: simulate test samples",
            oracle,
            space,
            sim,
            features,
            ps,
            testSeeds);
    double simulationSeconds = (System.nanoTime() - t0) / 1e9;

    ProgressListener fitBar = progress.apply("performance-model: fit");
    long t1 = System.nanoTime();
    PerformanceModel model = new PerformanceModelTrainer(modelSettings, features).fit(train, seed);
    fitBar.onProgress(1, 1);
    DetectorTrainingStep.finish(fitBar);
    double fitSeconds = (System.nanoTime() - t1) / 1e9;

    int n = test.size();
    double[] thrPred = new double[n];
    double[] p99Pred = new double[n];
    double[] logTrue = new double[n];
    double[] logPred = new double[n];
    for (int i = 0; i < n; i++) {
      Performance p = model.predict(test.x()[i], test.offeredRate()[i]);
      thrPred[i] = p.throughput();
      p99Pred[i] = p.p99LatencyMs();
      logTrue[i] = Math.log(Math.max(test.p99Ms()[i], 1e-3));
      logPred[i] = Math.log(Math.max(p99Pred[i], 1e-3));
    }
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("throughputR2", RegressionMetrics.r2(test.throughput(), thrPred));
    m.put("throughputMae", RegressionMetrics.mae(test.throughput(), thrPred));
    m.put("latencyR2", RegressionMetrics.r2(test.p99Ms(), p99Pred));
    m.put("latencyMaeMs", RegressionMetrics.mae(test.p99Ms(), p99Pred));
    m.put("logLatencyR2", RegressionMetrics.r2(logTrue, logPred));
    m.put("logLatencyMae", RegressionMetrics.mae(logTrue, logPred));
    model = model.withMetrics(m);

    Map<String, Object> headline = new LinkedHashMap<>();
    m.forEach((k, v) -> headline.put(k, round(v)));
    headline.put("trainSamples", train.size());
    headline.put("testSamples", test.size());
    headline.put("trainSeeds", ps.trainSeeds());
    headline.put("testSeeds", ps.testSeeds());
    headline.put("trees", modelSettings.trees());
    headline.put("maxDepth", modelSettings.maxDepth());
    headline.put("maxNodes", modelSettings.maxNodes());
    headline.put("shrinkage", modelSettings.shrinkage());
    headline.put("subsample", modelSettings.subsample());
    headline.put("logLatency", modelSettings.logLatency());
    headline.put("settleTicks", ps.window().settleTicks());
    headline.put("measureTicks", ps.window().measureTicks());
    headline.put("simulationSeconds", Math.round(simulationSeconds * 10) / 10.0);
    headline.put("fitSeconds", Math.round(fitSeconds * 10) / 10.0);
    return new Trained(model, headline);
  }

  private static PerformanceModelTrainer.Samples simulate(
      Function<String, ProgressListener> progress,
      String label,
      SimulatorOracle oracle,
      ConfigSpace space,
      SimSettings sim,
      PerformanceFeatures features,
      PerformanceSearchSettings ps,
      List<Long> seeds)
      throws InterruptedException {
    ProgressListener bar = progress.apply(label);
    PerformanceModelTrainer.Samples s =
        PerformanceData.generate(oracle, space, sim.initialConfig(), features, ps, seeds, bar);
    DetectorTrainingStep.finish(bar);
    return s;
  }

  private static double round(double v) {
    if (Math.abs(v) >= 1000) {
      return Math.round(v);
    }
    return DetectorTrainingStep.round(v);
  }
}
