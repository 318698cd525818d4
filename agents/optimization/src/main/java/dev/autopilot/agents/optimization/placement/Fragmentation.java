package dev.autopilot.agents.optimization.placement;

import java.util.List;

/**
 * How badly the placed pods fit the nodes they are on (issue 5: fragmentation = 1 − Σ(dot
 * products)/tasks).
 *
 * <p>For each placed pod, its alignment ({@link Placer#alignment}, the cosine of its demand and its
 * node's free capacity, both normalised by the node's capacity) is computed against the capacity
 * its node had free for it: the node's free capacity now plus the pod's own demand, which is the
 * free capacity the pod saw when it was placed last on that node. That makes the measure a function
 * of the cluster state alone (it does not depend on the order pods arrived in). Fragmentation is 1
 * minus the mean of these alignments over all placed pods: in [0, 1], 0 when every pod's shape
 * matches what its node had free, 0 for an empty cluster. It is the per-tick figure the simulator
 * reports; the target is < 0.25 at 70 % utilisation or more.
 */
public final class Fragmentation {

  private Fragmentation() {}

  /** Fragmentation of the nodes' current placement, in [0, 1]. */
  public static double of(List<NodeState> nodes) {
    double sum = 0;
    long tasks = 0;
    for (NodeState n : nodes) {
      Resources free = n.free();
      for (Resources pod : n.pods()) {
        sum += Placer.alignment(pod, free.plus(pod), n.capacity());
        tasks++;
      }
    }
    return tasks == 0 ? 0 : Math.max(0, Math.min(1, 1 - sum / tasks));
  }

  /**
   * Utilisation of the nodes: per dimension, requested over capacity summed over all nodes; the
   * largest of the four (the dominant resource, the one that runs out first). 0 without capacity.
   */
  public static double utilisation(List<NodeState> nodes) {
    double best = 0;
    for (int r = 0; r < Resources.DIMENSIONS; r++) {
      double cap = 0;
      double used = 0;
      for (NodeState n : nodes) {
        cap += n.capacity().get(r);
        used += Math.min(n.capacity().get(r), n.allocated().get(r));
      }
      if (cap > 0) {
        best = Math.max(best, used / cap);
      }
    }
    return best;
  }
}
