package dev.autopilot.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autopilot.api.SlaSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsWriterTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<ControllerRun> runs(Scenario scenario, double ticksPerSecond)
      throws Exception {
    FakeScenarioRunner runner = new FakeScenarioRunner(ticksPerSecond);
    List<ControllerRun> runs = new ArrayList<>();
    for (ControllerKind k : scenario.controllers()) {
      runs.add(runner.run(scenario, k, ProgressListener.none()));
    }
    return runs;
  }

  private static List<String> keys(JsonNode node) {
    List<String> keys = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      keys.add(it.next());
    }
    return keys;
  }

  @Test
  void resultsJsonHasTheScenarioAndEveryKeyForAllThreeControllers(@TempDir Path dir)
      throws Exception {
    Scenario scenario = FakeScenarioRunner.scenario(0.5, 7, 2, 20);
    List<ControllerRun> runs = runs(scenario, 5000);
    List<Score> scores = runs.stream().map(Scorer::score).toList();
    List<Path> written = ResultsWriter.write(dir, scenario, runs, scores);

    assertEquals(5, written.size());
    JsonNode root = JSON.readTree(dir.resolve("results.json").toFile());
    assertEquals(List.of("scenario", "controllers"), keys(root));
    JsonNode s = root.get("scenario");
    assertEquals(0.5, s.get("days").asDouble());
    assertEquals(7, s.get("seed").asLong());
    assertEquals(2, s.get("pipelines").asInt());
    assertEquals("generated", s.get("workload").asText());
    assertEquals(20, s.get("faults").asInt());
    assertEquals("autonomous", s.get("mode").asText());
    assertEquals(4320, s.get("ticks").asLong());
    assertEquals(800_000.0, s.get("sla").get("p1").get("throughput_target").asDouble());
    assertTrue(s.get("fault_modes").size() >= 8);

    JsonNode controllers = root.get("controllers");
    assertEquals(List.of("static", "rule-based", "agents"), keys(controllers));
    List<String> expected = Score.FIELDS.stream().map(Score.Field::key).toList();
    assertEquals(
        List.of(
            "sla_violation_pct",
            "violation_minutes",
            "avg_violation_minutes",
            "mttd_seconds",
            "mttr_seconds",
            "auto_recovery_pct",
            "cpu_utilization_pct",
            "memory_utilization_pct",
            "cost_per_million_events",
            "monthly_cost_compute",
            "monthly_cost_storage",
            "monthly_cost_network",
            "config_changes",
            "rollbacks",
            "manual_interventions",
            "faults_injected",
            "faults_detected",
            "rca_top1_pct",
            "cluster_utilization_pct",
            "fragmentation_mean",
            "high_utilization_ticks_pct",
            "low_fragmentation_at_high_utilization_pct",
            "spot_share_pct",
            "spot_withdrawals",
            "ticks_per_second"),
        expected);
    for (JsonNode c : controllers) {
      assertEquals(expected, keys(c));
      assertEquals(20, c.get("faults_injected").asInt());
      assertTrue(c.get("config_changes").isIntegralNumber());
    }
    assertEquals(5000.0, controllers.get("agents").get("ticks_per_second").asDouble());
    assertEquals(100.0, controllers.get("agents").get("auto_recovery_pct").asDouble());
    assertEquals(0.0, controllers.get("static").get("auto_recovery_pct").asDouble());
    assertEquals(30.0, controllers.get("agents").get("mttd_seconds").asDouble());

    JsonNode det = JSON.readTree(dir.resolve("results-deterministic.json").toFile());
    for (JsonNode c : det.get("controllers")) {
      assertEquals(expected.subList(0, expected.size() - 1), keys(c));
    }
  }

  @Test
  void undefinedFiguresAreJsonNull() throws Exception {
    Scenario scenario =
        new Scenario(
            1, 1, 1, Scenario.GENERATED, 1, 1, RunMode.SHADOW, 10, List.of(ControllerKind.STATIC));
    ControllerRun run =
        new ControllerRun(
            ControllerKind.STATIC,
            10,
            1,
            Map.of("p1", new SlaSpec(1, 1, 0)),
            List.of(ScorerTest.rec(0, "p1", 0.5, 0, 0, false)),
            List.of(new FaultRecord("f", "TASK_CRASH", "p1", 0, null, null, false, false)),
            List.of(),
            List.of(),
            1);
    String json = ResultsWriter.json(scenario, List.of(run), List.of(Scorer.score(run)), true);
    JsonNode c = JSON.readTree(json).get("controllers").get("static");
    assertTrue(c.get("mttd_seconds").isNull());
    assertTrue(c.get("mttr_seconds").isNull());
    assertTrue(c.get("cost_per_million_events").isNull());
    assertEquals("shadow", JSON.readTree(json).get("scenario").get("mode").asText());
  }

  @Test
  void sameSeedGivesByteIdenticalDeterministicFilesWhateverTheSpeed(@TempDir Path dir)
      throws Exception {
    Scenario scenario = FakeScenarioRunner.scenario(0.25, 42, 1, 24);
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    List<ControllerRun> runsA = runs(scenario, 1111.1);
    List<ControllerRun> runsB = runs(scenario, 2222.2);
    ResultsWriter.write(a, scenario, runsA, runsA.stream().map(Scorer::score).toList());
    ResultsWriter.write(b, scenario, runsB, runsB.stream().map(Scorer::score).toList());

    assertArrayEquals(
        Files.readAllBytes(a.resolve("results-deterministic.json")),
        Files.readAllBytes(b.resolve("results-deterministic.json")));
    for (ControllerKind k : scenario.controllers()) {
      String trace = ResultsWriter.traceFileName(k);
      assertArrayEquals(Files.readAllBytes(a.resolve(trace)), Files.readAllBytes(b.resolve(trace)));
    }
    // results.json differs only by the wall-clock figure
    String ra = Files.readString(a.resolve("results.json"));
    String rb = Files.readString(b.resolve("results.json"));
    assertNotEquals(ra, rb);
    assertEquals(stripTicksPerSecond(ra), stripTicksPerSecond(rb));
    assertFalse(
        Files.readString(a.resolve("results-deterministic.json")).contains("ticks_per_second"));
  }

  @Test
  void anotherSeedGivesAnotherScenario(@TempDir Path dir) throws Exception {
    Scenario one = FakeScenarioRunner.scenario(0.25, 1, 1, 24);
    Scenario two = FakeScenarioRunner.scenario(0.25, 2, 1, 24);
    List<ControllerRun> r1 = runs(one, 1);
    List<ControllerRun> r2 = runs(two, 1);
    assertNotEquals(
        ResultsWriter.json(one, r1, r1.stream().map(Scorer::score).toList(), false),
        ResultsWriter.json(two, r2, r2.stream().map(Scorer::score).toList(), false));
  }

  @Test
  void numbersUseFixedDecimalsAndNoExponent() throws Exception {
    Scenario scenario = FakeScenarioRunner.scenario(0.25, 3, 1, 20);
    List<ControllerRun> runs = runs(scenario, 1e-7);
    String json =
        ResultsWriter.json(scenario, runs, runs.stream().map(Scorer::score).toList(), true);
    assertFalse(json.matches("(?s).*\\d[eE][+-]?\\d.*"), json);
    assertTrue(json.contains("\"ticks_per_second\" : 0.0"), json);
    assertTrue(json.endsWith("}\n"));
  }

  @Test
  void traceHasAHeaderAndOneLinePerRecordWithQuotedLists(@TempDir Path dir) throws Exception {
    ControllerRun run =
        new ControllerRun(
            ControllerKind.AGENTS,
            10,
            2,
            Map.of("p1", new SlaSpec(1, 1, 0)),
            List.of(
                new TickRecord(
                    0, "p1", 1.25, 1.0, 100.0, 2.0, 64, 16, 0.5, 0.1, 10, false, List.of(),
                    List.of()),
                new TickRecord(
                    1,
                    "p1",
                    1.25,
                    1.0,
                    100.0,
                    2.0,
                    64,
                    16,
                    0.5,
                    0.2,
                    20,
                    true,
                    List.of("f1", "f2"),
                    List.of("rescale {source=4, parse=5}"))),
            List.of(),
            List.of(),
            List.of(),
            1);
    Path file = dir.resolve("t.csv");
    ResultsWriter.writeTrace(file, run);
    List<String> lines = Files.readAllLines(file);
    assertEquals(3, lines.size());
    assertEquals(ResultsWriter.TRACE_HEADER, lines.get(0));
    assertEquals("0,p1,1.3,1.0,100.00,2.0,64,16,0.5000,0.100000,10,false,,", lines.get(1));
    assertEquals(
        "1,p1,1.3,1.0,100.00,2.0,64,16,0.5000,0.200000,20,true,f1;f2,\"rescale {source=4,"
            + " parse=5}\"",
        lines.get(2));
  }

  private static String stripTicksPerSecond(String json) {
    return json.replaceAll("(?m)^.*\"ticks_per_second\".*$", "")
        .replaceAll(",\\s*\\n\\s*\\n", "\n");
  }
}
