package dev.autopilot.runtime.train;

import java.util.List;

/** The steps of {@code train recovery}, in order. */
final class RecoverySteps {
  private RecoverySteps() {}

  static List<TrainingStep> all() {
    return List.of(new DetectorTrainingStep(), new DiagnosisTrainingStep());
  }
}
