package dev.autopilot.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** {@code bench}: its options, their validation, and the scenarios it builds from them. */
class BenchCommandTest {

  private static final Config CONFIG = ConfigFactory.parseResources("bench.conf").resolve();
  private static final BenchScenarios CATALOGUE = BenchScenarios.create(CONFIG);

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final List<Scenario> seen = new ArrayList<>();

  /** Records every scenario and controller the command runs, returning no run (a failure). */
  private int capture(String... args) {
    ScenarioRunner capture =
        (scenario, controller, progress) -> {
          seen.add(scenario);
          throw new IllegalStateException("captured");
        };
    return execute(capture, args);
  }

  private int execute(ScenarioRunner runner, String... args) {
    return Main.commandLine(CONFIG, runner, new PrintWriter(out), new PrintWriter(err), false)
        .execute(args);
  }

  @Test
  void helpStatesTheDefaultsAndEveryScenariosShortenedAndFullDays() {
    assertEquals(0, execute(null, "bench", "--help"));
    String help = out.toString().replaceAll("\\s+", " ");
    for (String option :
        List.of("--scenario", "--seed", "--days", "--full", "--report-dir", "--controllers")) {
      assertTrue(help.contains(option), option + " in\n" + help);
    }
    assertTrue(help.contains("(default: all)"), help);
    assertTrue(help.contains("(default: 42)"), help);
    assertTrue(help.contains("(default: ./bench-report)"), help);
    assertTrue(help.replace(" ", "").contains("(default:static,rule-based,ds2,fko,agents)"), help);
    assertTrue(help.contains("default: each scenario's shortened duration"), help);
    for (BenchScenario s : CATALOGUE.all()) {
      assertTrue(help.contains(s.name() + ": "), s.name() + " in\n" + help);
    }
    assertTrue(help.contains("nyc-taxi: 2 / 28"), help);
    assertTrue(help.contains("ycsb: 2 / 42"), help);
  }

  @Test
  void byDefaultEveryScenarioRunsForItsShortenedDurationUnderFiveControllers(@TempDir Path dir)
      throws Exception {
    List<Scenario> plan = new ArrayList<>();
    ScenarioRunner capture =
        (scenario, controller, progress) -> {
          plan.add(scenario);
          return new FakeScenarioRunner(1).run(scenario, controller, progress);
        };
    assertEquals(
        0,
        execute(capture, "bench", "--days", "0.01", "--report-dir", dir.toString()),
        err.toString());
    // with --days every scenario runs that long; the names and controllers are the defaults
    List<String> names = plan.stream().map(Scenario::name).distinct().toList();
    assertEquals(CATALOGUE.names(), names);
    assertEquals(CATALOGUE.names().size() * 5, plan.size());
    for (Scenario s : plan) {
      assertEquals(0.01, s.days(), 0);
      assertEquals(42, s.seed());
      assertEquals(
          List.of(
              ControllerKind.STATIC,
              ControllerKind.RULE_BASED,
              ControllerKind.DS2,
              ControllerKind.FKO,
              ControllerKind.AGENTS),
          s.controllers());
    }
  }

  @Test
  void withoutDaysEachScenarioGetsItsShortenedDurationAndFullGivesTheFullOne(@TempDir Path dir) {
    assertEquals(1, capture("bench", "--scenario", "ycsb", "--report-dir", dir.toString()));
    assertEquals(1, seen.size());
    BenchScenario ycsb = CATALOGUE.require("ycsb");
    Scenario s = seen.get(0);
    assertEquals(ycsb.shortDays(), s.days(), 0);
    assertEquals("ycsb", s.name());
    assertEquals(Scenario.YCSB, s.workload());
    assertEquals(ycsb.plannedFaults(ycsb.shortDays()), s.faults());
    assertEquals(1, s.pipelines());
    assertEquals(RunMode.AUTONOMOUS, s.mode());
    seen.clear();
    assertEquals(
        1,
        capture(
            "bench",
            "--scenario",
            "nyc-taxi",
            "--full",
            "--seed",
            "7",
            "--report-dir",
            dir.toString()));
    assertEquals(28, seen.get(0).days(), 0);
    assertEquals(7, seen.get(0).seed());
    seen.clear();
    assertEquals(
        1,
        capture(
            "bench",
            "--scenario",
            "nyc-taxi,marathon",
            "--days",
            "0.5",
            "--controllers",
            "agents,static",
            "--report-dir",
            dir.toString()));
    assertEquals(0.5, seen.get(0).days(), 0);
    assertEquals(List.of(ControllerKind.AGENTS, ControllerKind.STATIC), seen.get(0).controllers());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--scenario|foo|--scenario: unknown scenario 'foo', expected 'all' or one of nyc-taxi,"
            + " ycsb, marathon, network-partition, memory-leak, month-end",
        "--scenario|ycsb,ycsb|--scenario: 'ycsb' is listed twice",
        "--controllers|static,foo|--controllers: unknown controller 'foo', expected a"
            + " comma-separated list of static, rule-based, ds2, fko, agents,"
            + " agents-no-prediction, agents-no-optimization, agents-learned",
        "--controllers|static,static|--controllers: 'static' is listed twice",
        "--days|0|--days must be a positive number of days, was 0.0",
        "--days|-2|--days must be a positive number of days, was -2.0",
        "--days|0.00001|shorter than one tick",
        "--days|abc|Invalid value for option '--days'",
        "--seed|x|Invalid value for option '--seed'",
      })
  void badOptionsAreUsageErrorsNamingTheValidValues(
      String option, String value, String message, @TempDir Path dir) {
    assertEquals(2, capture("bench", option, value, "--report-dir", dir.toString()));
    assertTrue(err.toString().contains(message), err.toString());
    assertTrue(seen.isEmpty());
  }

  @Test
  void daysAndFullDoNotCombineAndTheReportDirMustBeADirectory(@TempDir Path dir) throws Exception {
    assertEquals(2, capture("bench", "--days", "1", "--full", "--report-dir", dir.toString()));
    assertTrue(err.toString().contains("--days and --full cannot be combined"), err.toString());
    Path file = Files.writeString(dir.resolve("f"), "x");
    assertEquals(2, capture("bench", "--report-dir", file.resolve("sub").toString()));
    assertTrue(err.toString().contains("is not a directory"), err.toString());
    assertTrue(seen.isEmpty());
  }

  @Test
  void aSubcommandMayBeAddedUnderBench() {
    picocli.CommandLine cl =
        Main.commandLine(CONFIG, null, new PrintWriter(out), new PrintWriter(err), false);
    picocli.CommandLine bench = cl.getSubcommands().get("bench");
    Probe probe = new Probe();
    bench.addSubcommand("probe", probe);
    assertEquals(0, cl.execute("bench", "probe"));
    assertTrue(probe.ran);
  }

  @picocli.CommandLine.Command(name = "probe")
  static final class Probe implements java.util.concurrent.Callable<Integer> {
    boolean ran;

    @Override
    public Integer call() {
      ran = true;
      return 0;
    }
  }
}
