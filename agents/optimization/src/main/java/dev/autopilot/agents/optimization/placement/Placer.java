package dev.autopilot.agents.optimization.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Places TaskManager pods on nodes over four resources (CPU, memory, disk, network), by {@link
 * Strategy#TETRIS} alignment scoring or {@link Strategy#FIRST_FIT_DECREASING}. One pod at a time
 * ({@link #choose}: incremental scheduling, a replacement pod) or a batch ({@link #placeAll}: a
 * rescale adding several pods). Pure and deterministic: the same pods and nodes give the same
 * placement.
 *
 * <p>Normalisation. Demand and free capacity are both divided, per dimension, by the capacity of
 * the node being scored, so that cores, GB and Gbit/s become shares of that node and can be
 * compared. The alignment of a pod with a node is the cosine of the angle between the two
 * normalised vectors, {@code d·f / (|d| |f|)}: both are non-negative, so it lies in [0, 1] (1 when
 * the node's free capacity has exactly the pod's shape). Tetris as published scores the raw dot
 * product {@code d·f}; that product grows with the free magnitude and so sends every pod to the
 * emptiest node, like Kubernetes' "least allocated". The cosine keeps only the shape, which is what
 * fragmentation measures, and is bounded, so {@link Fragmentation} is in [0, 1].
 *
 * <p>Tetris: the feasible node with the highest alignment wins; near ties (within 1e-9) go to the
 * node with less free capacity (the sum of its normalised free shares: pack rather than spread),
 * then to the earlier node. First-fit decreasing: the first feasible node in the given order. In a
 * batch both strategies place the pods in decreasing normalised size ({@link #size}: the sum over
 * the four dimensions of the demand over the largest capacity any node has in that dimension; ties
 * keep the input order), so the large pods, the hard ones to fit, go first.
 *
 * <p>A pod that fits nowhere is reported in {@link Placement#unplaced()} (the caller provisions a
 * node or keeps it pending), never dropped; no node is ever given more than its capacity in any
 * dimension.
 */
public final class Placer {

  private static final double TIE = 1e-9;

  private final Strategy strategy;

  public Placer(Strategy strategy) {
    this.strategy = Objects.requireNonNull(strategy, "strategy");
  }

  public Strategy strategy() {
    return strategy;
  }

  /**
   * The node for one pod: the index into {@code nodes} of the node the strategy picks among those
   * where the pod fits, or empty when it fits on none.
   */
  public OptionalInt choose(Resources demand, List<NodeState> nodes) {
    Objects.requireNonNull(demand, "demand");
    int best = -1;
    double bestScore = Double.NEGATIVE_INFINITY;
    double bestFree = Double.POSITIVE_INFINITY;
    for (int i = 0; i < nodes.size(); i++) {
      NodeState n = nodes.get(i);
      if (!n.fits(demand)) {
        continue;
      }
      if (strategy == Strategy.FIRST_FIT_DECREASING) {
        return OptionalInt.of(i);
      }
      Resources free = n.free();
      double score = alignment(demand, free, n.capacity());
      double freeShare = sum(free.normalisedBy(n.capacity()));
      if (score > bestScore + TIE || (score > bestScore - TIE && freeShare < bestFree - TIE)) {
        best = i;
        bestScore = score;
        bestFree = freeShare;
      }
    }
    return best < 0 ? OptionalInt.empty() : OptionalInt.of(best);
  }

  /**
   * Places a batch: pods in decreasing {@link #size}, each on the node {@link #choose} picks given
   * the pods already placed. Pods that fit nowhere are reported unplaced.
   */
  public Placement placeAll(List<PodRequest> pods, List<NodeState> nodes) {
    List<NodeState> state = new ArrayList<>(nodes);
    Resources reference = largestCapacity(nodes);
    List<PodRequest> order = new ArrayList<>(pods);
    order.sort(
        Comparator.comparingDouble((PodRequest p) -> size(p.demand(), reference)).reversed());
    Map<String, String> assignments = new LinkedHashMap<>();
    List<PodRequest> unplaced = new ArrayList<>();
    for (PodRequest p : order) {
      OptionalInt i = choose(p.demand(), state);
      if (i.isEmpty()) {
        unplaced.add(p);
        continue;
      }
      NodeState n = state.get(i.getAsInt());
      state.set(i.getAsInt(), n.with(p.demand()));
      assignments.put(p.id(), n.id());
    }
    return new Placement(assignments, unplaced, state);
  }

  /**
   * Alignment of a demand with a node's free capacity: the cosine of the two vectors normalised by
   * the node's capacity, in [0, 1]. A zero demand is perfectly aligned (1); no free capacity gives
   * 0.
   */
  public static double alignment(Resources demand, Resources free, Resources capacity) {
    double[] d = demand.normalisedBy(capacity);
    double[] f = free.normalisedBy(capacity);
    double dot = 0;
    double dd = 0;
    double ff = 0;
    for (int r = 0; r < Resources.DIMENSIONS; r++) {
      dot += d[r] * f[r];
      dd += d[r] * d[r];
      ff += f[r] * f[r];
    }
    if (dd == 0) {
      return 1;
    }
    if (ff == 0) {
      return 0;
    }
    return Math.min(1, Math.max(0, dot / Math.sqrt(dd * ff)));
  }

  /**
   * Normalised size of a demand, the first-fit-decreasing sort key: the sum over the dimensions of
   * the demand over {@code reference} (the largest capacity of any node, per dimension).
   */
  public static double size(Resources demand, Resources reference) {
    return sum(demand.normalisedBy(reference));
  }

  /** The largest capacity of any node, per dimension. */
  static Resources largestCapacity(List<NodeState> nodes) {
    double[] max = new double[Resources.DIMENSIONS];
    for (NodeState n : nodes) {
      for (int r = 0; r < Resources.DIMENSIONS; r++) {
        max[r] = Math.max(max[r], n.capacity().get(r));
      }
    }
    return new Resources(max[0], max[1], max[2], max[3]);
  }

  private static double sum(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s;
  }
}
