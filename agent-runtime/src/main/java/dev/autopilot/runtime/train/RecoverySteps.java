package dev.autopilot.runtime.train;

import java.util.List;

/** The steps of {@code train recovery}, in order. Each helper-owned step registers here. */
final class RecoverySteps {
  private RecoverySteps() {}

  static List<TrainingStep> all() {
    return List.of(new RecoveryPolicyTrainingStep());
  }
}
