package dev.autopilot.runtime.bench.baseline;

import dev.autopilot.api.Action;
import dev.autopilot.api.Metric;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.runtime.bench.FaultOracle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The paper's rule-based baseline.
 *
 * <p><b>Scaling.</b> Each tick it reads the mean CPU load over the TaskManagers ({@link
 * Metric#CPU_LOAD}, {@link TelemetrySnapshot#mean}). A tick is hot when it is above {@link
 * RuleBasedSettings#scaleUpCpu()} (0.8) and cold when below {@link
 * RuleBasedSettings#scaleDownCpu()} (0.3). After {@link RuleBasedSettings#scaleUpTicks()}
 * consecutive hot ticks (5 minutes) it adds {@link RuleBasedSettings#step()} (10) to the
 * parallelism of every operator, capped at {@link RuleBasedSettings#maxParallelism()}; after {@link
 * RuleBasedSettings#scaleDownTicks()} consecutive cold ticks (10 minutes) it removes 10, never
 * below {@link RuleBasedSettings#minParallelism()} (4). The TaskManager count follows the slots:
 * {@code ceil(max parallelism / slots per TaskManager)} (a scale-up never lowers it). A change is
 * one {@link Action.Reconfigure}; none is emitted when the capped configuration equals the current
 * one. After a change it waits {@link RuleBasedSettings#cooldownTicks()} before the next, and both
 * counters restart from zero. A gap in the tick sequence also restarts them (a condition "for 5
 * minutes" needs 5 minutes of observations).
 *
 * <p><b>Faults.</b> The {@link AlertRecovery} it shares with the other autoscaler baselines: its
 * alerting detects a fault {@link RuleBasedSettings#detectionDelayTicks()} after it starts (4.5
 * minutes, an automatic detection); the recovery then waits {@link
 * RuleBasedSettings#approvalDelayTicks()} for a human's approval (5 minutes by default), after
 * which it applies the correct fix, the first of {@link FaultOracle.ActiveFault#fixes()}. A fault
 * that is no longer active when its time comes is left alone; each fault is fixed at most once.
 *
 * <p>One instance per pipeline; event time only.
 */
public final class RuleBasedController implements BaselineController {

  private final RuleBasedSettings settings;
  private final AlertRecovery recovery;

  private Long lastTick;
  private long hotTicks;
  private long coldTicks;
  private Long lastScaleTick;

  public RuleBasedController(RuleBasedSettings settings, FaultOracle oracle) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.recovery = AlertRecovery.of(settings, Objects.requireNonNull(oracle, "oracle"));
  }

  @Override
  public BaselineStep onTick(TelemetrySnapshot snapshot) {
    long tick = snapshot.tick();
    if (lastTick != null && tick <= lastTick) {
      return BaselineStep.idle();
    }
    List<Action> scaling = new ArrayList<>();
    scaling(snapshot, tick).ifPresent(scaling::add);
    lastTick = tick;
    return recovery.withScaling(snapshot.pipelineId(), tick, scaling);
  }

  private Optional<Action> scaling(TelemetrySnapshot snapshot, long tick) {
    if (lastTick != null && tick != lastTick + 1) {
      hotTicks = 0;
      coldTicks = 0;
    }
    double cpu = snapshot.mean(Metric.CPU_LOAD);
    hotTicks = cpu > settings.scaleUpCpu() ? hotTicks + 1 : 0;
    coldTicks = cpu < settings.scaleDownCpu() ? coldTicks + 1 : 0;
    boolean coolingDown = lastScaleTick != null && tick - lastScaleTick < settings.cooldownTicks();
    if (coolingDown) {
      return Optional.empty();
    }
    PipelineConfig current = snapshot.config();
    PipelineConfig target = null;
    String reason = null;
    if (hotTicks >= settings.scaleUpTicks()) {
      target = scaled(current, settings.step());
      reason =
          "rule-based scale-up: mean CPU > "
              + settings.scaleUpCpu()
              + " for "
              + hotTicks
              + " ticks";
    } else if (coldTicks >= settings.scaleDownTicks()) {
      target = scaled(current, -settings.step());
      reason =
          "rule-based scale-down: mean CPU < "
              + settings.scaleDownCpu()
              + " for "
              + coldTicks
              + " ticks";
    }
    if (target == null || target.equals(current)) {
      return Optional.empty();
    }
    lastScaleTick = tick;
    hotTicks = 0;
    coldTicks = 0;
    return Optional.of(new Action.Reconfigure(target, reason));
  }

  /**
   * The configuration with {@code delta} added to every operator's parallelism, clamped to [min,
   * max], and the TaskManagers its slots need (a scale-up keeps any extra TaskManagers).
   */
  PipelineConfig scaled(PipelineConfig current, int delta) {
    Map<String, Integer> p = new LinkedHashMap<>();
    current
        .parallelism()
        .forEach(
            (op, par) ->
                p.put(
                    op,
                    Math.max(
                        settings.minParallelism(),
                        Math.min(settings.maxParallelism(), par + delta))));
    PipelineConfig withP = current.withParallelism(p);
    int slots = current.slotsPerTaskManager();
    int needed = Math.max(1, (withP.requiredSlots() + slots - 1) / slots);
    int tms = delta > 0 ? Math.max(current.taskManagers(), needed) : needed;
    return withP.withTaskManagers(tms);
  }
}
