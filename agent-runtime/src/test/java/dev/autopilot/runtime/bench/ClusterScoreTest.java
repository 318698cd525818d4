package dev.autopilot.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autopilot.api.SlaSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The node-pool figures: fragmentation, utilisation, spot share, withdrawals, cost by part. */
class ClusterScoreTest {

  private static ControllerRun run(ClusterRun cluster) {
    List<TickRecord> ticks = List.of(ScorerTest.rec(0, "p1", 0.5, 3, 1e6, false));
    return new ControllerRun(
        ControllerKind.AGENTS,
        10,
        4,
        Map.of("p1", new SlaSpec(800_000, 500, 0.05)),
        ticks,
        List.of(),
        List.of(),
        List.of(),
        100,
        List.of(),
        List.of(),
        OptimizerCounts.NONE,
        cluster);
  }

  @Test
  void figuresAreMeansAndSharesOverTicks() {
    ClusterRun cluster =
        new ClusterRun(
            List.of(
                new ClusterTick(0, 0.5, 0.10, 3, 1, 8, 5),
                new ClusterTick(1, 0.7, 0.20, 3, 1, 8, 5),
                new ClusterTick(2, 0.9, 0.30, 3, 1, 8, 4),
                new ClusterTick(3, 0.6, 0.00, 3, 0, 0, 0)),
            List.of(new SpotWithdrawalRecord(2, "node-03", 1)),
            Map.of(
                "p1", new CostParts(1, 0.5, 0.1, 0.2, 0),
                "p2", new CostParts(2, 0.5, 0.1, 0, 0.3)));
    ClusterScore c = Scorer.cluster(run(cluster));
    assertEquals(100 * (0.5 + 0.7 + 0.9 + 0.6) / 4, c.clusterUtilizationPct(), 1e-9);
    assertEquals(0.15, c.fragmentationMean(), 1e-12);
    // ticks 1 and 2 at >= 70 %; of them tick 1 under 0.25
    assertEquals(50.0, c.highUtilizationTicksPct(), 1e-12);
    assertEquals(50.0, c.lowFragmentationAtHighUtilizationPct(), 1e-12);
    // the tick without pods is left out: (5/8 + 5/8 + 4/8) / 3
    assertEquals(100 * (14.0 / 8) / 3, c.spotSharePct(), 1e-9);
    assertEquals(1, c.spotWithdrawals());
    assertEquals(1, c.podsMigrated());
    assertEquals(new CostParts(3, 1, 0.2, 0.2, 0.3), c.cost());
    assertEquals(c, Scorer.score(run(cluster)).cluster());
  }

  @Test
  void withoutClusterTicksThereAreNoFiguresAndJsonNulls() throws Exception {
    Score s = Scorer.score(run(ClusterRun.EMPTY));
    assertNull(s.cluster());
    ClusterScore lowUtil =
        Scorer.cluster(
            run(new ClusterRun(List.of(new ClusterTick(0, 0.3, 0.1, 3, 1, 8, 5)), null, null)));
    assertNull(lowUtil.lowFragmentationAtHighUtilizationPct());

    Scenario scenario =
        new Scenario(
            1,
            1,
            1,
            Scenario.GENERATED,
            1,
            1,
            RunMode.AUTONOMOUS,
            10,
            List.of(ControllerKind.AGENTS));
    JsonNode none =
        new ObjectMapper()
            .readTree(
                ResultsWriter.json(scenario, List.of(run(ClusterRun.EMPTY)), List.of(s), true));
    JsonNode agents = none.get("controllers").get("agents");
    assertEquals(true, agents.get("fragmentation_mean").isNull());
    assertNull(agents.get("cost_breakdown"));
  }

  @Test
  void resultsJsonCarriesTheCostBreakdown() throws Exception {
    ControllerRun r =
        run(
            new ClusterRun(
                List.of(new ClusterTick(0, 0.75, 0.12, 3, 1, 8, 5)),
                List.of(new SpotWithdrawalRecord(0, "node-03", 5)),
                Map.of("p1", new CostParts(2.5, 0.75, 0.125, 0.0625, 0))));
    Scenario scenario =
        new Scenario(
            1,
            1,
            1,
            Scenario.GENERATED,
            1,
            1,
            RunMode.AUTONOMOUS,
            10,
            List.of(ControllerKind.AGENTS));
    JsonNode agents =
        new ObjectMapper()
            .readTree(ResultsWriter.json(scenario, List.of(r), List.of(Scorer.score(r)), false))
            .get("controllers")
            .get("agents");
    assertEquals(0.12, agents.get("fragmentation_mean").asDouble(), 1e-12);
    assertEquals(100.0, agents.get("low_fragmentation_at_high_utilization_pct").asDouble());
    assertEquals(62.5, agents.get("spot_share_pct").asDouble());
    assertEquals(1, agents.get("spot_withdrawals").asInt());
    JsonNode cost = agents.get("cost_breakdown");
    assertEquals(2.5, cost.get("compute_on_demand").asDouble());
    assertEquals(0.75, cost.get("compute_spot").asDouble());
    assertEquals(0.125, cost.get("storage_ssd").asDouble());
    assertEquals(0.0625, cost.get("storage_block").asDouble());
    assertEquals(0.0, cost.get("storage_object").asDouble());
    assertEquals(3.4375, cost.get("total").asDouble());
    assertEquals(5, cost.get("spot_pods_migrated").asInt());
  }
}
