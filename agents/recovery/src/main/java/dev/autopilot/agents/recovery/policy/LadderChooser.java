package dev.autopilot.agents.recovery.policy;

import dev.autopilot.api.FailureMode;
import java.util.Optional;

/**
 * The fixed recovery ladder as a {@link RecoveryActionChooser}: stage = rung index, the severity
 * and the tried actions are ignored, inapplicable rungs are skipped. Reproduces {@link
 * RecoveryLadder#next} exactly.
 */
public final class LadderChooser implements RecoveryActionChooser {
  /** Name of this chooser. */
  public static final String NAME = "ladder";

  private final RecoveryLadder ladder;

  public LadderChooser(RecoveryLadder ladder) {
    this.ladder = ladder;
  }

  public RecoveryLadder ladder() {
    return ladder;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int stages(FailureMode cause) {
    return ladder.size(cause);
  }

  @Override
  public Optional<RecoveryLadder.Rung> choose(
      FailureMode cause,
      int stage,
      Severity severity,
      RecoveryLadder.Context ctx,
      java.util.List<dev.autopilot.api.Action> tried) {
    return ladder.next(cause, stage, ctx);
  }
}
