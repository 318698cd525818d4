package dev.autopilot.runtime.train;

import com.typesafe.config.Config;
import dev.autopilot.agents.optimization.policy.OptimizationSettings;
import dev.autopilot.agents.prediction.features.SnapshotFeaturePipeline;
import dev.autopilot.agents.prediction.features.ViolationLabels;
import dev.autopilot.agents.prediction.model.BinaryMetrics;
import dev.autopilot.agents.prediction.model.MlpTrainer;
import dev.autopilot.agents.prediction.model.MlpViolationModel;
import dev.autopilot.agents.prediction.model.ViolationModels;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.model.FitReport;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.bench.ProgressListener;
import dev.autopilot.runtime.loop.PipelineSlas;
import dev.autopilot.runtime.sim.SimSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Trains the prediction agent's SLA-violation forecaster ({@link MlpTrainer}) on simulator data
 * ({@link PredictionData}) and writes it as the component {@value MlpViolationModel#COMPONENT} of
 * the {@value ViolationModels#FAMILY} bundle.
 *
 * <p>Splits never share a seed or a week. From the base seed three disjoint seed streams derive,
 * and every run is one calendar week of its own seed's workload, the weeks following each other:
 * training takes weeks 1..3N ({@link Budget#trainSeeds()} runs per requested week, N = {@code
 * --weeks}), validation (early stopping and threshold calibration) the next {@link
 * Budget#validationSeeds()} weeks, test the {@link Budget#testSeeds()} weeks after those, which no
 * fit or calibration saw. Spreading the runs over the calendar (rather than giving every seed weeks
 * 1..N) puts month-ends, with their spikes, in every split: the first default run drew training
 * from January 1-28 only, so month-end was unseen in training. The SLA is
 * the one {@code run} uses for the pipeline ({@code autopilot.pipelines.default-sla}).
 */
public final class ViolationTrainingStep implements TrainingStep {

  /**
   * How much data and training one run gets.
   *
   * @param trainSeeds seeds of training runs (each simulated for every training week)
   * @param validationSeeds seeds of validation runs
   * @param testSeeds seeds of test runs
   * @param daysPerWeek days of one simulated "week" run (7; fewer for quick tests)
   * @param options trainer options
   * @param threads simulation threads
   */
  record Budget(
      int trainSeeds,
      int validationSeeds,
      int testSeeds,
      int daysPerWeek,
      MlpTrainer.Options options,
      int threads) {

    /**
     * Default: 3 training runs per requested week, 3 validation and 3 test runs, each one week;
     * for N = 4 that is 18 simulated pipeline-weeks, about 1.09 million samples.
     */
    static Budget forWeeks(int weeks) {
      return new Budget(
          3,
          3,
          3,
          7,
          MlpTrainer.Options.defaults(),
          Math.max(1, Runtime.getRuntime().availableProcessors()));
    }
  }

  private final Function<Integer, Budget> budget;
  private final Config config;

  public ViolationTrainingStep() {
    this(Budget::forWeeks, null);
  }

  ViolationTrainingStep(Function<Integer, Budget> budget, Config config) {
    this.budget = budget;
    this.config = config;
  }

  @Override
  public String name() {
    return "violation";
  }

  @Override
  public Map<String, Object> train(TrainingContext ctx) throws Exception {
    Config c = config != null ? config : RuntimeConfig.load();
    SimSettings sim = SimSettings.create(c);
    OptimizationSettings optimization = OptimizationSettings.create(c);
    SlaSpec sla = PipelineSlas.of(c, List.of("p1")).get("p1");
    Budget b = budget.apply(ctx.weeks());
    int weeks = ctx.weeks();
    int d = b.daysPerWeek();

    SplittableRandom seeds = new SplittableRandom(ctx.seed());
    SplittableRandom trainSeeds = seeds.split();
    SplittableRandom validationSeeds = seeds.split();
    SplittableRandom testSeeds = seeds.split();
    // consecutive calendar weeks, each its own seed: training first, then validation, then test
    int week = 0;
    List<PredictionData.Run> train = new ArrayList<>();
    for (int r = 0; r < weeks * b.trainSeeds(); r++) {
      train.add(new PredictionData.Run(trainSeeds.nextLong(), week++ * d, d));
    }
    List<PredictionData.Run> validation = new ArrayList<>();
    for (int r = 0; r < b.validationSeeds(); r++) {
      validation.add(new PredictionData.Run(validationSeeds.nextLong(), week++ * d, d));
    }
    List<PredictionData.Run> test = new ArrayList<>();
    for (int r = 0; r < b.testSeeds(); r++) {
      test.add(new PredictionData.Run(testSeeds.nextLong(), week++ * d, d));
    }

    long t0 = System.nanoTime();
    PredictionData.Samples trainSet =
        simulate(ctx, "violation: simulate training weeks", sim, optimization, sla, train, b);
    PredictionData.Samples valSet =
        simulate(ctx, "violation: simulate validation week", sim, optimization, sla, validation, b);
    PredictionData.Samples testSet =
        simulate(ctx, "violation: simulate test week", sim, optimization, sla, test, b);
    double simulationSeconds = (System.nanoTime() - t0) / 1e9;

    ProgressListener bar = ctx.progress("violation: mlp", "epochs");
    MlpTrainer trainer =
        new MlpTrainer(
            SnapshotFeaturePipeline.SCHEMA,
            SnapshotFeaturePipeline.SIZE,
            b.options(),
            (epoch, epochs, tl, vl) -> bar.onProgress(epoch, epochs));
    long t1 = System.nanoTime();
    MlpViolationModel model =
        trainer.train(
            trainSet.features(),
            trainSet.labels(),
            valSet.features(),
            valSet.labels(),
            ctx.bundle() == null ? 1 : versionOf(ctx),
            ctx.seed());
    DetectorTrainingStep.finish(bar);
    double fitSeconds = (System.nanoTime() - t1) / 1e9;
    FitReport report = trainer.lastReport();

    ProgressListener tb = ctx.progress("violation: test");
    double[] p = model.probabilities(testSet.features());
    tb.onProgress(1, 1);
    DetectorTrainingStep.finish(tb);
    Map<String, Double> testMetrics = BinaryMetrics.summary(p, testSet.labels(), model.threshold());
    // the test weeks under the DS2 scaler alone: unmanaged runs are mostly easy positives
    Map<String, Double> managedMetrics = managedOnly(p, testSet, model.threshold());
    Map<String, Double> all = new LinkedHashMap<>(testMetrics);
    model.metrics().forEach(all::putIfAbsent);
    model = model.withMetrics(all);

    Map<String, Object> manifestMetrics = new LinkedHashMap<>();
    testMetrics.forEach((k, v) -> manifestMetrics.put(k, DetectorTrainingStep.round(v)));
    manifestMetrics.put("managedTestRuns", rounded(managedMetrics, ""));
    manifestMetrics.put("validation", rounded(model.metrics(), "validation."));
    manifestMetrics.put("inputs", SnapshotFeaturePipeline.SIZE);
    manifestMetrics.put("hidden", "256-128-64");
    manifestMetrics.put("dropout", MlpTrainer.DROPOUT);
    manifestMetrics.put("horizonTicks", ViolationLabels.HORIZON);
    manifestMetrics.put("thresholdCalibration", "max F1 on validation seeds");
    manifestMetrics.put("epochsRun", report.epochsRun());
    manifestMetrics.put("bestEpoch", report.bestEpoch());
    manifestMetrics.put("validationLoss", DetectorTrainingStep.round(report.validationLoss()));
    manifestMetrics.put("batchSize", b.options().batchSize());
    model.put(ctx.bundle(), MlpViolationModel.COMPONENT, manifestMetrics);

    Map<String, Object> training = new LinkedHashMap<>();
    training.put("featureSchema", SnapshotFeaturePipeline.SCHEMA);
    training.put("sla", sla.toString());
    training.put("trainRuns", trainSet.runs());
    training.put("validationRuns", valSet.runs());
    training.put("testRuns", testSet.runs());
    training.put("trainSamples", trainSet.size());
    training.put("validationSamples", valSet.size());
    training.put("testSamples", testSet.size());
    training.put("totalSamples", trainSet.size() + valSet.size() + testSet.size());
    training.put("trainPositiveRate", DetectorTrainingStep.round(trainSet.positiveRate()));
    training.put("validationPositiveRate", DetectorTrainingStep.round(valSet.positiveRate()));
    training.put("testPositiveRate", DetectorTrainingStep.round(testSet.positiveRate()));
    training.put("simulationSeconds", Math.round(simulationSeconds));
    training.put("fitSeconds", Math.round(fitSeconds));
    ctx.bundle().training("violation", training);

    Map<String, Object> headline = new LinkedHashMap<>();
    for (String k :
        List.of("accuracy", "precision", "recall", "f1", "falsePositiveRate", "auc", "threshold")) {
      headline.put(k, DetectorTrainingStep.round(testMetrics.get(k)));
    }
    if (!managedMetrics.isEmpty()) {
      headline.put("managedTestF1", round(managedMetrics.get("f1")));
      headline.put("managedTestRecall", round(managedMetrics.get("recall")));
    }
    headline.put("trainSamples", trainSet.size());
    headline.put("validationSamples", valSet.size());
    headline.put("testSamples", testSet.size());
    headline.put("trainPositiveRate", DetectorTrainingStep.round(trainSet.positiveRate()));
    headline.put("testPositiveRate", DetectorTrainingStep.round(testSet.positiveRate()));
    headline.put("epochsRun", report.epochsRun());
    headline.put("bestEpoch", report.bestEpoch());
    headline.put("fitSeconds", Math.round(fitSeconds));
    return headline;
  }

  private static int versionOf(TrainingContext ctx) {
    String dir = ctx.bundle().target().getFileName().toString();
    return dir.matches("v\\d+") ? Integer.parseInt(dir.substring(1)) : 1;
  }

  private static PredictionData.Samples simulate(
      TrainingContext ctx,
      String label,
      SimSettings sim,
      OptimizationSettings optimization,
      SlaSpec sla,
      List<PredictionData.Run> runs,
      Budget b)
      throws InterruptedException {
    ProgressListener p = ctx.progress(label, "ticks");
    PredictionData.Samples s =
        PredictionData.generate(sim, optimization, sla, runs, b.threads(), p);
    DetectorTrainingStep.finish(p);
    return s;
  }

  /** Test metrics over the rows of managed runs; empty when there are none. */
  static Map<String, Double> managedOnly(
      double[] p, PredictionData.Samples test, double threshold) {
    int n = 0;
    for (boolean m : test.managed()) {
      if (m) {
        n++;
      }
    }
    if (n == 0) {
      return Map.of();
    }
    double[] ps = new double[n];
    boolean[] ls = new boolean[n];
    int at = 0;
    for (int i = 0; i < p.length; i++) {
      if (test.managed()[i]) {
        ps[at] = p[i];
        ls[at++] = test.labels()[i];
      }
    }
    return BinaryMetrics.summary(ps, ls, threshold);
  }

  private static double round(double v) {
    return DetectorTrainingStep.round(v);
  }

  private static Map<String, Object> rounded(Map<String, Double> m, String prefix) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            out.put(k.substring(prefix.length()), DetectorTrainingStep.round(v));
          }
        });
    return out;
  }
}
