package dev.autopilot.runtime.bench.baseline;

import dev.autopilot.api.Action;
import java.util.List;

/**
 * What a baseline decided at one tick.
 *
 * @param actions actions to apply now, in order
 * @param faultEvents what the controller learnt or did about faults this tick (for the detected
 *     tick of {@code FaultRecord} and the trace)
 */
public record BaselineStep(List<Action> actions, List<FaultEvent> faultEvents) {

  public BaselineStep {
    actions = List.copyOf(actions);
    faultEvents = List.copyOf(faultEvents);
  }

  /** Nothing to do. */
  public static BaselineStep idle() {
    return new BaselineStep(List.of(), List.of());
  }

  public boolean isIdle() {
    return actions.isEmpty() && faultEvents.isEmpty();
  }

  /**
   * A fault event of a baseline.
   *
   * @param faultId the fault
   * @param kind detected, or fix applied
   * @param tick the tick
   * @param byHuman whether a human did it (the static operator on call, the rule-based approval); a
   *     fix applied by a human does not count as an automatic recovery
   * @param action the fix, described; null for a detection
   */
  public record FaultEvent(String faultId, Kind kind, long tick, boolean byHuman, String action) {

    /** What happened. */
    public enum Kind {
      /** The controller now knows about the fault (alert fired, or the human noticed). */
      DETECTED,
      /** The controller applied its fix for the fault (among {@link BaselineStep#actions()}). */
      FIX_APPLIED
    }
  }
}
