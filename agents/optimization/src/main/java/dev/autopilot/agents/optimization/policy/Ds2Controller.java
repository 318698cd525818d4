package dev.autopilot.agents.optimization.policy;

import dev.autopilot.api.Action;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.ExpectedEffect;
import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.Metric;
import dev.autopilot.api.OperatorMetrics;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.PriorityClass;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TaskManagerMetrics;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.estimate.EffectModel;
import dev.autopilot.api.estimate.LoadEstimator;
import dev.autopilot.api.estimate.LoadEstimator.Estimate;
import dev.autopilot.api.estimate.LoadEstimator.OperatorRate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * DS2-style rate-based scaling (Kalavri et al., OSDI'18), as the Flink autoscaler applies it.
 *
 * <p>Per operator, each tick:
 *
 * <ol>
 *   <li>true processing rate per subtask {@code r = recordsIn / busyRatio / parallelism}, smoothed
 *       by an EWMA (idle operators carry their last good rate, see {@link LoadEstimator});
 *   <li>target input rate {@code T = (demand + lag / catchUp) · inputRatio + pending / catchUp},
 *       where the demand is the source-equivalent offered load, the lag the consumer lag at the
 *       sources (scaled by the input ratio, as each source record reaches the operator that often)
 *       and {@code pending} the operator's own backlog (not counted again for the source, whose
 *       backlog is the lag);
 *   <li>required parallelism {@code ceil(T / (r · targetUtilisation))}, clamped to {@code
 *       [minParallelism, maxParallelism]}.
 * </ol>
 *
 * An operator is resized only when its utilisation at the target rate (never below the
 * TaskManagers' CPU load scaled to that rate) leaves the band {@code [scaleDownUtilisation,
 * scaleUpUtilisation]}; once one operator scales up, every operator whose requirement is higher
 * than its parallelism (beyond the dead band) is scaled up with it, in the same restart. A higher
 * requirement is applied at once. A lower one is held back: only once it has persisted for {@code
 * scaleDownStabilisationTicks} (the highest lower recommendation of that window wins), and by at
 * most {@code maxScaleDownStep} of the current parallelism per decision. Changes under the dead
 * band are ignored. No scale-down while the configuration has been unchanged for fewer than {@code
 * scaleDownIntervalTicks}, and no proposal in a direction whose last proposal was rolled back or
 * failed within {@code rollbackBackoffTicks}. TaskManagers are {@code ceil(maxParallelism /
 * slotsPerTaskManager)}.
 *
 * <p>Never proposes while the job is not RUNNING, during the settle ticks after a start, restart or
 * configuration change (the metrics of a restarting job are not usable), when no demand or rate is
 * measured, while an earlier proposal is pending, or within the cooldown.
 *
 * <p>Working memory (rates, smoothing, the scale-down windows) lives in this object, is not
 * journaled, and refills from telemetry: after a restart a scale-down waits a full window again.
 * Not thread-safe; one instance per actor.
 */
public final class Ds2Controller {

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

  /** EWMA of an operator's per-subtask true rate and of its variance. */
  private static final class RateStats {
    double mean;
    double variance;

    RateStats(double first) {
      mean = first;
    }

    void add(double x, double weight) {
      double diff = x - mean;
      mean += weight * diff;
      variance = (1 - weight) * (variance + weight * diff * diff);
    }

    double coefficientOfVariation() {
      return mean > 0 ? Math.sqrt(variance) / mean : 1;
    }
  }

  /** A run of lower recommendations for one operator. */
  private record ScaleDownWindow(long sinceTick, int highestRecommendation) {}

  private final OptimizationSettings settings;
  private final LoadEstimator estimator;
  private final EffectModel effects;
  private final Map<String, RateStats> rates = new HashMap<>();
  private final Map<String, ScaleDownWindow> windows = new HashMap<>();
  private PipelineConfig lastConfig;
  private long configSinceTick;
  private int settledTicks;

  public Ds2Controller(OptimizationSettings settings) {
    this.settings = settings;
    this.estimator = new LoadEstimator(settings.minBusyRatio());
    this.effects =
        new EffectModel(
            settings.targetUtilisation(),
            settings.latencyFixedShare(),
            settings.latencyMaxUtilisation(),
            settings.slotCostWeight());
  }

