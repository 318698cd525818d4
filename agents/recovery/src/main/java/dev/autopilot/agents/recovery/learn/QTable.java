package dev.autopilot.agents.recovery.learn;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tabular action-value function Q(state, option) with a visit count per entry. Entries never
 * visited have no value. Mutable (a learner updates it in place); not thread-safe.
 */
public final class QTable {

  /**
   * One entry, as serialized.
   *
   * @param state the state
   * @param option the option
   * @param q its value
   * @param visits how often it was updated
   */
  public record Entry(RecoveryState state, RecoveryOption option, double q, int visits) {}

  private static final int N = RecoveryOption.values().length;

  private final Map<RecoveryState, double[]> values = new LinkedHashMap<>();
  private final Map<RecoveryState, int[]> visits = new LinkedHashMap<>();

  /** Value of an entry; 0 when never visited. */
  public double q(RecoveryState s, RecoveryOption a) {
    double[] v = values.get(s);
    return v == null ? 0 : v[a.ordinal()];
  }

  /** Updates of an entry. */
  public int visits(RecoveryState s, RecoveryOption a) {
    int[] n = visits.get(s);
    return n == null ? 0 : n[a.ordinal()];
  }

  /** Sets an entry's value and visit count. */
  public void set(RecoveryState s, RecoveryOption a, double q, int n) {
    if (!Double.isFinite(q)) {
      throw new IllegalArgumentException("Q(" + s + ", " + a + ") must be finite, was " + q);
    }
    if (n < 0) {
      throw new IllegalArgumentException("visits of (" + s + ", " + a + ") must be >= 0, was " + n);
    }
    values.computeIfAbsent(s, k -> new double[N])[a.ordinal()] = q;
    visits.computeIfAbsent(s, k -> new int[N])[a.ordinal()] = n;
  }

  /** Moves an entry towards a target by step {@code alpha} and counts the visit; the new value. */
  public double moveTowards(RecoveryState s, RecoveryOption a, double target, double alpha) {
    double old = q(s, a);
    double updated = old + alpha * (target - old);
    set(s, a, updated, visits(s, a) + 1);
    return updated;
  }

  /**
   * The option with the highest value among {@code options} that were visited at least {@code
   * minVisits} times; ties go to the earlier option in {@link RecoveryOption} order (cheaper rungs
   * come first), so the choice is deterministic.
   */
  public Optional<RecoveryOption> greedy(
      RecoveryState s, Collection<RecoveryOption> options, int minVisits) {
    RecoveryOption best = null;
    for (RecoveryOption a : RecoveryOption.values()) {
      if (!options.contains(a) || visits(s, a) < Math.max(1, minVisits)) {
        continue;
      }
      if (best == null || q(s, a) > q(s, best)) {
        best = a;
      }
    }
    return Optional.ofNullable(best);
  }

  /** The highest value among visited {@code options}, if any was visited. */
  public Optional<Double> max(RecoveryState s, Collection<RecoveryOption> options) {
    return greedy(s, options, 1).map(a -> q(s, a));
  }

  /** Every visited entry, ordered by state (cause, stage, severity) then option. */
  public List<Entry> entries() {
    List<Entry> out = new ArrayList<>();
    for (Map.Entry<RecoveryState, int[]> e : visits.entrySet()) {
      for (RecoveryOption a : RecoveryOption.values()) {
        int n = e.getValue()[a.ordinal()];
        if (n > 0) {
          out.add(new Entry(e.getKey(), a, values.get(e.getKey())[a.ordinal()], n));
        }
      }
    }
    out.sort(
        Comparator.<Entry, Integer>comparing(x -> x.state().cause().ordinal())
            .thenComparing(x -> x.state().stage())
            .thenComparing(x -> x.state().severity().ordinal())
            .thenComparing(x -> x.option().ordinal()));
    return out;
  }

  /** Number of visited entries. */
  public int size() {
    return entries().size();
  }

  /** A table holding the given entries. */
  public static QTable of(Collection<Entry> entries) {
    QTable t = new QTable();
    for (Entry e : entries) {
      t.set(e.state(), e.option(), e.q(), e.visits());
    }
    return t;
  }
}
