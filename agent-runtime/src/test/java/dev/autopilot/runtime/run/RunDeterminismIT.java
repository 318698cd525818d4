package dev.autopilot.runtime.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
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
 * The main job end to end on a short scenario: the three controllers run through the real runner
 * (the agents on a one-node cluster with an H2 journal), and the same seed gives byte-identical
 * deterministic results and traces, while another seed does not.
 */
class RunDeterminismIT {
  private static final List<String> FILES =
      List.of("results-deterministic.json", "trace-static.csv", "trace-rule-based.csv", "trace-agents.csv");

  @Test
  void sameSeedGivesByteIdenticalResults(@TempDir Path dir) throws Exception {
    Path a = run(dir, "a", 42);
    Path b = run(dir, "b", 42);
    for (String f : FILES) {
      assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
    }
    Path c = run(dir, "c", 43);
    assertFalse(
        java.util.Arrays.equals(
            Files.readAllBytes(a.resolve("trace-agents.csv")),
            Files.readAllBytes(c.resolve("trace-agents.csv"))),
        "another seed gives another run");

    JsonNode results = new ObjectMapper().readTree(a.resolve("results.json").toFile());
    for (String controller : List.of("static", "rule-based", "agents")) {
      JsonNode c0 = results.path("controllers").path(controller);
      assertFalse(c0.isMissingNode(), controller);
      for (String key :
          List.of(
              "sla_violation_pct", "violation_minutes", "mttd_seconds", "mttr_seconds",
              "auto_recovery_pct", "cpu_utilization_pct", "cost_per_million_events",
              "config_changes", "rollbacks", "faults_injected", "faults_detected",
              "ticks_per_second")) {
        assertTrue(c0.has(key), controller + " lacks " + key);
      }
      assertTrue(c0.get("faults_injected").asInt() >= 3, controller + " saw the planned faults");
      assertTrue(c0.get("ticks_per_second").asDouble() > 0);
    }
    assertTrue(Files.readString(a.resolve("report.html")).contains("<svg"));
  }

  private static Path run(Path dir, String name, long seed) {
    Path report = dir.resolve(name);
    Config config = RuntimeConfig.load();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.commandLine(
                config,
                new SimulationRunner(config, dir.resolve("journal-" + name)),
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                false)
            .execute(
                "run", "--days", "0.25", "--faults", "4", "--seed", Long.toString(seed),
                "--report-dir", report.toString());
    assertEquals(0, code, () -> "run failed: " + err);
    assertNotNull(out.toString());
    return report;
  }
}
