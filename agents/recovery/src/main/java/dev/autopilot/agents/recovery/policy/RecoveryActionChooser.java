package dev.autopilot.agents.recovery.policy;

import dev.autopilot.api.FailureMode;
import java.util.Optional;

/**
 * Chooses the recovery action of an incident at a stage of its escalation. Two implementations:
 * {@link LadderChooser}, the fixed per-cause ladder L1 -> L2 -> L3, and the learned policy of
 * {@code dev.autopilot.agents.recovery.learn}; {@code RecoveryPolicySelector} returns whichever won
 * in validation. {@link RecoveryPolicy} asks it for every rung it proposes.
 *
 * <p>A stage is the rung index the incident is at: 0 when it opens, one more after each failed
 * verification. Implementations are pure and deterministic: the same arguments give the same
 * action.
 */
public interface RecoveryActionChooser {

  /** Short name for evidence and audit: {@code ladder} or {@code learned}. */
  String name();

  /** Number of stages for a cause; the incident is exhausted when it escalates past the last. */
  int stages(FailureMode cause);

  /**
   * The rung to propose at {@code stage} or a later one (a chooser may skip stages whose action
   * does not apply in the context); empty when no stage is left.
   *
   * @param cause the diagnosed cause
   * @param stage the incident's current stage
   * @param severity how badly the incident hurts now
   * @param ctx what the action is filled with
   * @param tried the actions proposed at the earlier stages of this incident, in stage order; may
   *     be shorter than {@code stage} (for example after a restart of the agent)
   * @return the rung, whose index is the stage it was chosen for
   */
  Optional<RecoveryLadder.Rung> choose(
      FailureMode cause,
      int stage,
      Severity severity,
      RecoveryLadder.Context ctx,
      java.util.List<dev.autopilot.api.Action> tried);
}
