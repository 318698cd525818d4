package dev.autopilot.runtime.bench.baseline;

import dev.autopilot.api.Action;
import dev.autopilot.api.Metric;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.runtime.bench.FaultOracle;
import dev.autopilot.runtime.bench.baseline.BaselineStep.FaultEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
 * <p><b>Faults.</b> Its alerting detects a fault {@link RuleBasedSettings#detectionDelayTicks()}
 * after it starts (4.5 minutes, an automatic detection); the recovery then waits {@link
 * RuleBasedSettings#approvalDelayTicks()} for a human's approval (5 minutes by default), after
 * which it applies the correct fix, the first of {@link FaultOracle.ActiveFault#fixes()}. A fault
 * that is no longer active when its time comes is left alone; each fault is fixed at most once.
 *
 * <p>One instance per pipeline; event time only.
 */
public final class RuleBasedController implements BaselineController {

  private final RuleBasedSettings settings;
  private final FaultOracle oracle;

  private Long lastTick;
  private long hotTicks;
  private long coldTicks;
  private Long lastScaleTick;
  private final Map<String, Long> detectedAt = new HashMap<>();
  private final Set<String> fixed = new HashSet<>();

  public RuleBasedController(RuleBasedSettings settings, FaultOracle oracle) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.oracle = Objects.requireNonNull(oracle, "oracle");
  }

  @Override
  public BaselineStep onTick(TelemetrySnapshot snapshot) {
    long tick = snapshot.tick();
    if (lastTick != null && tick <= lastTick) {
      return BaselineStep.idle();
    }
    List<Action> actions = new ArrayList<>();
    List<FaultEvent> events = new ArrayList<>();
    scaling(snapshot, tick).ifPresent(actions::add);
    lastTick = tick;

    for (FaultOracle.ActiveFault f : oracle.activeFaults(snapshot.pipelineId(), tick)) {
      Long detected = detectedAt.get(f.id());
      if (detected == null && tick >= f.startTick() + settings.detectionDelayTicks()) {
        detected = tick;
        detectedAt.put(f.id(), tick);
        events.add(new FaultEvent(f.id(), FaultEvent.Kind.DETECTED, tick, false, null));
      }
      if (detected != null
          && !fixed.contains(f.id())
          && tick >= detected + settings.approvalDelayTicks()
          && !f.fixes().isEmpty()) {
        fixed.add(f.id());
        Action fix = f.fixes().get(0);
        actions.add(fix);
        events.add(new FaultEvent(f.id(), FaultEvent.Kind.FIX_APPLIED, tick, true, fix.describe()));
      }
    }
    return new BaselineStep(actions, events);
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
