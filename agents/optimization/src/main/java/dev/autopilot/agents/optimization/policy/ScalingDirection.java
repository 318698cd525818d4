package dev.autopilot.agents.optimization.policy;

import dev.autopilot.api.PipelineConfig;
import java.util.Map;

/** The direction of a scaling proposal, for the back-off after a failed one. */
public enum ScalingDirection {
  /** Some operator's parallelism or the TaskManager count grows. */
  UP,
  /** Nothing grows (something shrinks). */
  DOWN;

  /**
   * The direction of a change from {@code before} to {@code after}: {@link #UP} when any operator's
   * parallelism or the TaskManager count grows, else {@link #DOWN}.
   */
  public static ScalingDirection of(PipelineConfig before, PipelineConfig after) {
    if (after.taskManagers() > before.taskManagers()) {
      return UP;
    }
    for (Map.Entry<String, Integer> e : after.parallelism().entrySet()) {
      Integer was = before.parallelism().get(e.getKey());
      if (was != null && e.getValue() > was) {
        return UP;
      }
    }
    return DOWN;
  }
}
