package dev.autopilot.runtime.train;

import java.util.List;

/** The steps of {@code train prediction}, in order. */
final class PredictionSteps {
  private PredictionSteps() {}

  static List<TrainingStep> all() {
    return List.of(new ViolationTrainingStep());
  }
}
