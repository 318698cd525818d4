package dev.autopilot.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.runtime.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RunCommandTest {

  private static final Config CONFIG = ConfigFactory.parseResources("bench.conf").resolve();

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int execute(ScenarioRunner runner, String... args) {
    return Main.commandLine(CONFIG, runner, new PrintWriter(out), new PrintWriter(err), false)
        .execute(args);
  }

  @Test
  void helpListsEveryOptionWithItsDefault() {
    assertEquals(0, execute(new FakeScenarioRunner(1), "run", "--help"));
    String help = out.toString().replaceAll("\\s+", " ");
    for (String option :
        List.of(
            "--days",
            "--seed",
            "--pipelines",
            "--workload",
            "--faults",
            "--mode",
            "--report-dir",
            "--controllers",
            "--help",
            "--verbose")) {
      assertTrue(help.contains(option), option + " in\n" + help);
    }
    assertTrue(help.contains("Simulated days (default: 7)"), help);
    assertTrue(help.contains("(default: 24)"), help);
    assertTrue(help.contains("(default: ./report)"), help);
    assertTrue(help.replace(" ", "").contains("(default:static,rule-based,agents)"), help);
    assertTrue(help.contains("(default: autonomous)"), help);
  }

  @Test
  void topLevelHelpListsRunAndNoCommandIsAUsageError() {
    assertEquals(0, execute(null, "--help"));
    assertTrue(out.toString().contains("run"), out.toString());
    assertEquals(2, execute(null));
    assertTrue(err.toString().contains("Missing command"), err.toString());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--days|-1|--days must be a positive number of days",
        "--days|0|--days must be a positive number of days",
        "--days|0.00001|shorter than one tick",
        "--days|abc|Invalid value for option '--days'",
        "--pipelines|0|--pipelines must be >= 1",
        "--faults|0|--faults must be >= 1",
        "--faults|-3|--faults must be >= 1",
        "--faults|0|--faults must be >= 1 (0 only with --workload marathon), was 0",
        "--ablate|recovery|--ablate: unknown agent 'recovery', expected prediction",
        "--controllers|agents,agent|unknown controller 'agent'",
        "--mode|approval|unknown mode 'approval', expected autonomous or shadow",
        "--workload|/no/such/file.csv|no such file '/no/such/file.csv'",
        "--controllers|static,manual|unknown controller 'manual'",
        "--controllers|static,static|'static' is listed twice",
        "--controllers|''|unknown controller ''",
        "--seed|x|Invalid value for option '--seed'",
        "--bogus|1|Unknown option"
      })
  void badOptionsAreUsageErrorsWithAClearMessage(String option, String value, String message) {
    FakeScenarioRunner runner = new FakeScenarioRunner(1);
    assertEquals(2, execute(runner, "run", option, value));
    assertTrue(err.toString().contains(message), err.toString());
    assertTrue(runner.calls.isEmpty(), "nothing ran");
  }

  @Test
  void aReportDirThatIsAFileIsAUsageError(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("taken"), "x");
    assertEquals(2, execute(new FakeScenarioRunner(1), "run", "--report-dir", file.toString()));
    assertTrue(err.toString().contains("exists and is not a directory"), err.toString());
  }

  @Test
  void aReportDirUnderAFileIsAUsageError(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("taken"), "x");
    String under = file.resolve("a/b").toString();
    assertEquals(2, execute(new FakeScenarioRunner(1), "run", "--report-dir", under));
    assertTrue(err.toString().contains("exists and is not a directory"), err.toString());
  }

  @Test
  void anIoFailureNamesTheError(@TempDir Path dir) {
    ScenarioRunner failing =
        (s, c, p) -> {
          throw new java.nio.file.AccessDeniedException("/data/trace");
        };
    assertEquals(1, execute(failing, "run", "--days", "0.1", "--report-dir", dir.toString()));
    assertTrue(
        err.toString().contains("autopilot run: failed: AccessDeniedException: /data/trace"),
        err.toString());
  }

  @Test
  void aDirectoryGivenAsWorkloadIsAUsageError(@TempDir Path dir) {
    assertEquals(2, execute(new FakeScenarioRunner(1), "run", "--workload", dir.toString()));
    assertTrue(err.toString().contains("is not a readable file"), err.toString());
  }

  @Test
  void runsEveryControllerAndWritesAllFiles(@TempDir Path dir) throws Exception {
    FakeScenarioRunner runner = new FakeScenarioRunner(321);
    Path report = dir.resolve("out");
    int code =
        execute(
            runner,
            "run",
            "--days",
            "0.25",
            "--seed",
            "9",
            "--pipelines",
            "2",
            "--report-dir",
            report.toString(),
            "--mode",
            "SHADOW");
    assertEquals(0, code, err.toString());
    assertEquals(
        List.of(ControllerKind.STATIC, ControllerKind.RULE_BASED, ControllerKind.AGENTS),
        runner.calls);
    for (String f :
        List.of(
            "results.json",
            "results-deterministic.json",
            "trace-static.csv",
            "trace-rule-based.csv",
            "trace-agents.csv",
            "report.html")) {
      assertTrue(Files.isRegularFile(report.resolve(f)), f);
      assertTrue(out.toString().contains("wrote " + report.resolve(f)), out.toString());
    }
    JsonNode json = new ObjectMapper().readTree(report.resolve("results.json").toFile());
    assertEquals("shadow", json.get("scenario").get("mode").asText());
    assertEquals(9, json.get("scenario").get("seed").asLong());
    assertEquals(24, json.get("scenario").get("faults").asInt());
    assertEquals(2160, json.get("scenario").get("ticks").asLong());
    assertTrue(
        out.toString().matches("(?s).*metric\\s+static\\s+rule-based\\s+agents.*"), out.toString());
    // progress bars on stderr, plain lines without a terminal
    assertTrue(err.toString().contains("agents     100.0% 2160/2160 ticks"), err.toString());
    assertTrue(err.toString().contains("rule-based 100.0% 2160/2160 ticks"), err.toString());
    assertFalse(err.toString().contains("warning"), err.toString());
  }

  @Test
  void aSubsetOfControllersAndACsvWorkload(@TempDir Path dir) throws Exception {
    Path csv =
        Files.writeString(dir.resolve("load.csv"), "timestamp,value\n2014-07-01 00:00:00,10844\n");
    FakeScenarioRunner runner = new FakeScenarioRunner(1);
    int code =
        execute(
            runner,
            "run",
            "--days",
            "0.1",
            "--controllers",
            "agents,static",
            "--workload",
            csv.toString(),
            "--faults",
            "3",
            "--report-dir",
            dir.resolve("r").toString());
    assertEquals(0, code, err.toString());
    assertEquals(List.of(ControllerKind.AGENTS, ControllerKind.STATIC), runner.calls);
    JsonNode json = new ObjectMapper().readTree(dir.resolve("r/results.json").toFile());
    List<String> names = new ArrayList<>();
    json.get("controllers").fieldNames().forEachRemaining(names::add);
    assertEquals(List.of("agents", "static"), names);
    assertEquals(csv.toString(), json.get("scenario").get("workload").asText());
    assertEquals(3, json.get("scenario").get("min_fault_kinds").asInt());
  }

  @Test
  void ablatePredictionRunsTheAgentsWithAndWithoutItOnTheMarathon(@TempDir Path dir)
      throws Exception {
    FakeScenarioRunner runner = new FakeScenarioRunner(1);
    Path report = dir.resolve("r");
    int code =
        execute(
            runner,
            "run",
            "--days",
            "0.1",
            "--workload",
            "marathon",
            "--faults",
            "0",
            "--controllers",
            "rule-based,agents",
            "--ablate",
            "prediction",
            "--report-dir",
            report.toString());
    assertEquals(0, code, err.toString());
    assertEquals(
        List.of(
            ControllerKind.RULE_BASED, ControllerKind.AGENTS, ControllerKind.AGENTS_NO_PREDICTION),
        runner.calls);
    JsonNode json = new ObjectMapper().readTree(report.resolve("results.json").toFile());
    assertEquals("marathon", json.get("scenario").get("workload").asText());
    assertEquals(0, json.get("scenario").get("faults").asInt());
    assertEquals(0, json.get("scenario").get("min_fault_kinds").asInt());
    for (String c : List.of("rule-based", "agents", "agents-no-prediction")) {
      assertTrue(
          json.get("controllers").get(c).get("violation_minutes").isNumber(), c + ": " + json);
    }
    assertTrue(Files.isRegularFile(report.resolve("trace-agents-no-prediction.csv")));
    assertTrue(
        out.toString().matches("(?s).*metric\\s+rule-based\\s+agents\\s+agents-no-prediction.*"),
        out.toString());
    assertTrue(out.toString().contains("workload marathon, 0 faults"), out.toString());
    assertFalse(err.toString().contains("warning"), err.toString());
  }

  @Test
  void theAblatedControllerIsNotRunTwice(@TempDir Path dir) {
    FakeScenarioRunner runner = new FakeScenarioRunner(1);
    int code =
        execute(
            runner,
            "run",
            "--days",
            "0.05",
            "--controllers",
            "agents-no-prediction,static",
            "--ablate",
            "PREDICTION",
            "--report-dir",
            dir.toString());
    assertEquals(0, code, err.toString());
    assertEquals(List.of(ControllerKind.AGENTS_NO_PREDICTION, ControllerKind.STATIC), runner.calls);
  }

  @Test
  void bothAgentsCanBeAblatedAsAListOrARepeatedOption(@TempDir Path dir) {
    FakeScenarioRunner listed = new FakeScenarioRunner(1);
    int code =
        execute(
            listed,
            "run",
            "--days",
            "0.05",
            "--controllers",
            "static,agents",
            "--ablate",
            "prediction,optimization",
            "--report-dir",
            dir.resolve("a").toString());
    assertEquals(0, code, err.toString());
    assertEquals(
        List.of(
            ControllerKind.STATIC,
            ControllerKind.AGENTS,
            ControllerKind.AGENTS_NO_PREDICTION,
            ControllerKind.AGENTS_NO_OPTIMIZATION),
        listed.calls);

    FakeScenarioRunner repeated = new FakeScenarioRunner(1);
    code =
        execute(
            repeated,
            "run",
            "--days",
            "0.05",
            "--controllers",
            "agents",
            "--ablate",
            "optimization",
            "--ablate",
            "prediction",
            "--report-dir",
            dir.resolve("b").toString());
    assertEquals(0, code, err.toString());
    assertEquals(
        List.of(
            ControllerKind.AGENTS,
            ControllerKind.AGENTS_NO_OPTIMIZATION,
            ControllerKind.AGENTS_NO_PREDICTION),
        repeated.calls);
  }

  @Test
  void aControllerThatCannotRunFailsBeforeAnyRuns(@TempDir Path dir) {
    FakeScenarioRunner fake = new FakeScenarioRunner(1);
    ScenarioRunner noPolicy =
        new ScenarioRunner() {
          @Override
          public ControllerRun run(Scenario s, ControllerKind c, ProgressListener p) {
            return fake.run(s, c, p);
          }

          @Override
          public void preflight(Scenario s) {
            throw new IllegalStateException("controller agents-learned: no policy bundle");
          }
        };
    int code =
        execute(
            noPolicy,
            "run",
            "--days",
            "0.05",
            "--controllers",
            "agents,agents-learned",
            "--report-dir",
            dir.toString());
    assertEquals(1, code);
    assertTrue(
        err.toString().contains("controller agents-learned: no policy bundle"), err.toString());
    assertTrue(fake.calls.isEmpty(), "nothing ran");
  }

  @Test
  void aFailingRunnerExitsWithOneAndAMessageWithoutStackTrace(@TempDir Path dir) {
    ScenarioRunner broken =
        (s, c, p) -> {
          throw new IllegalStateException(
              "simulator exploded", new ArithmeticException("overflow"));
        };
    assertEquals(1, execute(broken, "run", "--days", "0.1", "--report-dir", dir.toString()));
    String e = err.toString();
    assertTrue(e.contains("autopilot run: failed: simulator exploded: overflow"), e);
    assertTrue(e.contains("--verbose"), e);
    assertFalse(e.contains("\tat "), e);
  }

  @Test
  void verboseAddsTheStackTrace(@TempDir Path dir) {
    ScenarioRunner broken =
        (s, c, p) -> {
          throw new IllegalStateException("simulator exploded");
        };
    assertEquals(
        1, execute(broken, "run", "--verbose", "--days", "0.1", "--report-dir", dir.toString()));
    assertTrue(err.toString().contains("\tat "), err.toString());
  }

  @Test
  void withoutARunnerTheRunFailsClearly(@TempDir Path dir) {
    assertEquals(1, execute(null, "run", "--report-dir", dir.toString()));
    assertTrue(err.toString().contains("no scenario runner is available"), err.toString());
  }

  @Test
  void warnsWhenTheControllersDidNotFaceTheSameFaults(@TempDir Path dir) {
    FakeScenarioRunner fake = new FakeScenarioRunner(1);
    ScenarioRunner skewed =
        (s, c, p) -> {
          Scenario other =
              c == ControllerKind.AGENTS
                  ? new Scenario(
                      s.days(),
                      s.seed() + 1,
                      s.pipelines(),
                      s.workload(),
                      s.faults(),
                      s.minFaultKinds(),
                      s.mode(),
                      s.tickSeconds(),
                      s.controllers())
                  : s;
          return fake.run(other, c, p);
        };
    assertEquals(
        0,
        execute(skewed, "run", "--days", "0.1", "--faults", "4", "--report-dir", dir.toString()));
    assertTrue(
        err.toString().contains("warning: the scheduled faults of agents differ"), err.toString());
  }

  @Test
  void warnsWhenTheScheduleCoversTooFewModes(@TempDir Path dir) {
    FakeScenarioRunner fake = new FakeScenarioRunner(1);
    ScenarioRunner narrow =
        (s, c, p) -> {
          ControllerRun r = fake.run(s, c, p);
          List<FaultRecord> same =
              r.faults().stream()
                  .map(
                      f ->
                          new FaultRecord(
                              f.id(),
                              "TASK_CRASH",
                              f.pipelineId(),
                              f.injectedTick(),
                              f.detectedTick(),
                              f.resolvedTick(),
                              f.resolvedAutomatically(),
                              f.cascade()))
                  .toList();
          return new ControllerRun(
              c,
              r.tickSeconds(),
              r.totalTicks(),
              r.slas(),
              r.ticks(),
              same,
              r.configChanges(),
              r.rollbacks(),
              r.ticksPerSecond());
        };
    assertEquals(0, execute(narrow, "run", "--days", "0.1", "--report-dir", dir.toString()));
    assertTrue(
        err.toString().contains("covers 1 failure modes [TASK_CRASH], fewer than 8"),
        err.toString());
  }
}
