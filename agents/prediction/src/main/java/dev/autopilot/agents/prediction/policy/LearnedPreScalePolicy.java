package dev.autopilot.agents.prediction.policy;

import dev.autopilot.agents.prediction.forecast.DemandForecaster;
import dev.autopilot.agents.prediction.model.FeaturePipeline;
import dev.autopilot.agents.prediction.model.ViolationModel;
import dev.autopilot.agents.prediction.policy.PreScaleCore.Admission;
import dev.autopilot.agents.prediction.policy.PreScaleCore.Sizing;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.model.DistributionGuard;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The learned pre-scale policy: the violation model says <em>whether</em> to act, the demand
 * forecaster says <em>how much</em>.
 *
 * <p>Every snapshot goes through the {@link FeaturePipeline} (so its trailing window stays whole)
 * and the {@link ViolationModel} gives the probability of an SLA violation within the model's
 * horizon (5 minutes). When the probability reaches the threshold (the model's calibrated one, or
 * {@code autopilot.prediction.decision-threshold}), the policy sizes a pre-scale for {@link
 * DemandForecaster#peak} over {@code horizon-ticks} (the demand expected over the next 5 minutes),
 * with the baseline's capacity estimate, per-operator sizing and Rescale-or-Reconfigure choice
 * ({@link PreScaleCore}). The proposal expires after {@code lead-time-ticks} (3 minutes), its
 * confidence is the probability, its evidence names the probability, the threshold, the model
 * version, the forecast peak, the capacity and the sizing.
 *
 * <p>When the model predicts a violation but the forecast peak fits the capacity (at most {@code
 * headroom} of it), the policy does <em>not</em> scale: a pre-scale sized from a demand that fits
 * would be a no-op or an arbitrary guess, and a risk that load does not drive (a fault, a slow
 * dependency, a checkpoint storm) is the recovery and optimization agents' to answer. It says so in
 * the reason (logged by the agent at debug level) and proposes nothing.
 *
 * <p>Hold-back rules as the baseline: nothing while the job is not running or settles after a
 * change, while an earlier proposal is pending, within the cooldown, or during the back-off after a
 * rolled-back or failed pre-scale. The model can be replaced ({@link #promote}) by continuous
 * learning; a model on another feature schema is refused.
 *
 * <p>Cold start: built without a model but with a baseline ({@link #coldStart}), it runs the
 * feature pipeline, the load estimator and the demand forecaster on every tick (so they are warm
 * when a model arrives) and lets the Holt baseline decide until a first model is {@link #promote
 * promoted}.
 *
 * <p>Pure (event time only, no I/O) with working memory (features window, forecaster, load
 * estimator), not journaled; not thread-safe, one instance per pipeline entity.
 */
public final class LearnedPreScalePolicy implements PreScaler {

  private final PredictionSettings settings;
  private final OptionalDouble thresholdOverride;
  private final PreScaleCore core;
  private final FeaturePipeline features;
  private final DemandForecaster demand;
  private final PreScalePolicy baseline;
  private final PreScalePolicy outOfDistributionFallback;
  private final DistributionGuard.Settings guardSettings;
  private DistributionGuard guard;
  private ViolationModel model;
  private double lastProbability = Double.NaN;
  private float[] lastFeatures;
  private long lastScoredTick = Long.MIN_VALUE;

  /**
   * @param settings the prediction agent's settings (sizing, horizon, lead time, hold-back rules)
   * @param learned the policy settings (the optional threshold override)
   * @param features this pipeline's feature pipeline
   * @param model this pipeline's instance of the violation model, on {@code features}' schema
   * @param demand this pipeline's demand forecaster
   * @throws IllegalArgumentException when the model was trained on another feature schema
   */
  public LearnedPreScalePolicy(
      PredictionSettings settings,
      LearnedPolicySettings learned,
      FeaturePipeline features,
      ViolationModel model,
      DemandForecaster demand) {
    this(settings, learned, features, checkedLater(model), demand, null);
  }

  private LearnedPreScalePolicy(
      PredictionSettings settings,
      LearnedPolicySettings learned,
      FeaturePipeline features,
      ViolationModel model,
      DemandForecaster demand,
      PreScalePolicy baseline) {
    this.settings = settings;
    this.thresholdOverride = learned.thresholdOverride();
    this.core = new PreScaleCore(settings);
    this.features = features;
    this.demand = demand;
    this.baseline = baseline;
    this.outOfDistributionFallback = baseline != null ? baseline : new PreScalePolicy(settings);
    this.guardSettings = learned.oodGuard();
    this.guard = new DistributionGuard(guardSettings);
    this.model = model == null ? null : checked(model);
  }

  private static ViolationModel checkedLater(ViolationModel m) {
    if (m == null) {
      throw new IllegalArgumentException("no violation model");
    }
    return m;
  }

  /**
   * A learned policy without a model yet (a cold start): the Holt baseline decides until {@link
   * #promote} gives it one.
   *
   * @param settings the prediction agent's settings
   * @param learned the policy settings (the optional threshold override)
   * @param features this pipeline's feature pipeline
   * @param demand this pipeline's demand forecaster
   */
  public static LearnedPreScalePolicy coldStart(
      PredictionSettings settings,
      LearnedPolicySettings learned,
      FeaturePipeline features,
      DemandForecaster demand) {
    return new LearnedPreScalePolicy(
        settings, learned, features, null, demand, new PreScalePolicy(settings));
  }

  @Override
  public String name() {
    return LearnedPolicySettings.Kind.LEARNED.id();
  }

  /** The model in use, null while a cold-started policy has none (the baseline decides). */
  public ViolationModel model() {
    return model;
  }

  /** Whether this policy was cold-started (it has a Holt baseline to decide without a model). */
  public boolean hasBaseline() {
    return baseline != null;
  }

  /**
   * Goes back to the Holt baseline (a promoted model could not be restored and there is no release
   * model). Only a cold-started policy has a baseline.
   *
   * @throws IllegalStateException when this policy was not cold-started
   */
  public void dropModel() {
    if (baseline == null) {
      throw new IllegalStateException("this learned policy has no baseline to fall back to");
    }
    model = null;
  }

  /**
   * The Holt baseline's binary forecast at a tick while it decides (no model yet), else null (see
   * {@link PreScalePolicy#forecastAlarmAt}).
   */
  public Boolean baselineAlarmAt(long tick) {
    return model == null && baseline != null ? baseline.forecastAlarmAt(tick) : null;
  }

  /**
   * Replaces the model (a promotion by continuous learning); the features window, the forecaster
   * and the hold-back state carry over.
   *
   * @throws IllegalArgumentException when the new model was trained on another feature schema
   */
  public void promote(ViolationModel next) {
    this.model = checked(next);
    // a new model is judged on its own scores
    this.guard = new DistributionGuard(guardSettings);
  }

  /** Why the model is out of its training distribution on this pipeline, when it is. */
  public Optional<String> outOfDistribution() {
    return guard.reason();
  }

  /**
   * The decision threshold in use: the configured override, else the model's calibrated one (NaN
   * without a model).
   */
  public double threshold() {
    if (thresholdOverride.isPresent()) {
      return thresholdOverride.getAsDouble();
    }
    return model == null ? Double.NaN : model.threshold();
  }

  /** The probability of the last evaluated tick, NaN before the first (for status). */
  public double lastProbability() {
    return lastProbability;
  }

  /**
   * The feature vector this policy computed for a tick, when that tick is the last one it
   * evaluated, else null: the agent scores and labels the tick with it instead of running a second
   * feature pipeline. Read-only for the caller.
   */
  public float[] featuresAt(long tick) {
    return tick == lastScoredTick ? lastFeatures : null;
  }

  private ViolationModel checked(ViolationModel m) {
    if (m == null) {
      throw new IllegalArgumentException("no violation model");
    }
    if (!features.schema().equals(m.featureSchema())) {
      throw new IllegalArgumentException(
          "violation model v"
              + m.version()
              + " was trained on feature schema '"
              + m.featureSchema()
              + "', the feature pipeline gives '"
              + features.schema()
              + "'");
    }
    return m;
  }

  @Override
  public Result evaluate(TelemetrySnapshot s, SlaSpec sla, ProposalHistory history) {
    if (core.seen(s.tick())) {
      return Result.quiet("tick " + s.tick() + " already seen");
    }
    float[] x = features.observe(s, sla);
    lastFeatures = x;
    lastScoredTick = s.tick();
    if (model == null) {
      // Cold start: keep the estimator and the demand forecaster warm, let the baseline decide.
      lastProbability = Double.NaN;
      core.admit(s, history, demand);
      return baseline.evaluate(s, sla, history);
    }
    double p = model.probability(x);
    lastProbability = p;
    guard.observe(p);
    // the Holt fallback sees every tick, so that it is warm when the guard hands it the decision
    Result fallback =
        guardSettings.enabled() ? outOfDistributionFallback.evaluate(s, sla, history) : null;
    if (guard.outOfDistribution()) {
      // the model's output must not drive a pre-scale: the Holt baseline decides (the estimator
      // and the demand forecaster stay warm for when the model is back in distribution)
      core.admit(s, history, demand);
      if (fallback == null) {
        fallback = outOfDistributionFallback.evaluate(s, sla, history);
      }
      return new Result(
          fallback.proposal(),
          "violation model v"
              + model.version()
              + " out of distribution ("
              + guard.reason().orElse("")
              + "): Holt baseline: "
              + fallback.reason());
    }
    Admission admission = core.admit(s, history, demand);
    if (admission.held()) {
      return Result.quiet(admission.holdReason());
    }
    if (!(p >= 0 && p <= 1)) {
      return Result.quiet("model v" + model.version() + " gave no probability (" + p + ")");
    }
    double threshold = threshold();
    if (p < threshold) {
      return Result.quiet(
          String.format(
              Locale.ROOT, "violation probability %.3f under threshold %.3f", p, threshold));
    }
    String over = String.format(Locale.ROOT, "violation probability %.3f >= %.3f", p, threshold);
    if (!admission.estimate().capacityKnown()) {
      return Result.quiet(over + ", but capacity unknown: no pre-scale");
    }
    int h = settings.horizonTicks();
    OptionalDouble peak = demand.peak(h);
    if (peak.isEmpty()) {
      return Result.quiet(over + ", but the demand forecast is not ready");
    }
    double projected = peak.getAsDouble();
    double capacity = core.capacity(s, admission.estimate());
    double trigger = capacity * settings.headroom();
    if (projected <= trigger) {
      return Result.quiet(
          over
              + String.format(
                  Locale.ROOT,
                  ", but the forecast peak %.0f/s over %d ticks fits %.0f%% of capacity %.0f/s: no"
                      + " pre-scale (a risk load does not drive is left to recovery and"
                      + " optimization)",
                  projected,
                  h,
                  settings.headroom() * 100,
                  capacity));
    }
    Optional<Sizing> sizing = core.size(s, admission.estimate(), projected);
    if (sizing.isEmpty()) {
      return Result.quiet("forecast peak exceeds capacity but every operator is at its maximum");
    }
    List<String> evidence = new ArrayList<>();
    evidence.add(
        String.format(
            Locale.ROOT,
            "violation probability %.3f within %d ticks >= threshold %.3f (%s), model v%d on"
                + " features %s",
            p,
            h,
            threshold,
            thresholdOverride.isPresent() ? "configured" : "calibrated",
            model.version(),
            model.featureSchema()));
    evidence.add(
        String.format(
            Locale.ROOT, "forecast peak demand %.0f/s over the next %d ticks", projected, h));
    evidence.addAll(core.capacityEvidence(sizing.get(), admission.estimate(), sla, trigger));
    String cause =
        String.format(
            Locale.ROOT,
            "SLA violation probability %.2f within %d ticks (model v%d); forecast peak %.0f/s"
                + " exceeds %.0f%% of capacity %.0f/s",
            p,
            h,
            model.version(),
            projected,
            settings.headroom() * 100,
            capacity);
    Proposal proposal = core.proposal(s, sizing.get(), p, evidence, cause);
    return new Result(Optional.of(proposal), cause);
  }
}