  /**
   * Takes in one validated snapshot of the pipeline and decides whether to propose a scaling.
   *
   * @param s a validated snapshot of this controller's pipeline
   * @param sla the pipeline's SLA (quoted in the evidence)
   * @param history the agent's earlier proposals
   */
  public Result evaluate(TelemetrySnapshot s, SlaSpec sla, ProposalHistory history) {
    if (s.tick() <= estimator.lastTick()) {
      return Result.quiet("tick " + s.tick() + " already seen");
    }
    Estimate estimate = estimator.update(s);
    if (!s.config().equals(lastConfig)) {
      settledTicks = 0;
      windows.clear();
      lastConfig = s.config();
      configSinceTick = s.tick();
    }
    if (s.job().state() != JobMetrics.JobState.RUNNING) {
      settledTicks = 0;
      windows.clear();
      return Result.quiet("job is " + s.job().state());
    }
    settledTicks++;
    if (settledTicks <= settings.settleTicks()) {
      return Result.quiet("settling, " + settledTicks + " of " + settings.settleTicks() + " ticks");
    }
    if (!estimate.demandUsable() || estimate.operators().stream().noneMatch(OperatorRate::known)) {
      return Result.quiet("metrics unusable: no demand or no operator rate measured");
    }
    for (OperatorRate op : estimate.operators()) {
      if (op.measured()) {
        RateStats stats = rates.get(op.operatorId());
        if (stats == null) {
          rates.put(op.operatorId(), new RateStats(op.ratePerSubtask()));
        } else {
          stats.add(op.ratePerSubtask(), settings.rateSmoothing());
        }
      }
    }
    Plan plan = plan(s, estimate);
    if (history.pending()) {
      return Result.quiet("previous proposal pending");
    }
    if (history.inCooldown(s.tick(), settings.cooldownTicks(), settings.rejectedRetryTicks())) {
      return Result.quiet(
          (history.lastRejected()
                  ? "retry wait after the rejected proposal of tick "
                  : "cooldown since tick ")
              + history.lastProposalTick());
    }
    if (plan.changed().isEmpty()) {
      return Result.quiet("parallelism fits: " + String.join("; ", plan.notes()));
    }
    ScalingDirection direction =
        ScalingDirection.of(s.config(), s.config().withParallelism(plan.target()));
    if (history.backedOff(direction, s.tick(), settings.rollbackBackoffTicks())) {
      return Result.quiet(
          "a scale-"
              + direction.name().toLowerCase(Locale.ROOT)
              + " was rolled back or failed: backing off until tick "
              + history.backoffEnd(direction, settings.rollbackBackoffTicks()));
    }
    for (String op : plan.changed().keySet()) {
      windows.remove(op);
    }
    return new Result(Optional.of(propose(s, sla, estimate, plan)), plan.cause());
  }

  /** Per-operator recommendation of one tick. */
  private record Plan(
      Map<String, Integer> target,
      Map<String, Integer> changed,
      double capacityBefore,
      double capacityAfter,
      double targetSourceRate,
      double confidence,
      List<String> notes,
      String cause) {}

