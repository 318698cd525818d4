package dev.autopilot.agents.optimization.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PlacerTest {

  /** The simulator's node: 32 cores / 128 GB less the kubelet reservation, 1 TB disk, 25 Gbit/s. */
  private static final Resources NODE = new Resources(31, 124, 1000, 25);

  @Test
  void alignmentIsTheCosineOfCapacityNormalisedVectors() {
    Resources cap = new Resources(10, 100, 1000, 10);
    // demand (0.1, 0.1, 0.1, 0.1) against free (1, 1, 1, 1): same direction
    assertEquals(1.0, Placer.alignment(new Resources(1, 10, 100, 1), cap, cap), 1e-12);
    // demand only CPU (1, 0, 0, 0) against free (0.5, 0.5, 0.5, 0.5): cos = 0.5 / 1
    assertEquals(
        0.5, Placer.alignment(new Resources(1, 0, 0, 0), new Resources(5, 50, 500, 5), cap), 1e-12);
    // orthogonal: CPU demand, only memory free
    assertEquals(
        0.0, Placer.alignment(new Resources(1, 0, 0, 0), new Resources(0, 50, 0, 0), cap), 1e-12);
    assertEquals(1.0, Placer.alignment(Resources.ZERO, cap, cap), 1e-12);
    assertEquals(0.0, Placer.alignment(new Resources(1, 1, 1, 1), Resources.ZERO, cap), 1e-12);
  }

  @Test
  void tetrisPicksTheBestAlignedFeasibleNode() {
    // a CPU-heavy pod: node a has mostly memory free, node b mostly CPU, node c is too small
    Resources cap = new Resources(16, 64, 400, 10);
    NodeState a = new NodeState("a", cap, List.of(new Resources(12, 8, 100, 2)));
    NodeState b = new NodeState("b", cap, List.of(new Resources(2, 48, 100, 2)));
    NodeState c = new NodeState("c", cap, List.of(new Resources(15, 8, 100, 2)));
    Resources pod = new Resources(4, 4, 50, 1);
    assertEquals(OptionalInt.of(1), new Placer(Strategy.TETRIS).choose(pod, List.of(a, b, c)));
    // first fit takes the first node where it fits, aligned or not
    assertEquals(
        OptionalInt.of(0), new Placer(Strategy.FIRST_FIT_DECREASING).choose(pod, List.of(a, b, c)));
  }

  @Test
  void tetrisBreaksTiesTowardsTheFullerNode() {
    // same shape free on both, b has less of it: pack rather than spread
    NodeState a = NodeState.empty("a", NODE);
    NodeState b = new NodeState("b", NODE, List.of(new Resources(15.5, 62, 500, 12.5)));
    Resources pod = new Resources(3.1, 12.4, 100, 2.5);
    assertEquals(OptionalInt.of(1), new Placer(Strategy.TETRIS).choose(pod, List.of(a, b)));
  }

  @ParameterizedTest
  @EnumSource(Strategy.class)
  void aPodThatFitsNowhereIsReported(Strategy strategy) {
    List<NodeState> nodes = List.of(NodeState.empty("a", NODE));
    // fits on CPU, memory and disk, not on network
    Resources pod = new Resources(1, 1, 1, 26);
    Placer placer = new Placer(strategy);
    assertTrue(placer.choose(pod, nodes).isEmpty());
    Placement p = placer.placeAll(List.of(new PodRequest("big", pod)), nodes);
    assertEquals(List.of(new PodRequest("big", pod)), p.unplaced());
    assertTrue(p.assignments().isEmpty());
  }

  @Test
  void firstFitDecreasingPlacesLargestFirstIntoTheFirstNodeWithRoom() {
    Resources cap = new Resources(10, 40, 100, 10);
    List<NodeState> nodes = List.of(NodeState.empty("n1", cap), NodeState.empty("n2", cap));
    List<PodRequest> pods =
        List.of(
            new PodRequest("small", new Resources(2, 8, 20, 2)),
            new PodRequest("large", new Resources(8, 32, 80, 8)),
            new PodRequest("medium", new Resources(4, 16, 40, 4)));
    Placement p = new Placer(Strategy.FIRST_FIT_DECREASING).placeAll(pods, nodes);
    // order: large (3.2), medium (1.6), small (0.8); large fills n1 to 8 cores, medium goes to
    // n2, small still fits next to large on n1
    assertEquals(List.of("large", "medium", "small"), List.copyOf(p.assignments().keySet()));
    assertEquals("n1", p.assignments().get("large"));
    assertEquals("n2", p.assignments().get("medium"));
    assertEquals("n1", p.assignments().get("small"));
    assertTrue(p.unplaced().isEmpty());
  }

  @Test
  void sizeIsTheSumOfSharesOfTheLargestCapacity() {
    Resources reference = new Resources(10, 100, 1000, 10);
    assertEquals(0.4, Placer.size(new Resources(1, 10, 100, 1), reference), 1e-12);
    List<NodeState> nodes =
        List.of(
            NodeState.empty("a", new Resources(10, 50, 1000, 5)),
            NodeState.empty("b", new Resources(5, 100, 200, 10)));
    assertEquals(reference, Placer.largestCapacity(nodes));
  }

  @Test
  void fragmentationIsOneMinusTheMeanAlignmentOfThePlacedPods() {
    Resources cap = new Resources(10, 100, 1000, 10);
    // one pod with the node's shape on an otherwise empty node: aligned, fragmentation 0
    NodeState aligned = new NodeState("a", cap, List.of(new Resources(5, 50, 500, 5)));
    assertEquals(0.0, Fragmentation.of(List.of(aligned)), 1e-12);
    // a CPU-only pod alone on a node: free it saw (1, 1, 1, 1), cos 0.5
    NodeState cpuOnly = new NodeState("b", cap, List.of(new Resources(10, 0, 0, 0)));
    assertEquals(0.5, Fragmentation.of(List.of(cpuOnly)), 1e-12);
    assertEquals(0.25, Fragmentation.of(List.of(aligned, cpuOnly)), 1e-12);
    assertEquals(0.0, Fragmentation.of(List.of()), 0);
    assertEquals(0.5, Fragmentation.utilisation(List.of(aligned)), 1e-12);
  }

  @Test
  void anUnknownStrategyIsRejectedWithTheAcceptedValues() {
    assertEquals(Strategy.TETRIS, Strategy.parse(" Tetris "));
    assertEquals(Strategy.FIRST_FIT_DECREASING, Strategy.parse("ffd"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Strategy.parse("best-fit"));
    assertTrue(e.getMessage().contains("tetris or ffd"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Resources(-1, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Resources(Double.NaN, 0, 0, 0));
  }

  /**
   * The target: fragmentation under 0.25 at 70 %+ utilisation. TaskManagers of the shapes
   * the optimizer may choose (2-8 cores, 4-16 GB, 4 GB per core +/- one step), 100 GB local disk
   * and 1-3 Gbit/s each, arrive one by one (seeded) on a 10-node pool until the dominant resource
   * is 70 % used, then up to 95 %; fragmentation is checked at every step from 70 % on.
   */
  @ParameterizedTest
  @EnumSource(Strategy.class)
  void fragmentationStaysUnderAQuarterAtSeventyPercentUtilisation(Strategy strategy) {
    for (long seed = 1; seed <= 20; seed++) {
      SplittableRandom rnd = new SplittableRandom(seed);
      List<NodeState> nodes = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        nodes.add(NodeState.empty("n" + i, NODE));
      }
      Placer placer = new Placer(strategy);
      double worst = 0;
      int checked = 0;
      int misses = 0;
      while (Fragmentation.utilisation(nodes) < 0.95 && misses < 50) {
        int cores = 2 + rnd.nextInt(4) * 2;
        double memory = Math.max(4, Math.min(16, 4.0 * cores + (rnd.nextInt(3) - 1) * 4));
        Resources pod = new Resources(cores, memory, 100, 1 + rnd.nextInt(3));
        OptionalInt i = placer.choose(pod, nodes);
        if (i.isEmpty()) {
          misses++;
          continue;
        }
        nodes.set(i.getAsInt(), nodes.get(i.getAsInt()).with(pod));
        if (Fragmentation.utilisation(nodes) >= 0.7) {
          worst = Math.max(worst, Fragmentation.of(nodes));
          checked++;
        }
      }
      assertTrue(checked > 0, "seed " + seed + " never reached 70 % utilisation");
      assertTrue(worst < 0.25, strategy + " seed " + seed + ": fragmentation " + worst);
    }
  }
}
