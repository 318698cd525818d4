package dev.autopilot.runtime.train;

import java.util.List;

/** The steps of {@code train optimization}, in order. */
final class OptimizationSteps {
  private OptimizationSteps() {}

  /**
   * @param iterations PPO iterations ({@code --iterations}), or null for the configured default
   */
  static List<TrainingStep> all(Integer iterations) {
    return List.of(new PerformanceModelTrainingStep(), new PpoTrainingStep(iterations));
  }
}
