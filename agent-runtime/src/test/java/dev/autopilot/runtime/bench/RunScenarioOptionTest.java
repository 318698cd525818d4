package dev.autopilot.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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

/** {@code run --scenario NAME}: a catalogue scenario's duration, workload and fault plan. */
class RunScenarioOptionTest {

  private static final Config CONFIG = ConfigFactory.parseResources("bench.conf").resolve();

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final List<Scenario> seen = new ArrayList<>();

  /** Records the scenario the command built, then stops the run. */
  private int execute(String... args) {
    ScenarioRunner capture =
        (scenario, controller, progress) -> {
          seen.add(scenario);
          throw new IllegalStateException("captured");
        };
    return Main.commandLine(CONFIG, capture, new PrintWriter(out), new PrintWriter(err), false)
        .execute(args);
  }

  @Test
  void aScenarioSetsItsShortDurationWorkloadAndFaultPlan(@TempDir Path dir) {
    execute("run", "--scenario", "ycsb", "--report-dir", dir.toString());
    Scenario s = seen.get(0);
    assertEquals("ycsb", s.name());
    assertEquals(2, s.days());
    assertEquals(Scenario.YCSB, s.workload());
    // 52/98/15 per 42 days, scaled to 2: 2 + 5 + 1
    assertEquals(8, s.faults());
    assertEquals(7, s.minFaultKinds());
  }

  @Test
  void daysMayBeGivenAndTheFaultsFollow(@TempDir Path dir) {
    execute("run", "--scenario", "nyc-taxi", "--days", "28", "--report-dir", dir.toString());
    Scenario s = seen.get(0);
    assertEquals(28, s.days());
    assertEquals(87 + 142 + 23, s.faults());
    assertEquals(Scenario.GENERATED, s.workload());
  }

  @Test
  void nycTaxiMayReplayACsv(@TempDir Path dir) throws Exception {
    Path csv = Files.writeString(dir.resolve("t.csv"), "timestamp,value\n0,1\n1800,2\n");
    execute(
        "run",
        "--scenario",
        "nyc-taxi",
        "--workload",
        csv.toString(),
        "--report-dir",
        dir.toString());
    assertEquals(csv.toString(), seen.get(0).workload());
    assertEquals("nyc-taxi", seen.get(0).name());
  }

  @Test
  void analysesWithoutBackgroundFaultsRun(@TempDir Path dir) {
    execute("run", "--scenario", "network-partition", "--report-dir", dir.toString());
    assertEquals(3, seen.get(0).faults(), "one partition striking 3 nodes");
    execute("run", "--scenario", "month-end", "--report-dir", dir.toString());
    assertEquals(0, seen.get(1).faults());
    assertEquals(5, seen.get(1).days());
    // the partition comes at 10:00: a shorter run has none
    execute(
        "run", "--scenario", "network-partition", "--days", "0.25", "--report-dir", dir.toString());
    assertEquals(0, seen.get(2).faults());
  }

  @Test
  void withoutAScenarioTheRunIsPlain(@TempDir Path dir) {
    execute("run", "--days", "0.1", "--report-dir", dir.toString());
    assertNull(seen.get(0).name());
    assertEquals(24, seen.get(0).faults());
  }

  @Test
  void badCombinationsAreUsageErrors(@TempDir Path dir) {
    assertEquals(2, execute("run", "--scenario", "tpc-h", "--report-dir", dir.toString()));
    assertTrue(
        err.toString().contains("unknown scenario 'tpc-h', expected one of nyc-taxi"),
        err.toString());
    assertEquals(
        2, execute("run", "--scenario", "ycsb", "--faults", "3", "--report-dir", dir.toString()));
    assertTrue(
        err.toString().contains("--faults cannot be combined with --scenario"), err.toString());
    assertEquals(
        2,
        execute(
            "run",
            "--scenario",
            "ycsb",
            "--workload",
            "generated",
            "--report-dir",
            dir.toString()));
    assertTrue(err.toString().contains("only a generated-workload scenario"), err.toString());
    assertTrue(seen.isEmpty(), "nothing ran");
  }
}
