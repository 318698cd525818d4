package dev.autopilot.agents.recovery.learn;

import dev.autopilot.agents.recovery.policy.Severity;
import dev.autopilot.api.FailureMode;
import java.util.Objects;

/**
 * The state the learned recovery policy decides on.
 *
 * @param cause the diagnosed cause (possibly wrong)
 * @param stage the escalation stage, 0 for the first action of an incident
 * @param severity how badly the incident hurts now
 */
public record RecoveryState(FailureMode cause, int stage, Severity severity) {
  public RecoveryState {
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(severity, "severity");
    if (stage < 0) {
      throw new IllegalArgumentException("stage must be >= 0, was " + stage);
    }
  }

  /** The state one stage further, at a (new) severity. */
  public RecoveryState next(Severity now) {
    return new RecoveryState(cause, stage + 1, now);
  }

  @Override
  public String toString() {
    return cause + "/" + stage + "/" + severity;
  }
}
