package dev.autopilot.agents.meta.policy;

import dev.autopilot.api.Action;
import dev.autopilot.api.PipelineConfig;

/**
 * Risk rating of an action, used by the approval mode. L3 recovery and large rescales are high, L2
 * recovery and configuration changes that restart the job are medium, the rest is low.
 */
public enum Risk {
  LOW,
  MEDIUM,
  HIGH;

  /** Whether this risk is at or above {@code threshold}. */
  public boolean atLeast(Risk threshold) {
    return compareTo(threshold) >= 0;
  }

  /**
   * Rates an action against the running configuration.
   *
   * @param action the action
   * @param current the running configuration
   * @param settings the thresholds
   */
  public static Risk of(Action action, PipelineConfig current, RiskSettings settings) {
    if (action instanceof Action.RecoveryAction r) {
      return switch (r.level()) {
        case L1 -> LOW;
        case L2 -> MEDIUM;
        case L3 -> HIGH;
      };
    }
    PipelineConfig target = action.targetConfig(current);
    double change = largestRelativeChange(current, target);
    if (change > settings.largeChangeFraction()) {
      return HIGH;
    }
    boolean restarts =
        !target.parallelism().equals(current.parallelism())
            || target.taskManagers() != current.taskManagers()
            || target.taskManagerCpu() != current.taskManagerCpu()
            || target.taskManagerMemoryGb() != current.taskManagerMemoryGb();
    return restarts ? MEDIUM : LOW;
  }

  /**
   * Largest relative change over the per-operator parallelism, the TaskManager count and the
   * TaskManager resources ({@code |target - current| / current}).
   */
  static double largestRelativeChange(PipelineConfig current, PipelineConfig target) {
    double max = 0;
    for (var e : target.parallelism().entrySet()) {
      Integer before = current.parallelism().get(e.getKey());
      if (before != null && before > 0) {
        max = Math.max(max, Math.abs(e.getValue() - before) / (double) before);
      }
    }
    max = Math.max(max, relative(current.taskManagers(), target.taskManagers()));
    max = Math.max(max, relative(current.taskManagerCpu(), target.taskManagerCpu()));
    return Math.max(max, relative(current.taskManagerMemoryGb(), target.taskManagerMemoryGb()));
  }

  private static double relative(double before, double after) {
    return before > 0 ? Math.abs(after - before) / before : 0;
  }
}
