package dev.autopilot.runtime.bench.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import picocli.CommandLine;

class BenchScaleCommandTest {
  private static final Config CONFIG = RuntimeConfig.load();

  private record Result(int code, String out, String err) {}

  private static Result execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new BenchScaleCommand(CONFIG));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private static List<ScaleRunSpec> plan(String... args) {
    BenchScaleCommand command = new BenchScaleCommand(CONFIG);
    new CommandLine(command).parseArgs(args);
    return command.plan(ScaleSettings.create(CONFIG));
  }

  @Test
  void withoutOptionsItPlansTheIssuesFourRuns() {
    List<ScaleRunSpec> runs = plan();
    assertEquals(4, runs.size());
    assertEquals(List.of(10, 100, 1000, 1000), runs.stream().map(ScaleRunSpec::pipelines).toList());
    assertEquals(List.of(1, 1, 1, 3), runs.stream().map(ScaleRunSpec::nodes).toList());
    assertTrue(runs.stream().allMatch(r -> r.journal().equals("postgres")));
  }

  @Test
  void givenPipelinesRunOnTheGivenNodes() {
    List<ScaleRunSpec> runs =
        plan("--pipelines", "5,7", "--nodes", "2", "--journal", "h2", "--ticks", "9");
    assertEquals(List.of(5, 7), runs.stream().map(ScaleRunSpec::pipelines).toList());
    assertTrue(runs.stream().allMatch(r -> r.nodes() == 2 && r.ticks() == 9));
    assertTrue(runs.stream().allMatch(r -> r.journal().equals("h2")));
  }

  @Test
  void aBadJournalOrCountIsAUsageError() {
    Result journal = execute("--journal", "mysql");
    assertEquals(2, journal.code());
    assertTrue(journal.err().contains("unknown journal 'mysql'"), journal.err());
    Result ticks = execute("--journal", "h2", "--ticks", "0");
    assertEquals(2, ticks.code());
    assertTrue(ticks.err().contains("--ticks must be >= 1"), ticks.err());
    assertEquals(2, execute("--pipelines", "10,0").code());
  }

  @Test
  void theCommandLineKnowsBenchScale() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl =
        Main.commandLine(
            CONFIG, null, new PrintWriter(out, true), new PrintWriter(err, true), false);
    assertTrue(cl.getSubcommands().get("bench").getSubcommands().containsKey("scale"));
    assertEquals(2, cl.execute("bench", "scale", "--journal", "mysql"));
    assertTrue(err.toString().contains("unknown journal 'mysql'"), err.toString());
  }

  @Test
  void aTinyRunWritesScaleJsonOfTheIssuesShape(@TempDir Path dir) throws Exception {
    Result r =
        execute(
            "--pipelines",
            "3",
            "--ticks",
            "5",
            "--warmup-ticks",
            "1",
            "--journal",
            "h2",
            "--report-dir",
            dir.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("pipelines"), r.out());

    JsonNode root = new ObjectMapper().readTree(Files.readString(dir.resolve("scale.json")));
    JsonNode runs = root.get("runs");
    assertEquals(1, runs.size());
    JsonNode run = runs.get(0);
    assertEquals(3, run.get("pipelines").asInt());
    assertEquals(1, run.get("nodes").asInt());
    JsonNode latency = run.get("decision_latency_ms");
    assertTrue(latency.get("p50").isNumber() && latency.get("p99").isNumber(), latency.toString());
    assertTrue(latency.get("p50").asDouble() > 0);
    assertTrue(latency.get("p50").asDouble() <= latency.get("p99").asDouble());
    assertTrue(run.get("samples_per_second").asDouble() > 0);
    assertTrue(run.get("journal_writes_per_second").isNumber());
    assertTrue(run.get("journal_writes_per_second").asDouble() >= 0);
    assertTrue(run.get("heap_mb").asDouble() > 0);
    // every measured pipeline-tick was closed by its meta-agent
    assertEquals(15, run.get("pipeline_ticks").asLong());
    assertEquals(0, run.get("failed_ticks").asLong());
    assertEquals("h2", run.get("journal").asText());
  }
}
