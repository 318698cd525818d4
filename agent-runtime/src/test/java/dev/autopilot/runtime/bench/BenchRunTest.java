package dev.autopilot.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.runtime.Main;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.metrics.AutopilotMetrics;
import dev.autopilot.runtime.run.SimulationRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny bench on the simulator (two scenarios of 0.02 days, two baselines) and a `run` of the
 * same: bench.json's shape, its metric names against results.json's, the one progress bar, and
 * bench.html's chart section per scenario.
 */
class BenchRunTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static JsonNode bench;
  private static JsonNode results;
  private static String html;
  private static String benchOut;
  private static String benchErr;

  @BeforeAll
  static void runBenchAndRun() throws Exception {
    Config config = RuntimeConfig.load();
    ScenarioRunner runner = new SimulationRunner(config, dir.resolve("data"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.commandLine(config, runner, new PrintWriter(out), new PrintWriter(err), false)
            .execute(
                "bench",
                "--scenario",
                "network-partition,marathon",
                "--days",
                "0.02",
                "--controllers",
                "static,rule-based",
                "--report-dir",
                dir.resolve("bench").toString());
    benchOut = out.toString();
    benchErr = err.toString();
    assertEquals(0, code, benchErr);
    bench = JSON.readTree(dir.resolve("bench").resolve(BenchReport.JSON).toFile());
    html = Files.readString(dir.resolve("bench").resolve(BenchReport.HTML), StandardCharsets.UTF_8);
    StringWriter runErr = new StringWriter();
    code =
        Main.commandLine(
                config, runner, new PrintWriter(new StringWriter()), new PrintWriter(runErr), false)
            .execute(
                "run",
                "--scenario",
                "network-partition",
                "--days",
                "0.02",
                "--controllers",
                "static,rule-based",
                "--report-dir",
                dir.resolve("run").toString());
    assertEquals(0, code, runErr.toString());
    results = JSON.readTree(dir.resolve("run").resolve(ResultsWriter.RESULTS).toFile());
  }

  private static List<String> keys(JsonNode node) {
    List<String> keys = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      keys.add(it.next());
    }
    return keys;
  }

  @Test
  void benchJsonHasEveryScenarioWithItsParametersAndControllers() {
    assertEquals(List.of("software_version", "scenarios"), keys(bench));
    String version = AutopilotMetrics.buildVersion();
    assertEquals(version, bench.get("software_version").asText());
    JsonNode scenarios = bench.get("scenarios");
    assertEquals(List.of("network-partition", "marathon"), keys(scenarios));
    for (JsonNode s : scenarios) {
      assertEquals(42, s.get("seed").asLong());
      assertEquals(0.02, s.get("days").asDouble(), 0);
      assertEquals(10, s.get("tick_seconds").asInt());
      assertEquals(173, s.get("ticks").asLong());
      assertEquals(version, s.get("software_version").asText());
      assertTrue(s.get("wall_seconds").asDouble() >= 0);
      assertEquals(0, s.get("warnings").size(), s.get("warnings").toString());
      assertEquals(List.of("static", "rule-based"), keys(s.get("controllers")));
    }
  }

  @Test
  void theMetricNamesAreThoseOfResultsJson() {
    JsonNode run = results.get("controllers");
    JsonNode benched = bench.get("scenarios").get("network-partition").get("controllers");
    for (String controller : List.of("static", "rule-based")) {
      assertEquals(keys(run.get(controller)), keys(benched.get(controller)));
      for (String key : keys(run.get(controller))) {
        if (!key.equals("ticks_per_second")) {
          assertEquals(run.get(controller).get(key), benched.get(controller).get(key), key);
        }
      }
    }
    List<String> figures = Score.FIELDS.stream().map(Score.Field::key).toList();
    assertEquals(figures, keys(benched.get("static")).subList(0, figures.size()));
    for (String key :
        List.of(
            "avg_violation_minutes",
            "memory_utilization_pct",
            "monthly_cost_compute",
            "monthly_cost_storage",
            "monthly_cost_network",
            "manual_interventions")) {
      assertTrue(figures.contains(key), key);
    }
    assertTrue(benched.get("static").get("memory_utilization_pct").asDouble() > 0);
    assertTrue(benched.get("static").get("monthly_cost_compute").asDouble() > 0);
  }

  @Test
  void oneProgressBarCoversEveryScenarioAndController() {
    // not a terminal: plain lines, all labelled "bench", counting up to 2 scenarios x 2 x 173
    List<String> lines = benchErr.lines().filter(l -> l.contains(" ticks, ")).toList();
    assertTrue(lines.stream().allMatch(l -> l.startsWith("bench ")), benchErr);
    assertTrue(lines.get(lines.size() - 1).contains("100.0% 692/692 ticks"), benchErr);
  }

  @Test
  void eachTableStatesSeedDurationAndVersion() {
    String version = AutopilotMetrics.buildVersion();
    for (String name : List.of("network-partition", "marathon")) {
      assertTrue(
          benchOut.contains(
              "Scenario "
                  + name
                  + ": seed 42, 0.02 days (173 ticks of 10 s), autopilot "
                  + version),
          benchOut);
    }
  }

  @Test
  void aNetworkPriceAddsTheNetworkPartToTheCost() throws Exception {
    Scenario scenario =
        new Scenario(
            0.01,
            42,
            1,
            Scenario.GENERATED,
            1,
            1,
            RunMode.AUTONOMOUS,
            10,
            List.of(ControllerKind.STATIC));
    Config free = RuntimeConfig.load();
    Config priced =
        ConfigFactory.parseString("autopilot.simulation.cluster.network-price-per-gb = 0.01")
            .withFallback(free);
    Score a =
        Scorer.score(
            new SimulationRunner(free, dir.resolve("n0"))
                .run(scenario, ControllerKind.STATIC, ProgressListener.none()));
    Score b =
        Scorer.score(
            new SimulationRunner(priced, dir.resolve("n1"))
                .run(scenario, ControllerKind.STATIC, ProgressListener.none()));
    assertEquals(0.0, a.monthlyCost().network());
    assertTrue(b.monthlyCost().network() > 0, b.monthlyCost().toString());
    // the traffic does not change the physics: compute and storage stay, the total grows
    assertEquals(a.monthlyCost().compute(), b.monthlyCost().compute(), 1e-9);
    assertEquals(a.monthlyCost().storage(), b.monthlyCost().storage(), 1e-9);
    assertEquals(
        a.monthlyCost().total() + b.monthlyCost().network(), b.monthlyCost().total(), 1e-6);
    assertTrue(b.costPerMillionEvents() > a.costPerMillionEvents());
  }

  @Test
  void benchHtmlHasOneChartSectionPerScenario() {
    Matcher m = Pattern.compile("<section id=\"scenario-([a-z-]+)\"").matcher(html);
    List<String> sections = new ArrayList<>();
    while (m.find()) {
      sections.add(m.group(1));
    }
    assertEquals(List.of("network-partition", "marathon"), sections);
    for (String part : html.split("<section ")) {
      if (part.startsWith("id=\"scenario-")) {
        // two comparison charts, then three per controller and pipeline: 2 + 2 x 1 x 3
        assertEquals(8, part.split("<svg ", -1).length - 1);
        assertTrue(part.contains("Demand vs each controller"), part);
        assertTrue(part.contains("p99 latency of each controller"), part);
      }
    }
    assertTrue(html.endsWith("</html>\n"));
  }
}
