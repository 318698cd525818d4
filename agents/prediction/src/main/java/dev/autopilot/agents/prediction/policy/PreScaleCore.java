package dev.autopilot.agents.prediction.policy;

import dev.autopilot.agents.prediction.forecast.DemandForecaster;
import dev.autopilot.api.Action;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.ExpectedEffect;
import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.Metric;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.PriorityClass;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.estimate.EffectModel;
import dev.autopilot.api.estimate.LoadEstimator;
import dev.autopilot.api.estimate.LoadEstimator.Estimate;
import dev.autopilot.api.estimate.LoadEstimator.OperatorRate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What both pre-scale policies ({@link PreScalePolicy}, {@link LearnedPreScalePolicy}) share: the
 * load estimate of each snapshot, the settling after a configuration change, the hold-back rules
 * (pending, cooldown, back-off), the pipeline's capacity, the sizing of every operator for a
 * projected demand and the proposal they make of it. They differ only in when they trigger and how
 * they word their evidence.
 *
 * <p>Capacity: the smaller of the per-thread estimate and the CPU-bound one (throughput over the
 * TaskManagers' CPU load). Sizing: each operator gets {@code ceil(projected · inputRatio /
 * (ratePerSubtask · targetUtilisation))}, and enough for the CPU load at the projection, never
 * below its current parallelism, clamped to {@code [minParallelism, maxParallelism]}; a {@link
 * Action.Rescale} when the TaskManagers offer the slots, else a {@link Action.Reconfigure} with
 * {@code ceil(slots / slotsPerTaskManager)} TaskManagers.
 *
 * <p>Working memory only (not journaled); not thread-safe, one instance per policy.
 */
final class PreScaleCore {

  /**
   * The outcome of {@link #admit}: the snapshot's load estimate, and why the policy must hold back
   * at this tick (null when it may decide).
   */
  record Admission(Estimate estimate, String holdReason) {
    boolean held() {
      return holdReason != null;
    }
  }

  /**
   * A pre-scale sized for a projected demand.
   *
   * @param action the rescale or reconfiguration
   * @param next the target configuration
   * @param capacity the capacity now, events/s
   * @param newCapacity the capacity of the target configuration, events/s
   * @param cpu the TaskManagers' mean CPU load used, 0 when unusable
   * @param effect the expected effect
   * @param lines one line per changed operator, for the evidence
   */
  record Sizing(
      Action action,
      PipelineConfig next,
      double capacity,
      double newCapacity,
      double cpu,
      ExpectedEffect effect,
      List<String> lines) {}

  private final PredictionSettings settings;
  private final LoadEstimator estimator;
  private final EffectModel effects;
  private PipelineConfig lastConfig;
  private int settledTicks;

  PreScaleCore(PredictionSettings settings) {
    this.settings = settings;
    this.estimator = new LoadEstimator(settings.minBusyRatio());
    this.effects =
        new EffectModel(
            settings.targetUtilisation(),
            settings.latencyFixedShare(),
            settings.latencyMaxUtilisation(),
            settings.slotCostWeight());
  }

  /** Whether the tick was already taken in (a repeated or older snapshot). */
  boolean seen(long tick) {
    return tick <= estimator.lastTick();
  }

  /**
   * Takes in one snapshot (not {@link #seen}): updates the load estimate, feeds the demand to the
   * forecaster once the job runs a settled configuration, and applies the hold-back rules.
   */
  Admission admit(TelemetrySnapshot s, ProposalHistory history, DemandForecaster demand) {
    Estimate estimate = estimator.update(s);
    if (!s.config().equals(lastConfig)) {
      lastConfig = s.config();
      settledTicks = 0;
    }
    if (s.job().state() != JobMetrics.JobState.RUNNING) {
      settledTicks = 0;
      return new Admission(estimate, "job is " + s.job().state());
    }
    settledTicks++;
    if (settledTicks <= settings.settleTicks()) {
      return new Admission(
          estimate,
          "settling, "
              + settledTicks
              + " of "
              + settings.settleTicks()
              + " ticks: demand not observed");
    }
    if (estimate.demandUsable()) {
      demand.observe(s.tick(), estimate.demand());
    }
    if (history.pending()) {
      return new Admission(estimate, "previous proposal pending");
    }
    if (history.inCooldown(s.tick(), settings.cooldownTicks())) {
      return new Admission(estimate, "cooldown since tick " + history.lastProposalTick());
    }
    if (history.backedOff(s.tick(), settings.rollbackBackoffTicks())) {
      return new Admission(
          estimate,
          "a pre-scale was rolled back or failed at tick "
              + history.lastFailedTick()
              + ": backing off until tick "
              + (history.lastFailedTick() + settings.rollbackBackoffTicks()));
    }
    return new Admission(estimate, null);
  }

