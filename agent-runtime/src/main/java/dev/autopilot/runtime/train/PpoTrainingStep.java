package dev.autopilot.runtime.train;

import com.typesafe.config.Config;
import dev.autopilot.agents.optimization.learned.LearnedPolicies;
import dev.autopilot.agents.optimization.learned.PpoLearnedPolicy;
import dev.autopilot.agents.optimization.learned.ShadowEvaluation;
import dev.autopilot.agents.optimization.policy.OptimizationSettings;
import dev.autopilot.agents.optimization.ppo.IterationStats;
import dev.autopilot.agents.optimization.ppo.PpoPolicy;
import dev.autopilot.agents.optimization.ppo.PpoSettings;
import dev.autopilot.agents.optimization.ppo.PpoTrainer;
import dev.autopilot.agents.optimization.rl.ActionSpace;
import dev.autopilot.agents.optimization.rl.RlSettings;
import dev.autopilot.agents.optimization.rl.StateEncoder;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.bench.ProgressListener;
import dev.autopilot.runtime.loop.PipelineSlas;
import dev.autopilot.runtime.optimize.LearningCurve;
import dev.autopilot.runtime.optimize.ShadowEvaluator;
import dev.autopilot.runtime.optimize.SimEnvironment;
import dev.autopilot.runtime.sim.SimSettings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains the PPO optimizer ({@link PpoTrainer}) in the {@link SimEnvironment} and writes it as the
 * component {@value PpoLearnedPolicy#COMPONENT} of the {@value LearnedPolicies#FAMILY} bundle, with
 * the learning curve ({@code learning-curve.csv} and the chart {@code learning-curve.html},
 * components {@code learning-curve} and {@code learning-curve-chart}) and the shadow evaluation
 * against DS2 ({@link ShadowEvaluator}) in the component's metrics and the manifest.
 *
 * <p>Seeds: from the base seed three disjoint streams derive, one for the training episodes, one for
 * the validation episodes of the shadow evaluation, which training never sees, and one for the
 * selection episodes.
 *
 * <p>Checkpoint selection: PPO's policy does not improve monotonically (its deterministic action
 * can get worse while the sampled rollouts' reward holds), so the untrained policy and then every
 * {@code selection-every} iterations (and the last) the policy's deterministic action runs the
 * selection episodes alone, and the checkpoint with the highest mean reward per decision is the one
 * saved and evaluated against DS2. The selection seeds are not the validation seeds, so the shadow
 * evaluation stays an estimate on days neither training nor selection saw. Iterations: {@code
 * --iterations}, else {@code autopilot.train.optimization.iterations}. The PPO settings are {@code
 * autopilot.optimization.ppo}'s (issue 5's), the episode design {@code
 * autopilot.train.optimization}'s.
 */
public final class PpoTrainingStep implements TrainingStep {

  /**
   * How much training one run gets (tests shrink it).
   *
   * @param iterations PPO iterations, or null for the configured default
   * @param rolloutSteps rollout length override, or null for the PPO settings'
   * @param validationSeeds validation seeds override, or null for the configured count
   * @param validationHours validation episode length override, or null for the configured one
   * @param episodeHours training episode length override, or null for the configured one
   * @param selectionEvery iterations between checkpoint selections override, or null for the
   *     configured one
   */
  record Budget(
      Integer iterations,
      Integer rolloutSteps,
      Integer validationSeeds,
      Double validationHours,
      Double episodeHours,
      Integer selectionEvery) {}

  private final Budget budget;
  private final Config config;

  /** The step with {@code --iterations} (null: the configured default). */
  public PpoTrainingStep(Integer iterations) {
    this(new Budget(iterations, null, null, null, null, null), null);
  }

  PpoTrainingStep(Budget budget, Config config) {
    this.budget = budget;
    this.config = config;
  }

  @Override
  public String name() {
    return "ppo";
  }

