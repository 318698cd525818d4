package dev.autopilot.agents.recovery.learn;

import java.util.List;
import java.util.Set;

/**
 * Tabular Q-learning over recovery episodes: {@code Q(s,a) += alpha * (r + gamma * max_a' Q(s',a')
 * - Q(s,a))} with {@code alpha = max(alphaMin, 1 / visits)} (a running mean at first, then a
 * constant step), applied backwards over each finished episode so a terminal reward reaches the
 * first decision in one pass. When no option of the next state has a value yet, the realised return
 * of the rest of the episode stands in for its maximum (a Monte-Carlo target).
 */
public final class QLearning {

  /**
   * Learning settings.
   *
   * @param gamma discount per decision (episodes are a few decisions long; 1 is undiscounted)
   * @param alphaMin smallest learning rate
   * @param bootstrapMinVisits visits a next-state option needs to count in the max (options tried
   *     once or twice have noisy, optimistic values: the maximisation bias of Q-learning)
   */
  public record Settings(double gamma, double alphaMin, int bootstrapMinVisits) {
    public Settings {
      if (!(gamma >= 0 && gamma <= 1)) {
        throw new IllegalArgumentException("gamma must be in [0, 1], was " + gamma);
      }
      if (!(alphaMin > 0 && alphaMin <= 1)) {
        throw new IllegalArgumentException("alphaMin must be in (0, 1], was " + alphaMin);
      }
      if (bootstrapMinVisits < 1) {
        throw new IllegalArgumentException(
            "bootstrapMinVisits must be >= 1, was " + bootstrapMinVisits);
      }
    }

    /** gamma 1, alphaMin 0.02, bootstrapMinVisits 3. */
    public static Settings defaults() {
      return new Settings(1.0, 0.02, 3);
    }
  }

  /**
   * One decision of an episode and what followed.
   *
   * @param state where it was taken
   * @param option what was chosen
   * @param reward reward until the next decision or the end
   * @param next the next decision's state, or null when the episode ended
   * @param nextOptions options admissible in the next state (empty when it ended)
   */
  public record Transition(
      RecoveryState state,
      RecoveryOption option,
      double reward,
      RecoveryState next,
      Set<RecoveryOption> nextOptions) {
    public Transition {
      nextOptions = nextOptions == null ? Set.of() : Set.copyOf(nextOptions);
    }
  }

  private final QTable table;
  private final Settings settings;

  public QLearning(QTable table, Settings settings) {
    this.table = table;
    this.settings = settings;
  }

  public QTable table() {
    return table;
  }

  /**
   * One Q-learning update.
   *
   * @param t the transition
   * @param fallbackNext value of the next state when none of its options has a value yet
   * @return the updated Q(s, a)
   */
  public double update(Transition t, double fallbackNext) {
    double next = 0;
    if (t.next() != null) {
      next =
          table
              .greedy(t.next(), t.nextOptions(), settings.bootstrapMinVisits())
              .map(a -> table.q(t.next(), a))
              .orElse(fallbackNext);
    }
    double target = t.reward() + settings.gamma() * next;
    int n = table.visits(t.state(), t.option()) + 1;
    double alpha = Math.max(settings.alphaMin(), 1.0 / n);
    return table.moveTowards(t.state(), t.option(), target, alpha);
  }

  /** Updates for a whole episode, last decision first. */
  public void learnEpisode(List<Transition> episode) {
    double returnAfter = 0;
    for (int i = episode.size() - 1; i >= 0; i--) {
      Transition t = episode.get(i);
      update(t, returnAfter);
      returnAfter = t.reward() + settings.gamma() * returnAfter;
    }
  }
}
