package dev.autopilot.agents.recovery.learn;

/**
 * How a recovery chooser did on a set of injected faults.
 *
 * @param faults faults injected
 * @param autoRecoveryRate share of faults an action of the agent repaired within the bound
 * @param mttrSeconds mean time from injection to repair over the auto-recovered faults, seconds
 * @param failedAttempts actions that did not repair their fault, in total
 */
public record PolicyMetrics(
    int faults, double autoRecoveryRate, double mttrSeconds, int failedAttempts) {
  public PolicyMetrics {
    if (faults < 0) {
      throw new IllegalArgumentException("faults must be >= 0, was " + faults);
    }
    if (!(autoRecoveryRate >= 0 && autoRecoveryRate <= 1)) {
      throw new IllegalArgumentException(
          "autoRecoveryRate must be in [0, 1], was " + autoRecoveryRate);
    }
    if (!(mttrSeconds >= 0)) {
      throw new IllegalArgumentException("mttrSeconds must be >= 0, was " + mttrSeconds);
    }
    if (failedAttempts < 0) {
      throw new IllegalArgumentException("failedAttempts must be >= 0, was " + failedAttempts);
    }
  }

  /** Failed attempts per fault (0 without faults). */
  public double failedAttemptsPerFault() {
    return faults == 0 ? 0 : failedAttempts / (double) faults;
  }

  /** For the bundle manifest. */
  public java.util.Map<String, Object> asMap() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("faults", faults);
    m.put("autoRecoveryRate", autoRecoveryRate);
    m.put("mttrSeconds", mttrSeconds);
    m.put("failedAttempts", failedAttempts);
    return m;
  }
}