  @Override
  public Map<String, Object> train(TrainingContext ctx) throws Exception {
    Config c = config != null ? config : RuntimeConfig.load();
    Config t = c.getConfig("autopilot.train.optimization");
    SimSettings sim = SimSettings.create(c);
    RlSettings rl = RlSettings.create(c);
    OptimizationSettings ds2 = OptimizationSettings.create(c);
    SlaSpec sla = PipelineSlas.of(c, List.of(SimEnvironment.PIPELINE)).get(SimEnvironment.PIPELINE);
    PpoSettings ppo = PpoSettings.fromConfig(c);
    if (budget.rolloutSteps() != null) {
      ppo = ppo.withRolloutSteps(budget.rolloutSteps());
    }
    int iterations = budget.iterations() != null ? budget.iterations() : t.getInt("iterations");
    if (iterations < 1) {
      throw new IllegalArgumentException("--iterations must be >= 1, got " + iterations);
    }
    int validationCount =
        budget.validationSeeds() != null ? budget.validationSeeds() : t.getInt("validation-seeds");
    double validationHours =
        budget.validationHours() != null
            ? budget.validationHours()
            : t.getDouble("validation-hours");
    SimEnvironment.Settings episodes = SimEnvironment.Settings.create(c);
    if (budget.episodeHours() != null) {
      episodes = episodes.withEpisodeHours(budget.episodeHours());
    }
    SimEnvironment.Settings validation = episodes.withEpisodeHours(validationHours);

    SplittableRandom seeds = new SplittableRandom(ctx.seed());
    SplittableRandom trainSeeds = seeds.split();
    SplittableRandom validationSeeds = seeds.split();
    List<Long> validationList = new ArrayList<>();
    for (int i = 0; i < validationCount; i++) {
      validationList.add(validationSeeds.nextLong());
    }
    SplittableRandom selectionSeeds = seeds.split();
    int selectionEvery =
        budget.selectionEvery() != null ? budget.selectionEvery() : t.getInt("selection-every");
    int selectionCount = t.getInt("selection-seeds");
    if (selectionEvery < 1 || selectionCount < 1) {
      throw new IllegalArgumentException(
          "autopilot.train.optimization: selection-every and selection-seeds must be >= 1, got "
              + selectionEvery
              + " and "
              + selectionCount);
    }
    List<Long> selectionList = new ArrayList<>();
    for (int i = 0; i < selectionCount; i++) {
      selectionList.add(selectionSeeds.nextLong());
    }

    SimEnvironment env = new SimEnvironment(sim, rl, sla, episodes);
    List<IterationStats> curve = new ArrayList<>();
    long t0 = System.nanoTime();
    PpoPolicy policy;
    int selectedIteration = 0;
    double selectedReward = Double.NEGATIVE_INFINITY;
    Map<Integer, Double> selection = new LinkedHashMap<>();
    ProgressListener bar = ctx.progress("ppo: iterations", "iterations");
    try (PpoTrainer trainer =
        new PpoTrainer(ppo, StateEncoder.SIZE, ActionSpace.SIZE, ctx.seed())) {
      policy = trainer.policy();
      for (int i = 0; i <= iterations; i++) {
        if (i > 0) {
          IterationStats s = trainer.iterate(env, trainSeeds::nextLong);
          curve.add(s);
          bar.onProgress(i, iterations);
          if (!ctx.terminal()) {
            print(ctx, s); // a log, not a terminal: one line per iteration as it comes
          }
        }
        if (i % selectionEvery == 0 || i == iterations) {
          PpoPolicy checkpoint = trainer.policy();
          double reward =
              ShadowEvaluator.policyMeanReward(
                  sim, rl, sla, validation, checkpoint::act, selectionList);
          selection.put(i, round(reward));
          if (reward > selectedReward) {
            selectedReward = reward;
            selectedIteration = i;
            policy = checkpoint;
          }
          if (!ctx.terminal()) {
            ctx.err()
                .printf(
                    Locale.ROOT,
                    "  selection at iteration %d: mean reward %.3f on the selection days (best:"
                        + " iteration %d)%n",
                    i,
                    reward,
                    selectedIteration);
            ctx.err().flush();
          }
        }
      }
    }
    finish(bar);
    double trainSeconds = (System.nanoTime() - t0) / 1e9;
    if (ctx.terminal()) {
      curve.forEach(s -> print(ctx, s));
    }
    ctx.err().flush();

    long t1 = System.nanoTime();
    PpoPolicy trained = policy;
    ProgressListener evalBar = ctx.progress("ppo: shadow evaluation vs DS2", "decisions");
    ShadowEvaluation evaluation =
        ShadowEvaluator.evaluate(
            sim, rl, ds2, sla, validation, trained::act, validationList, evalBar);
    finish(evalBar);
    double evalSeconds = (System.nanoTime() - t1) / 1e9;

    IterationStats last = curve.get(curve.size() - 1);
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put(LearnedPolicies.ACTION_SCHEMA_KEY, ActionSpace.SCHEMA);
    metrics.put(LearnedPolicies.SHADOW_KEY, LearnedPolicies.toMetric(evaluation));
    metrics.put("iterations", iterations);
    metrics.put("selectedIteration", selectedIteration);
    metrics.put("selectedSelectionReward", round(selectedReward));
    metrics.put("finalMeanReward", round(last.meanReward()));
    metrics.put("finalThroughputAchievement", round(last.throughputAchievement()));
    metrics.put("finalLatencyCompliance", round(last.latencyCompliance()));
    metrics.put("finalResourceEfficiency", round(last.resourceEfficiency()));
    metrics.put("decisionTicks", rl.decisionTicks());
    byte[] bytes = policy.toBytes();
    ctx.bundle()
        .put(
            PpoLearnedPolicy.COMPONENT,
            "ppo-policy.bin",
            StateEncoder.SCHEMA,
            metrics,
            out -> out.write(bytes));
    String csv = LearningCurve.csv(curve);
    ctx.bundle()
        .put(
            "learning-curve",
            "learning-curve.csv",
            "csv",
            Map.of("rows", curve.size()),
            out -> out.write(csv.getBytes(StandardCharsets.UTF_8)));
    String html =
        LearningCurve.html(
            curve,
            "PPO optimizer learning curve ("
                + iterations
                + " iterations, seed "
                + ctx.seed()
                + ")");
    ctx.bundle()
        .put(
            "learning-curve-chart",
            "learning-curve.html",
            "html",
            Map.of(),
            out -> out.write(html.getBytes(StandardCharsets.UTF_8)));

    Map<String, Object> training = new LinkedHashMap<>();
    training.put("stateSchema", StateEncoder.SCHEMA);
    training.put("stateSize", StateEncoder.SIZE);
    training.put("actionSchema", ActionSpace.SCHEMA);
    training.put("actionSize", ActionSpace.SIZE);
    training.put("ppoSettings", ppo);
    training.put("rlSettings", rl);
    training.put("episodes", episodes);
    training.put("sla", sla.toString());
    training.put("iterations", iterations);
    training.put("selectionSeeds", selectionList);
    training.put("selectionRewardByIteration", selection);
    training.put("selectedIteration", selectedIteration);
    training.put("stepsPerIteration", ppo.rolloutSteps());
    training.put("trainSeconds", Math.round(trainSeconds));
    training.put("evaluationSeconds", Math.round(evalSeconds));
    training.put("validationHours", validationHours);
    training.put("shadowEvaluation", evaluation);
    ctx.bundle().training("ppo", training);

    Map<String, Object> headline = new LinkedHashMap<>();
    headline.put("iterations", iterations);
    headline.put("trainSeconds", Math.round(trainSeconds));
    headline.put("finalReward", round(last.meanReward()));
    headline.put("selectedIteration", selectedIteration);
    headline.put("selectedSelectionReward", round(selectedReward));
    headline.put("policyViolationPct", round(evaluation.policySlaViolationPct()));
    headline.put("ds2ViolationPct", round(evaluation.baselineSlaViolationPct()));
    headline.put("policyCostPerMillion", round(evaluation.policyCostPerMillionEvents()));
    headline.put("ds2CostPerMillion", round(evaluation.baselineCostPerMillionEvents()));
    headline.put("policyMeanReward", round(evaluation.policyMeanReward()));
    headline.put("ds2MeanReward", round(evaluation.baselineMeanReward()));
    headline.put("beatsBaseline", evaluation.beatsBaseline());
    return headline;
  }

  private static void print(TrainingContext ctx, IterationStats s) {
    ctx.err()
        .printf(
            Locale.ROOT,
            "  iteration %3d: reward %.3f, throughput %.3f, latency ok %.3f, efficiency %.3f,"
                + " cpu %.2f, entropy %.2f, kl %.4f, %.1f s%n",
            s.iteration(),
            s.meanReward(),
            s.throughputAchievement(),
            s.latencyCompliance(),
            s.resourceEfficiency(),
            s.cpuUtilisation(),
            s.entropy(),
            s.approxKl(),
            s.seconds());
    ctx.err().flush();
  }

  private static void finish(ProgressListener bar) {
    if (bar instanceof dev.autopilot.runtime.bench.ProgressBar p) {
      p.finish();
    }
  }

  private static double round(double v) {
    return Double.isFinite(v) ? Math.round(v * 1e6) / 1e6 : v;
  }
}
