package dev.autopilot.agents.recovery.learn;

import dev.autopilot.agents.recovery.policy.RecoveryLadder;
import dev.autopilot.api.Action;
import java.util.Optional;

/**
 * The action vocabulary of the learned recovery policy: every kind of rung of the fixed ladders
 * (whatever the cause), so the policy may pick a fix outside the diagnosed cause's ladder when the
 * diagnosis is often wrong. Filled for the context by {@link RecoveryLadder#action}.
 */
public enum RecoveryOption {
  RESTART_TASK(RecoveryLadder.Step.RESTART_TASK, 0),
  EXPAND_BUFFERS(RecoveryLadder.Step.EXPAND_BUFFERS, 0),
  RECONNECT(RecoveryLadder.Step.RECONNECT, 0),
  REDEPLOY_SAME(RecoveryLadder.Step.REDEPLOY_SAME, 0),
  REDEPLOY_WIDER(RecoveryLadder.Step.REDEPLOY_WIDER, 0),
  RESTORE_CHECKPOINT_1(RecoveryLadder.Step.RESTORE_CHECKPOINT, 1),
  RESTORE_CHECKPOINT_2(RecoveryLadder.Step.RESTORE_CHECKPOINT, 2),
  REDISTRIBUTE_NODE(RecoveryLadder.Step.REDISTRIBUTE_NODE, 0),
  REDISTRIBUTE_ALL(RecoveryLadder.Step.REDISTRIBUTE_ALL, 0),
  LONGER_CHECKPOINT_INTERVAL(RecoveryLadder.Step.LONGER_CHECKPOINT_INTERVAL, 0),
  RECONFIGURE_KNOWN_GOOD(RecoveryLadder.Step.RECONFIGURE_KNOWN_GOOD, 0),
  SCALE_TASKMANAGERS_UP(RecoveryLadder.Step.SCALE_TASKMANAGERS_UP, 0),
  FULL_RESTART(RecoveryLadder.Step.FULL_RESTART, 0),
  FULL_RESTART_KNOWN_GOOD(RecoveryLadder.Step.FULL_RESTART_KNOWN_GOOD, 0),
  DRAIN_NODE(RecoveryLadder.Step.DRAIN_NODE, 0),
  FAILOVER(RecoveryLadder.Step.FAILOVER, 0);

  private final RecoveryLadder.Step step;
  private final int param;

  RecoveryOption(RecoveryLadder.Step step, int param) {
    this.step = step;
    this.param = param;
  }

  public RecoveryLadder.Step step() {
    return step;
  }

  /** Ladder level of the option's action. */
  public Action.Level level() {
    return step.level();
  }

  /** The concrete action in this context, or empty when the option does not apply. */
  public Optional<Action> materialize(RecoveryLadder ladder, RecoveryLadder.Context ctx) {
    return ladder.action(step, param, ctx);
  }

  /** The option of a name, with an error naming the field when unknown. */
  static RecoveryOption parse(String name, String field) {
    try {
      return valueOf(name);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(field + ": unknown recovery option '" + name + "'", e);
    }
  }
}
