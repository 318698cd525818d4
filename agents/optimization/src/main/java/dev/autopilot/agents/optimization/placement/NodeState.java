package dev.autopilot.agents.optimization.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A node as the placer sees it: its allocatable capacity and the demands of the pods bound to it.
 * Immutable: {@link #with} returns the node with one more pod.
 *
 * @param id node id
 * @param capacity allocatable capacity (after the kubelet's reservation)
 * @param pods demands of the pods bound to the node
 */
public record NodeState(String id, Resources capacity, List<Resources> pods) {

  public NodeState {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(capacity, "capacity");
    pods = List.copyOf(pods);
  }

  /** An empty node. */
  public static NodeState empty(String id, Resources capacity) {
    return new NodeState(id, capacity, List.of());
  }

  /** What the pods request in total. */
  public Resources allocated() {
    Resources sum = Resources.ZERO;
    for (Resources p : pods) {
      sum = sum.plus(p);
    }
    return sum;
  }

  /** Capacity not requested by any pod. */
  public Resources free() {
    return capacity.minus(allocated());
  }

  /** Whether a pod with this demand fits in every dimension. */
  public boolean fits(Resources demand) {
    return demand.fitsIn(free());
  }

  /** The node with one more pod bound to it. */
  public NodeState with(Resources demand) {
    List<Resources> more = new ArrayList<>(pods);
    more.add(demand);
    return new NodeState(id, capacity, more);
  }
}
