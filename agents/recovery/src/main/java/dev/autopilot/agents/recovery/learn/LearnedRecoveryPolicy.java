package dev.autopilot.agents.recovery.learn;

import dev.autopilot.agents.recovery.policy.RecoveryActionChooser;
import dev.autopilot.agents.recovery.policy.RecoveryLadder;
import dev.autopilot.agents.recovery.policy.Severity;
import dev.autopilot.api.Action;
import dev.autopilot.api.FailureMode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The learned recovery policy: greedy over a {@link QTable} at inference, ε-greedy only while
 * training ({@link #explore}).
 *
 * <p>An incident's actions form a plan: the action at stage k is the best-valued admissible option
 * of state (cause, k, severity) whose action was not already chosen at an earlier stage of the same
 * plan (a failed action is not repeated). The plan is recomputed from the stage alone, so the
 * policy keeps no memory and gives the same action for the same arguments.
 *
 * <p>It deviates from the fixed ladder only where the data supports it (safe policy improvement
 * with baseline bootstrapping, SPIBB): the ladder's next rung not yet in the plan is the default;
 * the best-valued option replaces it only when both were visited at least {@code minVisits} times
 * and the best beats the ladder's by more than {@code margin}. Without a ladder rung left, the best
 * trusted option is taken.
 */
public final class LearnedRecoveryPolicy implements RecoveryActionChooser {
  /** Name of this chooser. */
  public static final String NAME = "learned";

  /**
   * One decision while training.
   *
   * @param state the state
   * @param option the chosen option
   * @param action its concrete action
   * @param admissible the options that were admissible (applicable and not yet tried)
   * @param explored whether it was a random (exploring) choice
   */
  public record Decision(
      RecoveryState state,
      RecoveryOption option,
      Action action,
      Set<RecoveryOption> admissible,
      boolean explored) {}

  /** While training, the ladder's rung is tried this many times {@code minVisits} first. */
  static final int BASELINE_VISITS_FACTOR = 3;

  private final QTable table;
  private final RecoveryLadder ladder;
  private final int maxStages;
  private final int minVisits;
  private final double margin;

  /**
   * @param table the learned values
   * @param ladder fills options with concrete actions; the default where data is scarce
   * @param maxStages stages per incident (every cause)
   * @param minVisits visits an option needs before the greedy policy trusts its value
   * @param margin value by which the best option must beat the ladder's rung to replace it
   */
  public LearnedRecoveryPolicy(
      QTable table, RecoveryLadder ladder, int maxStages, int minVisits, double margin) {
    if (maxStages < 1) {
      throw new IllegalArgumentException("maxStages must be >= 1, was " + maxStages);
    }
    if (!(margin >= 0) || Double.isInfinite(margin)) {
      throw new IllegalArgumentException("margin must be finite and >= 0, was " + margin);
    }
    this.table = table;
    this.ladder = ladder;
    this.maxStages = maxStages;
    this.minVisits = Math.max(1, minVisits);
    this.margin = margin;
  }

  public double margin() {
    return margin;
  }

  public QTable table() {
    return table;
  }

  public int maxStages() {
    return maxStages;
  }

  public int minVisits() {
    return minVisits;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int stages(FailureMode cause) {
    return maxStages;
  }

  @Override
  public Optional<RecoveryLadder.Rung> choose(
      FailureMode cause,
      int stage,
      Severity severity,
      RecoveryLadder.Context ctx,
      List<Action> tried) {
    if (stage < 0 || stage >= maxStages) {
      return Optional.empty();
    }
    List<Action> plan = new ArrayList<>(tried == null ? List.of() : tried);
    // stages whose action is not known (after a restart): recompute them at today's severity
    for (int k = plan.size(); k < stage; k++) {
      RecoveryLadder.Rung r = greedyRung(new RecoveryState(cause, k, severity), ctx, plan);
      if (r == null) {
        return Optional.empty();
      }
      plan.add(r.action());
    }
    return Optional.ofNullable(greedyRung(new RecoveryState(cause, stage, severity), ctx, plan));
  }

  /** The greedy rung of a state (see the class comment), not in {@code used}; null when none. */
  private RecoveryLadder.Rung greedyRung(
      RecoveryState s, RecoveryLadder.Context ctx, List<Action> used) {
    List<RecoveryOption> options = new ArrayList<>();
    List<Action> actions = new ArrayList<>();
    admissible(ctx, used, options, actions);
    Optional<RecoveryOption> best = table.greedy(s, options, minVisits);
    RecoveryLadder.Rung base = baseRung(s, ctx, used);
    if (base != null) {
      int i = actions.indexOf(base.action());
      RecoveryOption baseOption = i < 0 ? null : options.get(i);
      boolean deviate =
          best.isPresent()
              && baseOption != null
              && table.visits(s, baseOption) >= minVisits
              && table.q(s, best.get()) > table.q(s, baseOption) + margin;
      if (!deviate) {
        return new RecoveryLadder.Rung(s.stage(), base.level(), base.action());
      }
    }
    if (best.isEmpty()) {
      return null;
    }
    return new RecoveryLadder.Rung(
        s.stage(), best.get().level(), actions.get(options.indexOf(best.get())));
  }

  /** The ladder's first rung not in {@code used}: the default action; null when none is left. */
  private RecoveryLadder.Rung baseRung(
      RecoveryState s, RecoveryLadder.Context ctx, List<Action> used) {
    for (RecoveryLadder.Rung r : ladder.plan(s.cause(), ctx)) {
      if (!used.contains(r.action())) {
        return r;
      }
    }
    return null;
  }

  /**
   * An ε-greedy choice for training: while some admissible option was tried fewer than {@code
   * minVisits} times in this state (the ladder's rung: three times that), a random one of those
   * (count-based exploration, so the ladder's rung and its alternatives all get enough data for
   * {@link #choose} to compare them); else with probability {@code epsilon} a random option; else
   * the best-valued one (Q-learning is off-policy: the values it learns are those of the greedy
   * policy whatever explores).
   *
   * @param s the state
   * @param ctx what actions are filled with
   * @param tried actions already taken in this incident (not repeated)
   * @param rnd randomness
   * @param epsilon exploration rate
   * @return the decision, or empty when no admissible option is left
   */
  public Optional<Decision> explore(
      RecoveryState s,
      RecoveryLadder.Context ctx,
      List<Action> tried,
      SplittableRandom rnd,
      double epsilon) {
    List<RecoveryOption> options = new ArrayList<>();
    List<Action> actions = new ArrayList<>();
    admissible(ctx, tried, options, actions);
    if (options.isEmpty()) {
      return Optional.empty();
    }
    Set<RecoveryOption> adm = EnumSet.copyOf(options);
    RecoveryLadder.Rung base = baseRung(s, ctx, tried);
    int baseIndex = base == null ? -1 : actions.indexOf(base.action());
    List<RecoveryOption> untried = new ArrayList<>();
    for (int i = 0; i < options.size(); i++) {
      // the ladder's rung is the default every deviation is measured against: more data for it
      int wanted = i == baseIndex ? BASELINE_VISITS_FACTOR * minVisits : minVisits;
      if (table.visits(s, options.get(i)) < wanted) {
        untried.add(options.get(i));
      }
    }
    RecoveryOption pick;
    boolean explored;
    if (!untried.isEmpty()) {
      pick = untried.get(rnd.nextInt(untried.size()));
      explored = true;
    } else if (rnd.nextDouble() < epsilon) {
      pick = options.get(rnd.nextInt(options.size()));
      explored = true;
    } else {
      pick = table.greedy(s, options, 1).orElseThrow();
      explored = false;
    }
    return Optional.of(new Decision(s, pick, actions.get(options.indexOf(pick)), adm, explored));
  }

  /** Options applicable in the context whose action is not in {@code used}, with their actions. */
  public List<RecoveryOption> admissible(RecoveryLadder.Context ctx, List<Action> used) {
    List<RecoveryOption> options = new ArrayList<>();
    admissible(ctx, used, options, new ArrayList<>());
    return options;
  }

  private void admissible(
      RecoveryLadder.Context ctx,
      List<Action> used,
      List<RecoveryOption> options,
      List<Action> actions) {
    for (RecoveryOption o : RecoveryOption.values()) {
      Optional<Action> a = o.materialize(ladder, ctx);
      if (a.isPresent() && !used.contains(a.get()) && !actions.contains(a.get())) {
        options.add(o);
        actions.add(a.get());
      }
    }
  }
}