  private Plan plan(TelemetrySnapshot s, Estimate estimate) {
    double catchUp = settings.catchUpSeconds();
    double lagRate = estimate.consumerLag() / catchUp;
    double targetSourceRate = estimate.demand() + lagRate;
    double throughput = s.job().throughputPerSecond();
    double cpu = meanCpuLoad(s);
    // Every operator shares the TaskManagers' cores (slot sharing): the CPU load, scaled to the
    // target rate, is a floor under each operator's utilisation, and the CPU-bound capacity caps
    // the per-thread DS2 capacity.
    boolean cpuUsable =
        cpu > 0
            && throughput > 0
            && throughput >= settings.cpuFloorMinThroughputShare() * estimate.demand();
    double cpuAtTarget = cpuUsable ? cpu * targetSourceRate / throughput : 0;
    double cpuCapacity = cpuUsable ? throughput / cpu : Double.POSITIVE_INFINITY;
    boolean scaleDownAllowed = s.tick() - configSinceTick >= settings.scaleDownIntervalTicks();
    Map<String, Integer> target = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    double ds2Before = Double.POSITIVE_INFINITY;
    double ds2After = Double.POSITIVE_INFINITY;
    Map<String, Double> variation = new HashMap<>();
    Map<String, Integer> requirements = new HashMap<>();
    for (int i = 0; i < estimate.operators().size(); i++) {
      OperatorRate op = estimate.operators().get(i);
      OperatorMetrics metrics = s.operators().get(i);
      int current = op.parallelism();
      RateStats stats = rates.get(op.operatorId());
      if (!op.known() || stats == null) {
        target.put(op.operatorId(), current);
        windows.remove(op.operatorId());
        notes.add(op.operatorId() + ": no rate measured, parallelism " + current + " kept");
        continue;
      }
      double rate = stats.mean;
      double pending = i == 0 ? 0 : metrics.pendingRecords() / catchUp;
      double targetRate = targetSourceRate * op.inputRatio() + pending;
      double utilisation = Math.max(targetRate / (rate * current), cpuAtTarget);
      int required =
          clamp(
              Math.max(
                  EffectModel.ceilTolerant(targetRate / (rate * settings.targetUtilisation())),
                  EffectModel.ceilTolerant(current * cpuAtTarget / settings.targetUtilisation())));
      int next =
          decide(s.tick(), op.operatorId(), current, required, utilisation, scaleDownAllowed);
      target.put(op.operatorId(), next);
      requirements.put(op.operatorId(), required);
      variation.put(op.operatorId(), stats.coefficientOfVariation());
      ds2Before = Math.min(ds2Before, rate * current / op.inputRatio());
      notes.add(
          String.format(
              Locale.ROOT,
              "%s: true rate %.0f/s per subtask, target %.0f/s, utilisation %.2f, required"
                  + " parallelism %d, current %d -> %d",
              op.operatorId(),
              rate,
              targetRate,
              utilisation,
              required,
              current,
              next));
    }
    boolean up = false;
    for (OperatorRate op : estimate.operators()) {
      up |= target.get(op.operatorId()) > op.parallelism();
    }
    Map<String, Integer> changed = new LinkedHashMap<>();
    double worstVariation = 0;
    for (OperatorRate op : estimate.operators()) {
      int current = op.parallelism();
      int next = target.get(op.operatorId());
      if (up && next < current) {
        // One direction per proposal: a scale-up does not carry scale-downs along.
        next = current;
        target.put(op.operatorId(), next);
      }
      Integer required = requirements.get(op.operatorId());
      if (up
          && required != null
          && required > next
          && (required - current) / (double) current >= settings.deadBand()) {
        // The restart of a scale-up is paid anyway: every operator that needs more than the dead
        // band is brought to the target utilisation with it (as the Flink autoscaler rescales
        // every vertex once one leaves the band), not one restart per operator.
        next = required;
        target.put(op.operatorId(), next);
      }
      if (next != current) {
        changed.put(op.operatorId(), next);
        worstVariation = Math.max(worstVariation, variation.getOrDefault(op.operatorId(), 1.0));
      }
      RateStats stats = rates.get(op.operatorId());
      if (op.known() && stats != null) {
        ds2After = Math.min(ds2After, stats.mean * next / op.inputRatio());
      }
    }
    PipelineConfig next = s.config().withParallelism(target);
    double slotRatio =
        s.config().requiredSlots() > 0
            ? next.requiredSlots() / (double) s.config().requiredSlots()
            : 1;
    double capacityBefore = Math.min(ds2Before, cpuCapacity);
    double capacityAfter = Math.min(ds2After, cpuCapacity * slotRatio);
    notes.add(
        String.format(
                Locale.ROOT,
                "TaskManager CPU load %.2f at %.0f/s, %.2f at the target rate; CPU-bound capacity"
                    + " %.0f/s%s",
                cpu,
                throughput,
                cpuAtTarget,
                cpuCapacity,
                scaleDownAllowed
                    ? ""
                    : "; configuration changed at tick " + configSinceTick + ", no scale-down yet")
            + (cpuUsable || cpu <= 0
                ? ""
                : String.format(
                    Locale.ROOT,
                    "; CPU load not used: throughput under %.0f %% of the demand",
                    settings.cpuFloorMinThroughputShare() * 100)));
    String cause =
        String.format(
            Locale.ROOT,
            "DS2 %s: demand %.0f/s plus backlog catch-up %.0f/s against capacity %.0f/s, outside"
                + " the utilisation band [%.2f, %.2f] around target %.2f",
            up ? "scale-up" : "scale-down",
            estimate.demand(),
            lagRate,
            capacityBefore,
            settings.scaleDownUtilisation(),
            settings.scaleUpUtilisation(),
            settings.targetUtilisation());
    return new Plan(
        target,
        changed,
        capacityBefore,
        capacityAfter,
        targetSourceRate,
        Math.max(0, Math.min(1, 1 - worstVariation)),
        notes,
        cause);
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

  /**
   * Applies the hysteresis band, the dead band, the immediate scale-up and the held-back, bounded,
   * spaced scale-down.
   */
  private int decide(
      long tick,
      String operatorId,
      int current,
      int required,
      double utilisation,
      boolean scaleDownAllowed) {
    double relative = Math.abs(required - current) / (double) current;
    if (utilisation > settings.scaleUpUtilisation()
        && required > current
        && relative >= settings.deadBand()) {
      windows.remove(operatorId);
      return required;
    }
    if (utilisation >= settings.scaleDownUtilisation()
        || required >= current
        || relative < settings.deadBand()) {
      windows.remove(operatorId);
      return clamp(current);
    }
    ScaleDownWindow window = windows.get(operatorId);
    window =
        window == null
            ? new ScaleDownWindow(tick, required)
            : new ScaleDownWindow(
                window.sinceTick(), Math.max(window.highestRecommendation(), required));
    windows.put(operatorId, window);
    if (!scaleDownAllowed || tick - window.sinceTick() < settings.scaleDownStabilisationTicks()) {
      return clamp(current);
    }
    int floor = EffectModel.ceilTolerant(current * (1 - settings.maxScaleDownStep()));
    return clamp(Math.min(current, Math.max(window.highestRecommendation(), floor)));
  }

  private int clamp(int parallelism) {
    return Math.max(settings.minParallelism(), Math.min(settings.maxParallelism(), parallelism));
  }

  private Proposal propose(TelemetrySnapshot s, SlaSpec sla, Estimate estimate, Plan plan) {
    PipelineConfig current = s.config();
    PipelineConfig next = current.withParallelism(plan.target());
    int slotsPerTm = current.slotsPerTaskManager();
    next = next.withTaskManagers((next.requiredSlots() + slotsPerTm - 1) / slotsPerTm);

    double demand = estimate.demand();
    double currentThroughput = s.job().throughputPerSecond();
    // What the job will consume: the demand plus the catch-up of its backlog, up to the new
    // capacity. Comparing the demand alone with a job that is catching up (consuming more than the
    // demand) would predict a throughput drop for every scale-up during a catch-up.
    double predictedThroughput = Math.min(plan.targetSourceRate(), plan.capacityAfter());
    double throughputChange =
        currentThroughput > 0 ? predictedThroughput / currentThroughput - 1 : 0;
    double latencyChange =
        effects.latencyChange(demand, plan.capacityBefore(), plan.capacityAfter());
    double netBenefit =
        effects.netBenefit(
            plan.targetSourceRate(),
            plan.capacityBefore(),
            plan.capacityAfter(),
            current.availableSlots(),
            next.availableSlots());
    ExpectedEffect effect =
        new ExpectedEffect(
            throughputChange,
            latencyChange,
            predictedThroughput,
            s.job().latencyP99Ms() * (1 + latencyChange),
            netBenefit);

    List<String> evidence = new ArrayList<>();
    evidence.add(
        String.format(
            Locale.ROOT,
            "demand %.0f/s, consumer lag %.0f records (catch-up in %.0f s), SLA target %.0f/s",
            demand,
            estimate.consumerLag(),
            settings.catchUpSeconds(),
            sla.throughputTarget()));
    evidence.add(
        String.format(
            Locale.ROOT,
            "capacity %.0f/s -> %.0f/s, TaskManagers %d -> %d",
            plan.capacityBefore(),
            plan.capacityAfter(),
            current.taskManagers(),
            next.taskManagers()));
    evidence.addAll(plan.notes());
    return new Proposal(
        proposalId(s.pipelineId(), s.tick(), 0),
        s.pipelineId(),
        AgentKind.OPTIMIZATION,
        PriorityClass.OPTIMIZATION,
        new Action.Reconfigure(next, plan.cause()),
        plan.confidence(),
        effect,
        evidence,
        plan.cause(),
        s.tick(),
        s.tick() + settings.proposalExpiryTicks());
  }

  /** Proposal id {@code optimization-<pipeline>-<tick>-<n>}. */
  public static String proposalId(String pipelineId, long tick, int n) {
    return AgentKind.OPTIMIZATION.entityTypeName() + "-" + pipelineId + "-" + tick + "-" + n;
  }
}
