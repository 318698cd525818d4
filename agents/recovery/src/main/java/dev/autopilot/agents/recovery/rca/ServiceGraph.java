package dev.autopilot.agents.recovery.rca;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A directed call graph: an edge {@code a -> b} means service {@code a} calls service {@code b} (so
 * a fault in {@code b} can show up in {@code a}). Immutable.
 */
public final class ServiceGraph {

  private final List<String> nodes;
  private final Map<String, Set<String>> callees;
  private final Map<String, Set<String>> callers;

  private ServiceGraph(List<String> nodes, Map<String, Set<String>> callees) {
    this.nodes = List.copyOf(nodes);
    Map<String, Set<String>> down = new LinkedHashMap<>();
    Map<String, Set<String>> up = new LinkedHashMap<>();
    for (String n : nodes) {
      down.put(n, new LinkedHashSet<>());
      up.put(n, new LinkedHashSet<>());
    }
    callees.forEach(
        (a, bs) -> {
          for (String b : bs) {
            down.get(a).add(b);
            up.get(b).add(a);
          }
        });
    down.replaceAll((k, v) -> Collections.unmodifiableSet(v));
    up.replaceAll((k, v) -> Collections.unmodifiableSet(v));
    this.callees = Collections.unmodifiableMap(down);
    this.callers = Collections.unmodifiableMap(up);
  }

  /**
   * Builds a graph.
   *
   * @param nodes every node, in a stable order
   * @param edges caller to callees; every name must be in {@code nodes}
   */
  public static ServiceGraph of(List<String> nodes, Map<String, ? extends Set<String>> edges) {
    Set<String> known = new LinkedHashSet<>(nodes);
    if (known.size() != nodes.size()) {
      throw new IllegalArgumentException("duplicate node names in " + nodes);
    }
    Map<String, Set<String>> copy = new LinkedHashMap<>();
    edges.forEach(
        (a, bs) -> {
          if (!known.contains(a)) {
            throw new IllegalArgumentException("edge from unknown node " + a);
          }
          for (String b : bs) {
            if (!known.contains(b)) {
              throw new IllegalArgumentException("edge " + a + " -> unknown node " + b);
            }
          }
          copy.put(a, new LinkedHashSet<>(bs));
        });
    return new ServiceGraph(nodes, copy);
  }

  /** Every node, in the order given. */
  public List<String> nodes() {
    return nodes;
  }

  /** Services that {@code node} calls. */
  public Set<String> callees(String node) {
    return callees.getOrDefault(node, Set.of());
  }

  /** Services that call {@code node}. */
  public Set<String> callers(String node) {
    return callers.getOrDefault(node, Set.of());
  }
}
