package dev.autopilot.agents.prediction.policy;

import dev.autopilot.api.estimate.LoadEstimator;
import dev.autopilot.api.estimate.EffectModel;
import dev.autopilot.agents.prediction.policy.HoltForecaster.Fit;
import dev.autopilot.api.estimate.LoadEstimator.Estimate;
import dev.autopilot.api.estimate.LoadEstimator.OperatorRate;
import dev.autopilot.api.Action;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.ExpectedEffect;
import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.Metric;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.PriorityClass;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TaskManagerMetrics;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * <p>It answers real ramps only: demand is observed only while the job runs a settled
 * configuration (the replay and catch-up of a restart move the consumer lag, which is not demand),
 * the trend must be rising and the rise over the horizon must be significant against the
 * forecast error; demand already over a (fault-reduced) capacity without a ramp is left to the
 * reactive agents. The capacity is the smaller of the per-thread estimate and the CPU-bound one
 * (throughput over the TaskManagers' CPU load), and the sizing covers both. After a rolled-back or
 * failed pre-scale it backs off ({@link ProposalHistory#backedOff}).
 *
 * <p>Confidence is the probability that demand at the horizon exceeds the trigger level, under a
 * normal forecast error whose deviation comes from the fit's one-step error. Holds back while an
 * earlier proposal is pending or within the cooldown, while the job is not running, and while the
 * window holds too few observations.
 *
 * <p>Working memory (the load estimator and the forecaster) lives in this object, is not journaled,
 * and refills from telemetry. Not thread-safe; one instance per actor.
 */
public final class PreScalePolicy {

  /**
   * The outcome of one evaluation.
   *
   * @param proposal the proposal, when one is made
   * @param reason why a proposal was or was not made, for the logs
   */
  public record Result(Optional<Proposal> proposal, String reason) {
    static Result quiet(String reason) {
      return new Result(Optional.empty(), reason);
    }
  }

  private final PredictionSettings settings;
  private final LoadEstimator estimator;
  private final HoltForecaster forecaster;
  private final EffectModel effects;
  private PipelineConfig lastConfig;
  private int settledTicks;

  public PreScalePolicy(PredictionSettings settings) {
    this.settings = settings;
    this.estimator = new LoadEstimator(settings.minBusyRatio());
    this.forecaster = new HoltForecaster(settings.alpha(), settings.beta(), settings.windowTicks());
    this.effects =
        new EffectModel(
            settings.targetUtilisation(),
            settings.latencyFixedShare(),
            settings.latencyMaxUtilisation(),
            settings.slotCostWeight());
  }

  /** The forecaster's current fit (for status and tests). */
  public Optional<Fit> fit() {
    return forecaster.fit();
  }

  /**
   * Takes in one validated snapshot of the pipeline and decides whether to propose a pre-scale.
   *
   * @param s a validated snapshot of this policy's pipeline
   * @param sla the pipeline's SLA (quoted in the evidence)
   * @param history the agent's earlier proposals
   */
  public Result evaluate(TelemetrySnapshot s, SlaSpec sla, ProposalHistory history) {
    if (s.tick() <= estimator.lastTick()) {
      return Result.quiet("tick " + s.tick() + " already seen");
    }
    Estimate estimate = estimator.update(s);
    if (!s.config().equals(lastConfig)) {
      lastConfig = s.config();
      settledTicks = 0;
    }
    if (s.job().state() != JobMetrics.JobState.RUNNING) {
      settledTicks = 0;
      return Result.quiet("job is " + s.job().state());
    }
    settledTicks++;
    if (settledTicks <= settings.settleTicks()) {
      return Result.quiet(
          "settling, " + settledTicks + " of " + settings.settleTicks() + " ticks: demand not observed");
    }
    if (estimate.demandUsable()) {
      forecaster.observe(s.tick(), estimate.demand());
    }
    if (history.pending()) {
      return Result.quiet("previous proposal pending");
    }
    if (history.inCooldown(s.tick(), settings.cooldownTicks())) {
      return Result.quiet("cooldown since tick " + history.lastProposalTick());
    }
    if (history.backedOff(s.tick(), settings.rollbackBackoffTicks())) {
      return Result.quiet(
          "a pre-scale was rolled back or failed at tick "
              + history.lastFailedTick()
              + ": backing off until tick "
              + (history.lastFailedTick() + settings.rollbackBackoffTicks()));
    }
    if (forecaster.size() < settings.minObservations()) {
      return Result.quiet("forecast window holds " + forecaster.size() + " observations");
    }
    if (!estimate.capacityKnown()) {
      return Result.quiet("capacity unknown");
    }
    Fit fit = forecaster.fit().orElseThrow();
    int h = settings.horizonTicks();
    double projected = fit.forecast(h);
    double capacity = capacity(s, estimate);
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
    return size(s, sla, estimate, fit, projected, trigger);
  }

  /**
   * The pipeline's capacity: the smaller of the per-thread estimate and the CPU-bound one
   * (throughput over the TaskManagers' mean CPU load; every operator shares their cores).
   */
  private double capacity(TelemetrySnapshot s, Estimate estimate) {
    double cpu = cpuLoad(s, estimate);
    double cpuCapacity = cpu > 0 ? s.job().throughputPerSecond() / cpu : Double.POSITIVE_INFINITY;
    return Math.min(estimate.capacity(), cpuCapacity);
  }

  /**
   * The TaskManagers' mean CPU load when it measures the cost of the processed records (the job
   * processes at least {@code cpuFloorMinThroughputShare} of the demand), else 0.
   */
  private double cpuLoad(TelemetrySnapshot s, Estimate estimate) {
    double cpu = meanCpuLoad(s);
    double throughput = s.job().throughputPerSecond();
    boolean usable =
        cpu > 0
            && throughput > 0
            && throughput >= settings.cpuFloorMinThroughputShare() * estimate.demand();
    return usable ? cpu : 0;
  }

  /** Mean CPU load over the TaskManagers that report it, 0 when none does. */
  private static double meanCpuLoad(TelemetrySnapshot s) {
    double sum = 0;
    int n = 0;
    for (TaskManagerMetrics tm : s.taskManagers()) {
      if (!tm.isAbsent(Metric.CPU_LOAD)) {
        sum += tm.get(Metric.CPU_LOAD);
        n++;
      }
    }
    return n == 0 ? 0 : sum / n;
  }

  private Result size(
      TelemetrySnapshot s,
      SlaSpec sla,
      Estimate estimate,
      Fit fit,
      double projected,
      double trigger) {
    PipelineConfig current = s.config();
    Map<String, Integer> target = new LinkedHashMap<>();
    Map<String, Integer> changed = new LinkedHashMap<>();
    double newCapacity = Double.POSITIVE_INFINITY;
    List<String> sizing = new ArrayList<>();
    double cpu = cpuLoad(s, estimate);
    double throughput = s.job().throughputPerSecond();
    double cpuAtProjected = cpu > 0 && throughput > 0 ? cpu * projected / throughput : 0;
    double capacityNow = capacity(s, estimate);
    for (OperatorRate op : estimate.operators()) {
      int p = op.parallelism();
      int next = p;
      if (op.known()) {
        int required =
            EffectModel.ceilTolerant(
                projected * op.inputRatio() / (op.ratePerSubtask() * settings.targetUtilisation()));
        int requiredCpu =
            EffectModel.ceilTolerant(p * cpuAtProjected / settings.targetUtilisation());
        next = Math.max(Math.max(required, requiredCpu), p);
      }
      next = Math.min(settings.maxParallelism(), Math.max(settings.minParallelism(), next));
      target.put(op.operatorId(), next);
      if (next != p) {
        changed.put(op.operatorId(), next);
        sizing.add(
            String.format(
                Locale.ROOT,
                "%s: %.0f/s per subtask, input ratio %.3f, parallelism %d -> %d",
                op.operatorId(),
                op.ratePerSubtask(),
                op.inputRatio(),
                p,
                next));
      }
      if (op.known()) {
        newCapacity = Math.min(newCapacity, op.sourceEquivalentCapacity(next));
      }
    }
    if (changed.isEmpty()) {
      return Result.quiet("projected demand exceeds capacity but every operator is at its maximum");
    }
    PipelineConfig next = current.withParallelism(target);
    int slotsPerTm = current.slotsPerTaskManager();
    int tmsNeeded = (next.requiredSlots() + slotsPerTm - 1) / slotsPerTm;
    Action action;
    if (tmsNeeded <= current.taskManagers()) {
      action = new Action.Rescale(changed);
    } else {
      next = next.withTaskManagers(tmsNeeded);
      action =
          new Action.Reconfigure(
              next,
              String.format(
                  Locale.ROOT,
                  "pre-scale for %.0f events/s forecast in %d ticks",
                  projected,
                  settings.horizonTicks()));
    }

    double capacity = capacityNow;
    if (cpu > 0 && throughput > 0 && current.requiredSlots() > 0) {
      // The CPU-bound capacity grows with the slots (TaskManagers) of the new configuration.
      newCapacity =
          Math.min(
              newCapacity,
              throughput / cpu * next.requiredSlots() / (double) current.requiredSlots());
    }
    double currentThroughput = s.job().throughputPerSecond();
    double predictedThroughput = Math.min(projected, newCapacity);
    double throughputChange =
        currentThroughput > 0 ? predictedThroughput / currentThroughput - 1 : 0;
    double latencyChange = effects.latencyChange(projected, capacity, newCapacity);
    double predictedLatency = s.job().latencyP99Ms() * (1 + latencyChange);
    double netBenefit =
        effects.netBenefit(
            projected, capacity, newCapacity, current.availableSlots(), next.availableSlots());
    ExpectedEffect effect =
        new ExpectedEffect(
            throughputChange, latencyChange, predictedThroughput, predictedLatency, netBenefit);

    double sigma = fit.forecastStdDev(settings.horizonTicks());
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
            Locale.ROOT,
            "projected demand %.0f/s in %d ticks (+/- %.0f/s)",
            projected,
            settings.horizonTicks(),
            sigma));
    evidence.add(
        String.format(
            Locale.ROOT,
            "capacity %.0f/s (per-thread bottleneck %s, TaskManager CPU load %.2f), trigger at"
                + " %.0f%% = %.0f/s",
            capacity,
            estimate.bottleneck(),
            cpu,
            settings.headroom() * 100,
            trigger));
    evidence.add(
        String.format(
            Locale.ROOT,
            "current demand %.0f/s, consumer lag %.0f records, SLA target %.0f/s",
            estimate.demand(),
            estimate.consumerLag(),
            sla.throughputTarget()));
    evidence.add(
        String.format(
            Locale.ROOT,
            "new capacity %.0f/s at target utilisation %.2f, %d TaskManagers",
            newCapacity,
            settings.targetUtilisation(),
            next.taskManagers()));
    evidence.addAll(sizing);

    String cause =
        String.format(
            Locale.ROOT,
            "forecast demand %.0f/s in %d ticks exceeds %.0f%% of capacity %.0f/s",
            projected,
            settings.horizonTicks(),
            settings.headroom() * 100,
            capacity);
    Proposal proposal =
        new Proposal(
            proposalId(s.pipelineId(), s.tick(), 0),
            s.pipelineId(),
            AgentKind.PREDICTION,
            PriorityClass.SLA_PROTECTION,
            action,
            confidence,
            effect,
            evidence,
            cause,
            s.tick(),
            s.tick() + settings.leadTimeTicks());
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
