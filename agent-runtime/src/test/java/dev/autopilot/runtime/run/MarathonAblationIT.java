package dev.autopilot.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.runtime.Main;
import dev.autopilot.runtime.RuntimeConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --workload marathon --faults 0 --ablate prediction} through the real runner, on a
 * short marathon (the surge moved to the first hour): the complete team and the team without the
 * prediction agent run over the same load; only the complete team can pre-scale.
 */
class MarathonAblationIT {

  @Test
  void theAblatedTeamRunsWithoutThePredictionAgent(@TempDir Path dir) throws Exception {
    Config config =
        RuntimeConfig.load(
            "local",
            ConfigFactory.parseString(
                "autopilot.simulation.marathon { surge-start = 30 minutes, ramp-up = 15 minutes,"
                    + " hold = 20 minutes, ramp-down = 10 minutes }"));
    Path report = dir.resolve("r");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.commandLine(
                config,
                new SimulationRunner(config, dir.resolve("journal")),
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                false)
            .execute(
                "run", "--days", "0.06", "--workload", "marathon", "--faults", "0",
                "--controllers", "agents", "--ablate", "prediction",
                "--report-dir", report.toString());
    assertEquals(0, code, () -> "run failed: " + err);
    JsonNode results = new ObjectMapper().readTree(report.resolve("results.json").toFile());
    assertEquals("marathon", results.path("scenario").path("workload").asText());
    for (String c : List.of("agents", "agents-no-prediction")) {
      assertTrue(results.path("controllers").path(c).has("violation_minutes"), c);
    }
    List<String> full = Files.readAllLines(report.resolve("trace-agents.csv"));
    List<String> ablated = Files.readAllLines(report.resolve("trace-agents-no-prediction.csv"));
    assertEquals(full.size(), ablated.size());
    double peak =
        full.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[2])).max().orElse(0);
    assertEquals(5_200_000, peak, 1, "the surge reaches its peak");
    assertFalse(
        ablated.stream().anyMatch(l -> l.contains("pre-scale for")),
        "no pre-scale without the prediction agent");
  }
}
