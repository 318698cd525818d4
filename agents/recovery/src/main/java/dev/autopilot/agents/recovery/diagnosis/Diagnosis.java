package dev.autopilot.agents.recovery.diagnosis;

import dev.autopilot.api.FailureMode;
import java.util.List;
import java.util.Locale;

/**
 * The root-cause network's answer for one tick: the most probable causes with their posteriors, the
 * posterior of "no fault", and the evidence that drove the top cause (for the audit explanation).
 *
 * @param top the best causes, most probable first (at most three)
 * @param healthy posterior probability that no fault is present
 * @param drivers the observations that moved the top cause most, strongest first
 */
public record Diagnosis(List<RankedCause> top, double healthy, List<Driver> drivers) {

  public Diagnosis {
    top = List.copyOf(top);
    drivers = List.copyOf(drivers);
  }

  /**
   * One candidate cause.
   *
   * @param mode the failure mode
   * @param posterior P(mode | evidence)
   */
  public record RankedCause(FailureMode mode, double posterior) {
    /** "MODE (0.82)". */
    public String label() {
      return String.format(Locale.ROOT, "%s (%.2f)", mode, posterior);
    }
  }

  /**
   * One observation and how much it favoured the top cause: the change in the log-odds of the top
   * cause when the observation is withdrawn from the evidence (positive: it argued for the cause).
   *
   * @param feature the evidence variable
   * @param state its observed state
   * @param logOdds log-odds contributed for the top cause
   */
  public record Driver(String feature, String state, double logOdds) {
    public String label() {
      return String.format(Locale.ROOT, "%s=%s (%+.1f)", feature, state, logOdds);
    }
  }

  /** The best cause, or null when there is none. */
  public RankedCause best() {
    return top.isEmpty() ? null : top.get(0);
  }

  /** Whether {@code mode} is among the top {@code k}. */
  public boolean inTop(FailureMode mode, int k) {
    for (int i = 0; i < Math.min(k, top.size()); i++) {
      if (top.get(i).mode() == mode) {
        return true;
      }
    }
    return false;
  }
}
