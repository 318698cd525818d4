package dev.autopilot.agents.recovery.policy;

import dev.autopilot.api.Action;
import dev.autopilot.api.FailureMode;
import dev.autopilot.api.PipelineConfig;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The recovery ladder per cause (DESIGN.md section 3): an ordered list of rungs from L1 (restart a
 * task, expand buffers 32 -> 48 MB, reconnect) through L2 (redeploy an operator, restore an older
 * checkpoint, redistribute) to L3 (full restart, cordon and drain a node, fail over). Each cause's
 * ladder holds only the actions that fix that cause in real Flink, cheapest first, so a ladder may
 * start at L2 (a stuck operator is not unstuck by more buffers) or skip L1 entirely.
 *
 * <p>The number of rungs per cause is fixed; a rung that does not apply in the current context (no
 * node known for a drain, nothing to re-apply) is skipped by {@link #next}. Escalating means moving
 * to the rung after the one that failed.
 */
public final class RecoveryLadder {

  /**
   * One proposed rung.
   *
   * @param index position in the cause's ladder
   * @param level L1, L2 or L3
   * @param action the action, filled with the target
   */
  public record Rung(int index, Action.Level level, Action action) {}

  /**
   * What a rung's action is filled with.
   *
   * @param operator the operator the diagnosis points at, or null
   * @param node the node the diagnosis points at, or null
   * @param fallbackOperator the operator to act on when none is pointed at
   * @param current the configuration running now
   * @param knownGood the last configuration seen running healthy before the incident, or null
   */
  public record Context(
      String operator,
      String node,
      String fallbackOperator,
      PipelineConfig current,
      PipelineConfig knownGood) {

    /** The operator to act on, if the running configuration knows it; else null. */
    String operatorOrFallback() {
      if (operator != null && current.parallelism().containsKey(operator)) {
        return operator;
      }
      return fallbackOperator != null && current.parallelism().containsKey(fallbackOperator)
          ? fallbackOperator
          : null;
    }
  }

  /**
   * The kinds of rung a ladder is made of: the recovery action vocabulary, also used by the learned
   * recovery policy ({@code dev.autopilot.agents.recovery.learn}).
   */
  public enum Step {
    RESTART_TASK(Action.Level.L1),
    EXPAND_BUFFERS(Action.Level.L1),
    RECONNECT(Action.Level.L1),
    REDEPLOY_SAME(Action.Level.L2),
    REDEPLOY_WIDER(Action.Level.L2),
    RESTORE_CHECKPOINT(Action.Level.L2),
    REDISTRIBUTE_NODE(Action.Level.L2),
    REDISTRIBUTE_ALL(Action.Level.L2),
    LONGER_CHECKPOINT_INTERVAL(Action.Level.L2),
    RECONFIGURE_KNOWN_GOOD(Action.Level.L2),
    SCALE_TASKMANAGERS_UP(Action.Level.L2),
    REPLACE_LOST_CAPACITY(Action.Level.L3),
    FULL_RESTART(Action.Level.L3),
    FULL_RESTART_KNOWN_GOOD(Action.Level.L3),
    DRAIN_NODE(Action.Level.L3),
    FAILOVER(Action.Level.L3);

    final Action.Level level;

    Step(Action.Level level) {
      this.level = level;
    }

    /** Ladder level of this kind of rung. */
    public Action.Level level() {
      return level;
    }
  }

  private static final java.util.Set<Step> OPERATOR_STEPS =
      java.util.EnumSet.of(
          Step.RESTART_TASK, Step.RECONNECT, Step.REDEPLOY_SAME, Step.REDEPLOY_WIDER);

  /** A step and its parameter (checkpoints back for a restore). */
  private record Template(Step step, int param) {}

  private final RecoverySettings.LadderSettings settings;
  private final Map<FailureMode, List<Template>> ladders = new EnumMap<>(FailureMode.class);

  public RecoveryLadder(RecoverySettings settings) {
    this.settings = settings.ladder();
    define(
        FailureMode.TASK_CRASH,
        Step.RESTART_TASK,
        Step.REDEPLOY_SAME,
        Step.FULL_RESTART,
        Step.FAILOVER);
    define(
        FailureMode.CHECKPOINT_TIMEOUT,
        Step.EXPAND_BUFFERS,
        Step.LONGER_CHECKPOINT_INTERVAL,
        Step.FULL_RESTART);
    define(FailureMode.NETWORK_PARTITION, Step.REDISTRIBUTE_NODE, Step.DRAIN_NODE, Step.FAILOVER);
    define(FailureMode.DISK_FULL, Step.REDISTRIBUTE_NODE, Step.DRAIN_NODE, Step.FULL_RESTART);
    define(FailureMode.MEMORY_LEAK, Step.RESTART_TASK, Step.FULL_RESTART, Step.FAILOVER);
    define(
        FailureMode.CPU_SATURATION,
        Step.REDISTRIBUTE_NODE,
        Step.DRAIN_NODE,
        Step.REPLACE_LOST_CAPACITY);
    define(FailureMode.BACKPRESSURE_DEADLOCK, Step.REDEPLOY_SAME, Step.FULL_RESTART);
    List<Template> restores = new ArrayList<>();
    for (int back : this.settings.restoreCheckpointsBack()) {
      restores.add(new Template(Step.RESTORE_CHECKPOINT, back));
    }
    ladders.put(FailureMode.STATE_CORRUPTION, List.copyOf(restores));
    define(FailureMode.EXTERNAL_DEPENDENCY_FAILURE, Step.RECONNECT, Step.FAILOVER);
    define(
        FailureMode.CONFIGURATION_ERROR, Step.RECONFIGURE_KNOWN_GOOD, Step.FULL_RESTART_KNOWN_GOOD);
    define(FailureMode.RESOURCE_EXHAUSTION, Step.SCALE_TASKMANAGERS_UP, Step.FULL_RESTART);
    define(FailureMode.OPERATOR_BUG, Step.REDEPLOY_SAME, Step.FAILOVER);
    define(FailureMode.DATA_SKEW, Step.REDEPLOY_WIDER, Step.REDISTRIBUTE_ALL);
    define(FailureMode.VERSION_INCOMPATIBILITY, Step.FAILOVER, Step.FULL_RESTART_KNOWN_GOOD);
    define(
        FailureMode.INFRASTRUCTURE_FAILURE,
        Step.REDISTRIBUTE_NODE,
        Step.DRAIN_NODE,
        Step.REPLACE_LOST_CAPACITY);
  }

  private void define(FailureMode cause, Step... steps) {
    List<Template> list = new ArrayList<>();
    for (Step s : steps) {
      list.add(new Template(s, 0));
    }
    ladders.put(cause, List.copyOf(list));
  }

  /** Number of rungs of a cause's ladder. */
  public int size(FailureMode cause) {
    return ladders.get(cause).size();
  }

  /**
   * The first applicable rung at or after {@code fromIndex}; empty when the ladder is exhausted.
   */
  public Optional<Rung> next(FailureMode cause, int fromIndex, Context ctx) {
    List<Template> ladder = ladders.get(cause);
    for (int i = Math.max(0, fromIndex); i < ladder.size(); i++) {
      Optional<Action> a = action(ladder.get(i), ctx);
      if (a.isPresent()) {
        return Optional.of(new Rung(i, ladder.get(i).step().level, a.get()));
      }
    }
    return Optional.empty();
  }

  /** Every applicable rung of a cause's ladder, in order. */
  public List<Rung> plan(FailureMode cause, Context ctx) {
    List<Rung> out = new ArrayList<>();
    int i = 0;
    Optional<Rung> r;
    while ((r = next(cause, i, ctx)).isPresent()) {
      out.add(r.get());
      i = r.get().index() + 1;
    }
    return out;
  }

  /** The kinds of rung of a cause's ladder, in order (one entry per rung). */
  public List<Step> steps(FailureMode cause) {
    return ladders.get(cause).stream().map(Template::step).toList();
  }

  /**
   * One kind of rung filled for the context, whatever the cause; empty when it does not apply (no
   * node known for a drain, nothing to re-apply, no wider parallelism possible).
   *
   * @param step the kind of rung
   * @param param checkpoints back for {@link Step#RESTORE_CHECKPOINT}, ignored otherwise
   * @param ctx what the action is filled with
   */
  public Optional<Action> action(Step step, int param, Context ctx) {
    return action(new Template(step, param), ctx);
  }

  private Optional<Action> action(Template t, Context ctx) {
    PipelineConfig cur = ctx.current();
    String op = ctx.operatorOrFallback();
    if (op == null && OPERATOR_STEPS.contains(t.step())) {
      return Optional.empty();
    }
    return switch (t.step()) {
      case RESTART_TASK -> Optional.of(new Action.RestartTask(op));
      case EXPAND_BUFFERS -> {
        int to = (int) Math.round(cur.networkBufferMb() * settings.expandBuffersFactor());
        yield to > cur.networkBufferMb()
            ? Optional.of(new Action.ExpandBuffers(cur.networkBufferMb(), to))
            : Optional.empty();
      }
      case RECONNECT -> Optional.of(new Action.Reconnect(op));
      case REDEPLOY_SAME -> Optional.of(new Action.RedeployOperator(op, cur.parallelismOf(op)));
      case REDEPLOY_WIDER -> {
        int p = cur.parallelismOf(op);
        int wider =
            Math.min(
                Math.min(settings.maxParallelism(), cur.availableSlots()),
                (int) Math.ceil(p * settings.skewParallelismFactor()));
        yield wider > p ? Optional.of(new Action.RedeployOperator(op, wider)) : Optional.empty();
      }
      case RESTORE_CHECKPOINT -> Optional.of(new Action.RestoreCheckpoint(t.param()));
      case REDISTRIBUTE_NODE ->
          ctx.node() == null ? Optional.empty() : Optional.of(new Action.Redistribute(ctx.node()));
      case REDISTRIBUTE_ALL -> Optional.of(new Action.Redistribute(null));
      case LONGER_CHECKPOINT_INTERVAL -> {
        int to =
            Math.min(
                settings.checkpointIntervalMaxSeconds(),
                (int)
                    Math.round(
                        cur.checkpointIntervalSeconds() * settings.checkpointIntervalFactor()));
        yield to > cur.checkpointIntervalSeconds()
            ? Optional.of(new Action.SetCheckpointInterval(to))
            : Optional.empty();
      }
      case RECONFIGURE_KNOWN_GOOD ->
          ctx.knownGood() == null || ctx.knownGood().equals(cur)
              ? Optional.empty()
              : Optional.of(
                  new Action.Reconfigure(
                      ctx.knownGood(), "re-apply the last known-good configuration"));
      case SCALE_TASKMANAGERS_UP, REPLACE_LOST_CAPACITY -> {
        int extra =
            Math.max(1, (int) Math.ceil(cur.taskManagers() * settings.extraTaskManagersFraction()));
        yield Optional.of(new Action.ScaleTaskManagers(cur.taskManagers() + extra));
      }
      case FULL_RESTART -> Optional.of(new Action.FullRestart(cur));
      case FULL_RESTART_KNOWN_GOOD ->
          Optional.of(new Action.FullRestart(ctx.knownGood() == null ? cur : ctx.knownGood()));
      case DRAIN_NODE ->
          ctx.node() == null ? Optional.empty() : Optional.of(new Action.DrainNode(ctx.node()));
      case FAILOVER -> Optional.of(new Action.Failover());
    };
  }
}
