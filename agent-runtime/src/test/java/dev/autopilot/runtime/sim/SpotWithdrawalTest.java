package dev.autopilot.runtime.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.api.PlatformException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Spot capacity in the simulator: a latency-tolerant pipeline runs 60 % of its TaskManagers on spot
 * nodes, a latency-sensitive one none; a withdrawal moves the TaskManagers of the reclaimed node to
 * on-demand nodes, the pipeline restarts, and its cost shifts from spot to on-demand.
 */
class SpotWithdrawalTest {

  private static final String P = "p1";

  private static final SimSettings NO_PLANNED_WITHDRAWALS =
      SimSettings.create(
          ConfigFactory.parseString("autopilot.simulation.cluster.spot-withdrawals-per-day = 0")
              .withFallback(ConfigFactory.load()));

  /** No spare node: the on-demand pool has no room for the migrated pods without a new node. */
  private static final SimSettings TIGHT =
      SimSettings.create(
          ConfigFactory.parseString(
                  "autopilot.simulation.cluster { spare-nodes = 0, min-nodes = 1 }")
              .withFallback(
                  ConfigFactory.parseString(
                      "autopilot.simulation.cluster.spot-withdrawals-per-day = 0"))
              .withFallback(ConfigFactory.load()));

  private static SimulatedPlatform platform(Map<String, Double> bounds) {
    return platform(NO_PLANNED_WITHDRAWALS, bounds);
  }

  private static SimulatedPlatform platform(SimSettings settings, Map<String, Double> bounds) {
    Workload w = tick -> 850_000;
    return new SimulatedPlatform(
        settings, new Scenario(7, 1, List.of(P), w, FaultSchedule.none()), bounds);
  }

  @Test
  void aTolerantPipelineRunsSixtyPercentOnSpotASensitiveOneNone() {
    ClusterStats tolerant = platform(Map.of(P, 500.0)).clusterStats();
    assertEquals(8, tolerant.pods());
    assertEquals(5, tolerant.spotPods()); // round(0.6 * 8)
    assertEquals(1, tolerant.spotNodes());
    ClusterStats sensitive = platform(Map.of(P, 100.0)).clusterStats();
    assertEquals(0, sensitive.spotPods());
    assertEquals(0, sensitive.spotNodes());
  }

  @Test
  void aWithdrawalMovesThePodsToOnDemandNodesAndShiftsTheCost() {
    // one on-demand node (3 pods) and one spot node (5 pods); 4 of the 5 fit next to the 3
    SimulatedPlatform sim = platform(TIGHT, Map.of());
    assertEquals(2, sim.nodeCount());
    SimFixtures.advance(sim, 30);
    List<String> spotNodes = sim.spotNodesOf(P);
    assertEquals(1, spotNodes.size());
    String node = spotNodes.get(0);
    CostBreakdown c0 = sim.costBreakdown(P);
    SimFixtures.advance(sim, 60);
    CostBreakdown c1 = sim.costBreakdown(P);
    double spotRateBefore = c1.computeSpot() - c0.computeSpot();
    double onDemandRateBefore = c1.computeOnDemand() - c0.computeOnDemand();
    assertTrue(spotRateBefore > 0);
    long restartsBefore = sim.observe(P).job().restartsTotal();

    SpotWithdrawal w = sim.withdrawSpotNode(node);
    assertEquals(5, w.podsMigrated());
    assertEquals(node, w.nodeId());
    assertEquals(List.of(w), sim.spotWithdrawals());
    // notice (120 s) plus, at worst, a new on-demand node (5 min) and the pod start and restart
    SimFixtures.advance(sim, 60);

    assertTrue(sim.spotNodesOf(P).isEmpty(), "no pod left on spot: " + sim.spotNodesOf(P));
    assertFalse(sim.nodesOf(P).contains(node));
    ClusterStats after = sim.clusterStats();
    assertEquals(0, after.spotPods());
    assertEquals(8, after.pods());
    assertEquals(0, after.spotNodes(), "the reclaimed node is gone");
    assertTrue(
        sim.observe(P).job().restartsTotal() > restartsBefore, "the pipeline paid a restart");
    assertEquals(8, sim.observe(P).job().runningTaskManagers());

    CostBreakdown c2 = sim.costBreakdown(P);
    SimFixtures.advance(sim, 60);
    CostBreakdown c3 = sim.costBreakdown(P);
    assertEquals(0, c3.computeSpot() - c2.computeSpot(), 1e-12);
    double onDemandRateAfter = c3.computeOnDemand() - c2.computeOnDemand();
    // 10 minutes: one on-demand and one spot node before, two on-demand nodes after
    SimSettings.ClusterSettings cl = TIGHT.cluster();
    assertEquals(
        (cl.onDemandPricePerHour() + cl.spotPricePerHour()) / 6,
        onDemandRateBefore + spotRateBefore,
        1e-9);
    assertEquals(2 * cl.onDemandPricePerHour() / 6, onDemandRateAfter, 1e-9);
    assertEquals(2, sim.nodeCount());
    assertEquals(c3.total(), sim.truth(P).costSoFar(), 1e-9);

    assertThrows(PlatformException.class, () -> sim.withdrawSpotNode(node));
    assertThrows(PlatformException.class, () -> sim.withdrawSpotNode(sim.nodesOf(P).get(0)));
  }

  @Test
  void plannedWithdrawalsFollowTheSeedAndTheRate() {
    Workload w = tick -> 850_000;
    Scenario scenario = new Scenario(11, 3, List.of(P), w, FaultSchedule.none());
    SimSettings often =
        SimSettings.create(
            ConfigFactory.parseString("autopilot.simulation.cluster.spot-withdrawals-per-day = 4")
                .withFallback(ConfigFactory.load()));
    SimulatedPlatform a = new SimulatedPlatform(often, scenario);
    SimulatedPlatform b = new SimulatedPlatform(often, scenario);
    SimFixtures.advance(a, 3 * 8640 - 1);
    SimFixtures.advance(b, 3 * 8640 - 1);
    assertFalse(a.spotWithdrawals().isEmpty());
    assertEquals(a.spotWithdrawals(), b.spotWithdrawals());
    assertEquals(a.truth(P).costSoFar(), b.truth(P).costSoFar(), 0);
    SimulatedPlatform none = new SimulatedPlatform(NO_PLANNED_WITHDRAWALS, scenario);
    SimFixtures.advance(none, 8640);
    assertTrue(none.spotWithdrawals().isEmpty());
  }
}
