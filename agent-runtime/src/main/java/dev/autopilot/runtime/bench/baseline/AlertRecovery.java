package dev.autopilot.runtime.bench.baseline;

import dev.autopilot.api.Action;
import dev.autopilot.runtime.bench.FaultOracle;
import dev.autopilot.runtime.bench.baseline.BaselineStep.FaultEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The recovery of the paper's rule-based baseline, shared by every autoscaler baseline that does
 * not recover failures by itself ({@code rule-based}, {@code ds2}, {@code fko}): an alert → a human
 * approval → the correct fix.
 *
 * <p>Its alerting detects a fault {@code detectionDelayTicks} after it starts (an automatic
 * detection); the recovery then waits {@code approvalDelayTicks} for a human's approval, after
 * which it applies the correct fix, the first of {@link FaultOracle.ActiveFault#fixes()} (a fix
 * applied by a human, so not an automatic recovery). A fault that is no longer active when its time
 * comes is left alone; each fault is detected once and fixed at most once, so calling it again for
 * a tick already seen adds nothing.
 *
 * <p>One instance per pipeline; event time only.
 */
public final class AlertRecovery {

  private final long detectionDelayTicks;
  private final long approvalDelayTicks;
  private final FaultOracle oracle;
  private final Map<String, Long> detectedAt = new HashMap<>();
  private final Set<String> fixed = new HashSet<>();

  /**
   * @param detectionDelayTicks ticks from a fault's start to its alert
   * @param approvalDelayTicks ticks from the alert to the approved fix
   * @param oracle ground truth of the active faults (the alert and the runbook)
   */
  public AlertRecovery(long detectionDelayTicks, long approvalDelayTicks, FaultOracle oracle) {
    if (detectionDelayTicks < 0 || approvalDelayTicks < 0) {
      throw new IllegalArgumentException(
          "detection and approval delays must be >= 0, were "
              + detectionDelayTicks
              + " / "
              + approvalDelayTicks);
    }
    this.detectionDelayTicks = detectionDelayTicks;
    this.approvalDelayTicks = approvalDelayTicks;
    this.oracle = Objects.requireNonNull(oracle, "oracle");
  }

  /** The rule-based baseline's recovery timing. */
  public static AlertRecovery of(RuleBasedSettings settings, FaultOracle oracle) {
    return new AlertRecovery(settings.detectionDelayTicks(), settings.approvalDelayTicks(), oracle);
  }

  /** The alerts and approved fixes due at {@code tick} on a pipeline: fixes only as actions. */
  public BaselineStep onTick(String pipelineId, long tick) {
    List<Action> actions = new ArrayList<>();
    List<FaultEvent> events = new ArrayList<>();
    for (FaultOracle.ActiveFault f : oracle.activeFaults(pipelineId, tick)) {
      Long detected = detectedAt.get(f.id());
      if (detected == null && tick >= f.startTick() + detectionDelayTicks) {
        detected = tick;
        detectedAt.put(f.id(), tick);
        events.add(new FaultEvent(f.id(), FaultEvent.Kind.DETECTED, tick, false, null));
      }
      if (detected != null
          && !fixed.contains(f.id())
          && tick >= detected + approvalDelayTicks
          && !f.fixes().isEmpty()) {
        fixed.add(f.id());
        Action fix = f.fixes().get(0);
        actions.add(fix);
        events.add(new FaultEvent(f.id(), FaultEvent.Kind.FIX_APPLIED, tick, true, fix.describe()));
      }
    }
    return new BaselineStep(actions, events);
  }

  /**
   * A baseline's step: its own scaling action (if any) first, then the recovery due at {@code
   * tick}.
   */
  public BaselineStep withScaling(String pipelineId, long tick, List<Action> scaling) {
    BaselineStep recovery = onTick(pipelineId, tick);
    if (scaling.isEmpty()) {
      return recovery;
    }
    List<Action> actions = new ArrayList<>(scaling);
    actions.addAll(recovery.actions());
    return new BaselineStep(actions, recovery.faultEvents());
  }
}