  /**
   * The pipeline's capacity: the smaller of the per-thread estimate and the CPU-bound one
   * (throughput over the TaskManagers' mean CPU load; every operator shares their cores).
   */
  double capacity(TelemetrySnapshot s, Estimate estimate) {
    double cpu = cpuLoad(s, estimate);
    double cpuCapacity = cpu > 0 ? s.job().throughputPerSecond() / cpu : Double.POSITIVE_INFINITY;
    return Math.min(estimate.capacity(), cpuCapacity);
  }

  /**
   * The TaskManagers' mean CPU load when it measures the cost of the processed records (the job
   * processes at least {@code cpuFloorMinThroughputShare} of the demand), else 0.
   */
  private double cpuLoad(TelemetrySnapshot s, Estimate estimate) {
    double cpu = s.mean(Metric.CPU_LOAD);
    double throughput = s.job().throughputPerSecond();
    boolean usable =
        cpu > 0
            && throughput > 0
            && throughput >= settings.cpuFloorMinThroughputShare() * estimate.demand();
    return usable ? cpu : 0;
  }

  /**
   * Sizes every operator for {@code projected} events/s; empty when every operator already is at
   * its maximum (or needs no more).
   */
  Optional<Sizing> size(TelemetrySnapshot s, Estimate estimate, double projected) {
    PipelineConfig current = s.config();
    Map<String, Integer> target = new LinkedHashMap<>();
    Map<String, Integer> changed = new LinkedHashMap<>();
    double newCapacity = Double.POSITIVE_INFINITY;
    List<String> lines = new ArrayList<>();
    double cpu = cpuLoad(s, estimate);
    double throughput = s.job().throughputPerSecond();
    double cpuAtProjected = cpu > 0 && throughput > 0 ? cpu * projected / throughput : 0;
    double capacity = capacity(s, estimate);
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
        lines.add(
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
      return Optional.empty();
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
    if (cpu > 0 && throughput > 0 && current.requiredSlots() > 0) {
      // The CPU-bound capacity grows with the slots (TaskManagers) of the new configuration.
      newCapacity =
          Math.min(
              newCapacity,
              throughput / cpu * next.requiredSlots() / (double) current.requiredSlots());
    }
    double predictedThroughput = Math.min(projected, newCapacity);
    double throughputChange = throughput > 0 ? predictedThroughput / throughput - 1 : 0;
    double latencyChange = effects.latencyChange(projected, capacity, newCapacity);
    double predictedLatency = s.job().latencyP99Ms() * (1 + latencyChange);
    double netBenefit =
        effects.netBenefit(
            projected, capacity, newCapacity, current.availableSlots(), next.availableSlots());
    ExpectedEffect effect =
        new ExpectedEffect(
            throughputChange, latencyChange, predictedThroughput, predictedLatency, netBenefit);
    return Optional.of(
        new Sizing(action, next, capacity, newCapacity, cpu, effect, List.copyOf(lines)));
  }

  /**
   * The evidence lines both policies give about capacity and sizing: the capacity and the trigger
   * level, the current demand against the SLA, the new capacity, then one line per operator.
   */
  List<String> capacityEvidence(
      Sizing sizing, Estimate estimate, SlaSpec sla, double trigger) {
    List<String> evidence = new ArrayList<>();
    evidence.add(
        String.format(
            Locale.ROOT,
            "capacity %.0f/s (per-thread bottleneck %s, TaskManager CPU load %.2f), trigger at"
                + " %.0f%% = %.0f/s",
            sizing.capacity(),
            estimate.bottleneck(),
            sizing.cpu(),
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
            sizing.newCapacity(),
            settings.targetUtilisation(),
            sizing.next().taskManagers()));
    evidence.addAll(sizing.lines());
    return evidence;
  }

  /** The SLA-protection proposal of a sizing, expiring after the lead time. */
  Proposal proposal(
      TelemetrySnapshot s, Sizing sizing, double confidence, List<String> evidence, String cause) {
    return new Proposal(
        PreScalePolicy.proposalId(s.pipelineId(), s.tick(), 0),
        s.pipelineId(),
        AgentKind.PREDICTION,
        PriorityClass.SLA_PROTECTION,
        sizing.action(),
        confidence,
        sizing.effect(),
        evidence,
        cause,
        s.tick(),
        s.tick() + settings.leadTimeTicks());
  }
}
