package dev.autopilot.agents.optimization.placement;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of placing a batch: where each placed pod went, the pods that fit nowhere (reported,
 * never dropped), and the nodes afterwards.
 *
 * @param assignments pod id to node id, in placement order
 * @param unplaced pods that fit on no node, in placement order
 * @param nodes the nodes with the placed pods bound, in the input order
 */
public record Placement(
    Map<String, String> assignments, List<PodRequest> unplaced, List<NodeState> nodes) {

  public Placement {
    assignments = Collections.unmodifiableMap(new LinkedHashMap<>(assignments));
    unplaced = List.copyOf(unplaced);
    nodes = List.copyOf(nodes);
  }

  /** {@link Fragmentation#of} the nodes after the placement. */
  public double fragmentation() {
    return Fragmentation.of(nodes);
  }
}
