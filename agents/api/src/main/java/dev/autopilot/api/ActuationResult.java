package dev.autopilot.api;

import dev.autopilot.persistence.JsonSerializable;

/**
 * What the platform did with an apply or recover call.
 *
 * @param outcome what happened
 * @param detail human-readable detail
 * @param settleTicks ticks until the action is expected to have taken effect (restart, pod start)
 */
public record ActuationResult(Outcome outcome, String detail, int settleTicks)
    implements JsonSerializable {

  /** Outcome of an actuation. */
  public enum Outcome {
    /** The platform acted. */
    APPLIED,
    /** The desired state already held: nothing to do. */
    UNCHANGED,
    /** The same action id was already executed: acknowledged, not repeated. */
    DUPLICATE
  }

  public static ActuationResult applied(String detail, int settleTicks) {
    return new ActuationResult(Outcome.APPLIED, detail, settleTicks);
  }

  public static ActuationResult unchanged(String detail) {
    return new ActuationResult(Outcome.UNCHANGED, detail, 0);
  }

  public static ActuationResult duplicate(String detail) {
    return new ActuationResult(Outcome.DUPLICATE, detail, 0);
  }
}
