package dev.autopilot.agents.prediction.policy;

import dev.autopilot.agents.prediction.policy.HoltForecaster.Fit;
import dev.autopilot.agents.prediction.policy.PreScaleCore.Admission;
import dev.autopilot.agents.prediction.policy.PreScaleCore.Sizing;
import dev.autopilot.api.Action;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Proposes a pre-scale when the demand forecast 5 minutes ahead (Holt's linear trend over the past
 * 30 minutes) exceeds the pipeline's estimated capacity times a headroom factor.
 *
 * <p>Each operator is sized for the projected demand at the target utilisation, {@code
 * ceil(projected · inputRatio / (ratePerSubtask · targetUtilisation))}, never below its current
 * parallelism, clamped to {@code [minParallelism, maxParallelism]}. When the TaskManagers offer
 * enough slots for the new largest parallelism the action is a {@link Action.Rescale} of the
 * changed operators; otherwise a {@link Action.Reconfigure} to the whole target configuration with
 * {@code ceil(maxParallelism / slotsPerTaskManager)} TaskManagers.
 *
 * <p>It answers real ramps only: demand is observed only while the job runs a settled configuration
 * (the replay and catch-up of a restart move the consumer lag, which is not demand), the trend must
 * be rising and the rise over the horizon must be significant against the forecast error; demand
 * already over a (fault-reduced) capacity without a ramp is left to the reactive agents. The
 * capacity is the smaller of the per-thread estimate and the CPU-bound one (throughput over the
 * TaskManagers' CPU load), and the sizing covers both. After a rolled-back or failed pre-scale it
 * backs off ({@link ProposalHistory#backedOff}).
 *
 * <p>Confidence is the probability that demand at the horizon exceeds the trigger level, under a
 * normal forecast error whose deviation comes from the fit's one-step error. Holds back while an
 * earlier proposal is pending or within the cooldown, while the job is not running, and while the
 * window holds too few observations.
 *
 * <p>Working memory (the load estimator and the forecaster) lives in this object, is not journaled,
 * and refills from telemetry. Not thread-safe; one instance per actor. The estimation, hold-back
 * rules and sizing are shared with {@link LearnedPreScalePolicy} ({@link PreScaleCore}).
 */
public final class PreScalePolicy implements PreScaler {

  private final PredictionSettings settings;
  private final PreScaleCore core;
  private final HoltForecaster forecaster;
  private long lastForecastTick = Long.MIN_VALUE;
  private boolean lastForecastAlarm;

  public PreScalePolicy(PredictionSettings settings) {
    this.settings = settings;
    this.core = new PreScaleCore(settings);
    this.forecaster =
        new HoltForecaster(
            settings.alpha(), settings.beta(), settings.windowTicks(), settings.minObservations());
  }

  /** The forecaster's current fit (for status and tests). */
  public Optional<Fit> fit() {
    return forecaster.fit();
  }

  @Override
  public String name() {
    return "holt";
  }

  /**
   * The baseline's binary violation forecast at a tick, when that tick is the last one evaluated
   * (else null): true when the Holt forecast {@code horizon-ticks} ahead exceeds {@code headroom}
   * times the estimated capacity. Without enough observations in the window or a known capacity it
   * is false. The hold-back rules (job not running, settling, pending proposal, cooldown, back-off)
   * and the ramp-significance test decide whether to <em>act</em>, not what is forecast, so they do
   * not enter it. This is what a cold-started agent reports and is scored on while it has no model.
   */
  public Boolean forecastAlarmAt(long tick) {
    return tick == lastForecastTick ? lastForecastAlarm : null;
  }

  /**
   * Takes in one validated snapshot of the pipeline and decides whether to propose a pre-scale.
   *
   * @param s a validated snapshot of this policy's pipeline
   * @param sla the pipeline's SLA (quoted in the evidence)
   * @param history the agent's earlier proposals
   */
  @Override
  public Result evaluate(TelemetrySnapshot s, SlaSpec sla, ProposalHistory history) {
    if (core.seen(s.tick())) {
      return Result.quiet("tick " + s.tick() + " already seen");
    }
    Admission admission = core.admit(s, history, forecaster);
    lastForecastTick = s.tick();
    lastForecastAlarm =
        forecaster.size() >= settings.minObservations()
            && admission.estimate().capacityKnown()
            && forecaster.fit().isPresent()
            && forecaster.fit().get().forecast(settings.horizonTicks())
                > core.capacity(s, admission.estimate()) * settings.headroom();
    if (admission.held()) {
      return Result.quiet(admission.holdReason());
    }
    if (forecaster.size() < settings.minObservations()) {
      return Result.quiet("forecast window holds " + forecaster.size() + " observations");
    }
    if (!admission.estimate().capacityKnown()) {
      return Result.quiet("capacity unknown");
    }
    Fit fit = forecaster.fit().orElseThrow();
    int h = settings.horizonTicks();
    double projected = fit.forecast(h);
    double capacity = core.capacity(s, admission.estimate());
    double trigger = capacity * settings.headroom();
    if (projected <= trigger) {
      return Result.quiet(
          String.format(Locale.ROOT, "projected %.0f/s within %.0f/s", projected, trigger));
    }
    double rise = projected - fit.level();
    double sigma = fit.forecastStdDev(h);
    if (fit.trend() <= 0 || rise < settings.minRampSignificance() * sigma) {
      return Result.quiet(
          String.format(
              Locale.ROOT,
              "projected %.0f/s over %.0f/s, but no significant ramp: rise %+.0f/s over %d ticks"
                  + " against a forecast error of %.0f/s",
              projected,
              trigger,
              rise,
              h,
              sigma));
    }
    Optional<Sizing> sizing = core.size(s, admission.estimate(), projected);
    if (sizing.isEmpty()) {
      return Result.quiet("projected demand exceeds capacity but every operator is at its maximum");
    }
    double confidence = sigma <= 0 ? 1.0 : normalCdf((projected - trigger) / sigma);
    List<String> evidence = new ArrayList<>();
    evidence.add(
        String.format(
            Locale.ROOT,
            "Holt level %.0f/s, trend %+.0f/s per tick over %d observations (fit rmse %.0f/s)",
            fit.level(),
            fit.trend(),
            fit.observations(),
            fit.rmse()));
    evidence.add(
        String.format(
            Locale.ROOT, "projected demand %.0f/s in %d ticks (+/- %.0f/s)", projected, h, sigma));
    evidence.addAll(core.capacityEvidence(sizing.get(), admission.estimate(), sla, trigger));
    String cause =
        String.format(
            Locale.ROOT,
            "forecast demand %.0f/s in %d ticks exceeds %.0f%% of capacity %.0f/s",
            projected,
            h,
            settings.headroom() * 100,
            capacity);
    Proposal proposal = core.proposal(s, sizing.get(), confidence, evidence, cause);
    return new Result(Optional.of(proposal), cause);
  }

  /** Proposal id {@code prediction-<pipeline>-<tick>-<n>}. */
  public static String proposalId(String pipelineId, long tick, int n) {
    return AgentKind.PREDICTION.entityTypeName() + "-" + pipelineId + "-" + tick + "-" + n;
  }

  /** Standard normal CDF (Abramowitz and Stegun 7.1.26, absolute error under 1.5e-7). */
  static double normalCdf(double z) {
    double x = Math.abs(z) / Math.sqrt(2);
    double t = 1 / (1 + 0.3275911 * x);
    double poly =
        t
            * (0.254829592
                + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
    double erf = 1 - poly * Math.exp(-x * x);
    return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
  }
}
