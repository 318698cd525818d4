package dev.autopilot.agents.optimization.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of {@link Placer} whatever the pods and the nodes: no node ever over capacity in any
 * dimension, every placed pod on a node where it fitted, every pod either placed or reported
 * unplaced, and fragmentation in [0, 1].
 */
class PlacerPropertiesTest {

  @Property(tries = 300)
  void batchPlacementNeverOverfillsAndAccountsForEveryPod(
      @ForAll("nodes") List<NodeState> nodes,
      @ForAll("pods") List<PodRequest> pods,
      @ForAll Strategy strategy) {
    Placement placement = new Placer(strategy).placeAll(pods, nodes);

    for (NodeState n : placement.nodes()) {
      Resources used = n.allocated();
      for (int r = 0; r < Resources.DIMENSIONS; r++) {
        assertTrue(used.get(r) <= n.capacity().get(r) + 1e-6, n + " over capacity");
      }
    }
    Set<String> placed = placement.assignments().keySet();
    Set<String> unplaced = new HashSet<>();
    placement.unplaced().forEach(p -> unplaced.add(p.id()));
    for (String id : unplaced) {
      assertFalse(placed.contains(id), id + " both placed and unplaced");
    }
    Set<String> all = new HashSet<>(placed);
    all.addAll(unplaced);
    assertEquals(pods.size(), all.size(), "every pod is placed or reported unplaced");
    // the pods bound to each node are exactly those assigned to it, on top of what it had
    Map<String, Integer> added = new HashMap<>();
    placement.assignments().values().forEach(id -> added.merge(id, 1, Integer::sum));
    for (int i = 0; i < nodes.size(); i++) {
      assertEquals(
          nodes.get(i).pods().size() + added.getOrDefault(nodes.get(i).id(), 0),
          placement.nodes().get(i).pods().size());
    }
    double f = placement.fragmentation();
    assertTrue(f >= 0 && f <= 1, "fragmentation " + f);
  }

  @Property(tries = 300)
  void anUnplacedPodFitsNowhereAfterThePlacement(
      @ForAll("nodes") List<NodeState> nodes,
      @ForAll("pods") List<PodRequest> pods,
      @ForAll Strategy strategy) {
    Placement placement = new Placer(strategy).placeAll(pods, nodes);
    // pods are placed largest first, so a pod that fitted nowhere when its turn came still fits
    // nowhere once the batch is done (nodes only fill up)
    for (PodRequest p : placement.unplaced()) {
      for (NodeState n : placement.nodes()) {
        assertFalse(n.fits(p.demand()), p + " fits on " + n.id() + " but was left unplaced");
      }
    }
  }

  @Property(tries = 300)
  void incrementalPlacementPicksAFeasibleNodeOrNone(
      @ForAll("nodes") List<NodeState> nodes,
      @ForAll("pods") List<PodRequest> pods,
      @ForAll Strategy strategy) {
    Placer placer = new Placer(strategy);
    List<NodeState> state = new ArrayList<>(nodes);
    for (PodRequest p : pods) {
      var i = placer.choose(p.demand(), state);
      if (i.isPresent()) {
        NodeState n = state.get(i.getAsInt());
        assertTrue(n.fits(p.demand()), p + " placed on " + n.id() + " where it does not fit");
        state.set(i.getAsInt(), n.with(p.demand()));
      } else {
        assertTrue(state.stream().noneMatch(n -> n.fits(p.demand())), p + " fits somewhere");
      }
    }
    for (NodeState n : state) {
      for (int r = 0; r < Resources.DIMENSIONS; r++) {
        assertTrue(n.allocated().get(r) <= n.capacity().get(r) + 1e-6, n + " over capacity");
      }
    }
    double f = Fragmentation.of(state);
    double u = Fragmentation.utilisation(state);
    assertTrue(f >= 0 && f <= 1, "fragmentation " + f);
    assertTrue(u >= 0 && u <= 1 + 1e-9, "utilisation " + u);
  }

  @Provide
  Arbitrary<List<NodeState>> nodes() {
    Arbitrary<Resources> capacity = resources(0, 64, 0, 256, 0, 2000, 0, 50);
    return capacity.list().ofMinSize(0).ofMaxSize(8).map(Placement_::nodes);
  }

  @Provide
  Arbitrary<List<PodRequest>> pods() {
    Arbitrary<Resources> demand = resources(0, 16, 0, 64, 0, 400, 0, 10);
    return demand.list().ofMinSize(0).ofMaxSize(40).map(Placement_::pods);
  }

  private static Arbitrary<Resources> resources(
      double c0, double c1, double m0, double m1, double d0, double d1, double n0, double n1) {
    return Combinators.combine(
            Arbitraries.doubles().between(c0, c1),
            Arbitraries.doubles().between(m0, m1),
            Arbitraries.doubles().between(d0, d1),
            Arbitraries.doubles().between(n0, n1))
        .as(Resources::new);
  }

  /** Builders for the generated lists. */
  private static final class Placement_ {
    static List<NodeState> nodes(List<Resources> capacities) {
      List<NodeState> out = new ArrayList<>();
      for (int i = 0; i < capacities.size(); i++) {
        out.add(NodeState.empty("n" + i, capacities.get(i)));
      }
      return out;
    }

    static List<PodRequest> pods(List<Resources> demands) {
      List<PodRequest> out = new ArrayList<>();
      for (int i = 0; i < demands.size(); i++) {
        out.add(new PodRequest("p" + i, demands.get(i)));
      }
      return out;
    }
  }
}
