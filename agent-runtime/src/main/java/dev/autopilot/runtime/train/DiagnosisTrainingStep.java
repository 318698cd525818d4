package dev.autopilot.runtime.train;

import com.typesafe.config.Config;
import dev.autopilot.agents.recovery.diagnosis.Diagnoser;
import dev.autopilot.agents.recovery.diagnosis.RootCauseModel;
import dev.autopilot.agents.recovery.policy.RecoverySettings;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.bench.ProgressBar;
import dev.autopilot.runtime.bench.ProgressListener;
import dev.autopilot.runtime.sim.SimSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains the root-cause Bayesian network: generates labelled incidents for training, validation and
 * test from three different seeds ({@link IncidentGenerator}, every failure mode, cascades
 * included), learns the structure and CPTs for each candidate (naive or tree-augmented, Dirichlet α
 * 0.5 or 1), keeps the best on validation (top-1, then top-3, then log-loss), scores it on the test
 * incidents against the rule table, and writes it into the bundle as component {@value
 * Diagnoser#COMPONENT} with the test metrics and confusion matrix.
 *
 * <p>Incidents per mode for training: 10 per {@code --weeks} (40 at the default 4 weeks, so 600
 * incidents); validation 10 and test 20 per mode.
 */
public final class DiagnosisTrainingStep implements TrainingStep {
  static final int TRAIN_PER_MODE_PER_WEEK = 10;
  static final int VALIDATION_PER_MODE = 10;
  static final int TEST_PER_MODE = 20;

  private final Config config;
  private final IncidentGenerator.Settings generator;
  private final int trainPerModePerWeek;
  private final int validationPerMode;
  private final int testPerMode;

  public DiagnosisTrainingStep() {
    this(
        RuntimeConfig.load(),
        IncidentGenerator.Settings.defaults(),
        TRAIN_PER_MODE_PER_WEEK,
        VALIDATION_PER_MODE,
        TEST_PER_MODE);
  }

  DiagnosisTrainingStep(
      Config config,
      IncidentGenerator.Settings generator,
      int trainPerModePerWeek,
      int validationPerMode,
      int testPerMode) {
    this.config = config;
    this.generator = generator;
    this.trainPerModePerWeek = trainPerModePerWeek;
    this.validationPerMode = validationPerMode;
    this.testPerMode = testPerMode;
  }

  @Override
  public String name() {
    return "diagnosis";
  }

  @Override
  public Map<String, Object> train(TrainingContext ctx) throws Exception {
    SimSettings sim = SimSettings.create(config);
    RecoverySettings rec = RecoverySettings.create(config);
    IncidentGenerator gen = new IncidentGenerator(sim, rec, generator);
    long trainSeed = ctx.seed();
    long validationSeed = ctx.seed() * 0x9E3779B97F4A7C15L + 1;
    long testSeed = ctx.seed() * 0xC2B2AE3D27D4EB4FL + 2;
    List<IncidentGenerator.Incident> train =
        generate(ctx, gen, "train", trainPerModePerWeek * ctx.weeks(), trainSeed);
    List<IncidentGenerator.Incident> validation =
        generate(ctx, gen, "validation", validationPerMode, validationSeed);
    List<IncidentGenerator.Incident> test = generate(ctx, gen, "test", testPerMode, testSeed);

    List<RootCauseModel.Labelled> data = DiagnosisTrainer.labelled(train);
    RootCauseModel best = null;
    DiagnosisTrainer.Evaluation bestVal = null;
    for (RootCauseModel.Structure st : RootCauseModel.Structure.values()) {
      for (double alpha : new double[] {1.0, 0.5}) {
        RootCauseModel m =
            RootCauseModel.fit(
                DiagnosisTrainer.features(), data, new RootCauseModel.Options(alpha, st));
        DiagnosisTrainer.Evaluation v = DiagnosisTrainer.evaluate(m, validation);
        ctx.err()
            .printf(
                "diagnosis: %s alpha %.1f validation top-1 %.3f top-3 %.3f log-loss %.4f%n",
                st, alpha, v.top1(), v.top3(), v.logLoss());
        if (bestVal == null || better(v, bestVal)) {
          best = m;
          bestVal = v;
        }
      }
    }
    DiagnosisTrainer.Evaluation t = DiagnosisTrainer.evaluate(best, test);
    ctx.err().print(t.report("diagnosis test (" + best + ")"));
    ctx.err().flush();

    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("structure", best.options().structure().name());
    metrics.put("alpha", best.options().alpha());
    metrics.put("train_incidents", train.size());
    metrics.put("validation_incidents", validation.size());
    metrics.put("test_incidents", test.size());
    metrics.put("train_seed", trainSeed);
    metrics.put("validation_seed", validationSeed);
    metrics.put("test_seed", testSeed);
    metrics.put("validation_top1", bestVal.top1());
    metrics.put("validation_top3", bestVal.top3());
    metrics.put("validation_log_loss", bestVal.logLoss());
    metrics.putAll(prefixed("test_", t.metrics()));
    metrics.put("test_confusion", t.confusionMetrics());
    metrics.put("train_incidents_per_mode", DiagnosisTrainer.counts(train));
    metrics.put("test_incidents_per_mode", DiagnosisTrainer.counts(test));
    final RootCauseModel chosen = best;
    ctx.bundle()
        .put(Diagnoser.COMPONENT, "diagnosis.json", RootCauseModel.SCHEMA, metrics, chosen::write);
    ctx.bundle().training("diagnosis.incidents", train.size() + validation.size() + test.size());

    Map<String, Object> headline = new LinkedHashMap<>();
    headline.put("top1", t.metrics().get("top1"));
    headline.put("top3", t.metrics().get("top3"));
    headline.put("rules_top1", t.metrics().get("rules_top1"));
    headline.put("incidents", train.size() + "/" + validation.size() + "/" + test.size());
    headline.put("structure", best.options().structure().name());
    return headline;
  }

  /** Higher top-1, then higher top-3, then lower log-loss (the better calibrated). */
  static boolean better(DiagnosisTrainer.Evaluation a, DiagnosisTrainer.Evaluation b) {
    if (a.top1() != b.top1()) {
      return a.top1() > b.top1();
    }
    if (a.top3() != b.top3()) {
      return a.top3() > b.top3();
    }
    return a.logLoss() < b.logLoss();
  }

  private static List<IncidentGenerator.Incident> generate(
      TrainingContext ctx, IncidentGenerator gen, String split, int perMode, long seed) {
    ProgressListener bar = ctx.progress("diagnosis: " + split, "incidents");
    List<IncidentGenerator.Incident> out = gen.generate(perMode, seed, bar);
    if (bar instanceof ProgressBar p) {
      p.finish();
    }
    return out;
  }

  private static Map<String, Object> prefixed(String prefix, Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(prefix + k, v));
    return out;
  }
}
