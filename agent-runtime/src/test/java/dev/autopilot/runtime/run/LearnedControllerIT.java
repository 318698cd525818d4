package dev.autopilot.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import dev.autopilot.agents.optimization.learned.LearnedPolicy;
import dev.autopilot.agents.optimization.learned.ShadowEvaluation;
import dev.autopilot.api.ExpectedEffect;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.runtime.Main;
import dev.autopilot.runtime.RuntimeConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agents-learned controller through the real runner: without a policy bundle it fails before
 * anything runs; with a (fake) policy, the policy is promoted by the experiment's override and its
 * proposal goes through the meta-agent to the simulated platform.
 */
class LearnedControllerIT {

  /** Asks for a 45 s checkpoint interval whenever the job runs another. */
  record CheckpointPolicy(int version) implements LearnedPolicy {
    @Override
    public LearnedPolicy fresh() {
      return this; // a record: no working memory
    }

    @Override
    public Optional<Recommendation> recommend(TelemetrySnapshot s, SlaSpec sla) {
      if (s.config().checkpointIntervalSeconds() == 45) {
        return Optional.empty();
      }
      return Optional.of(
          new Recommendation(
              s.config().withCheckpointIntervalSeconds(45),
              0.7,
              new ExpectedEffect(0, 0, s.job().throughputPerSecond(), s.job().latencyP99Ms(), 0.1),
              List.of("fake policy")));
    }

    @Override
    public ShadowEvaluation evaluation() {
      return ShadowEvaluation.none();
    }
  }

  private static int run(Config config, SimulationRunner runner, StringWriter err, String... args) {
    return Main.commandLine(
            config,
            runner,
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            false)
        .execute(args);
  }

  @Test
  void withoutAPolicyBundleAgentsLearnedFailsBeforeAnyControllerRuns(@TempDir Path dir) {
    Config config =
        RuntimeConfig.load(
            "local",
            com.typesafe.config.ConfigFactory.parseString(
                "autopilot.optimization.learned { dir = \"" + dir.resolve("none") + "\", version = 99 }"));
    StringWriter err = new StringWriter();
    Path report = dir.resolve("r");
    int code =
        run(
            config,
            new SimulationRunner(config, dir.resolve("journal")),
            err,
            "run",
            "--days",
            "0.01",
            "--controllers",
            "agents,agents-learned",
            "--report-dir",
            report.toString());
    assertEquals(1, code);
    assertTrue(err.toString().contains("controller agents-learned"), err.toString());
    assertTrue(err.toString().contains("policy v99 from"), err.toString());
    assertFalse(Files.exists(report.resolve("trace-agents.csv")), "nothing ran");
  }

  @Test
  void aPromotedPolicyActsThroughTheMetaAgent(@TempDir Path dir) throws Exception {
    Config config = RuntimeConfig.load("local", com.typesafe.config.ConfigFactory.empty());
    StringWriter err = new StringWriter();
    Path report = dir.resolve("r");
    SimulationRunner runner =
        new SimulationRunner(
            config,
            dir.resolve("journal"),
            dev.autopilot.runtime.loop.PredictionModelsLoader::load,
            c ->
                c.getBoolean("autopilot.optimization.learned.enabled")
                    ? pipeline -> Optional.of(new CheckpointPolicy(7))
                    : pipeline -> Optional.empty());
    int code =
        run(
            config,
            runner,
            err,
            "run",
            "--days",
            "0.02",
            "--workload",
            "marathon",
            "--faults",
            "0",
            "--controllers",
            "agents-learned",
            "--report-dir",
            report.toString());
    assertEquals(0, code, () -> "run failed: " + err);
    List<String> trace = Files.readAllLines(report.resolve("trace-agents-learned.csv"));
    assertTrue(
        trace.stream().anyMatch(l -> l.contains("applied") && l.contains("learned policy v7")),
        "the learned proposal was applied: " + trace.subList(0, Math.min(5, trace.size())));
    JsonNode learned =
        new ObjectMapper()
            .readTree(report.resolve("results.json").toFile())
            .path("controllers")
            .path("agents-learned")
            .path("learned_optimizer");
    assertEquals(1, learned.path("promotions").asLong(), learned.toString());
    assertEquals(0, learned.path("shadow_proposals").asLong(), learned.toString());
    assertTrue(learned.path("learned_proposals").asLong() >= 1, learned.toString());
  }

  @Test
  void anUnpromotedPolicyOnlyShadowsAndNothingOfItIsApplied(@TempDir Path dir) throws Exception {
    Config config = RuntimeConfig.load("local", com.typesafe.config.ConfigFactory.empty());
    StringWriter err = new StringWriter();
    Path report = dir.resolve("r");
    // The agents controller keeps the gate (require-shadow-win = on); the policy never beat DS2.
    SimulationRunner runner =
        new SimulationRunner(
            config,
            dir.resolve("journal"),
            dev.autopilot.runtime.loop.PredictionModelsLoader::load,
            c -> pipeline -> Optional.of(new CheckpointPolicy(7)));
    int code =
        run(
            config,
            runner,
            err,
            "run",
            "--days",
            "0.02",
            "--workload",
            "marathon",
            "--faults",
            "0",
            "--controllers",
            "agents",
            "--report-dir",
            report.toString());
    assertEquals(0, code, () -> "run failed: " + err);
    List<String> trace = Files.readAllLines(report.resolve("trace-agents.csv"));
    assertFalse(trace.stream().anyMatch(l -> l.contains("learned policy v7")), "never applied");
    JsonNode learned =
        new ObjectMapper()
            .readTree(report.resolve("results.json").toFile())
            .path("controllers")
            .path("agents")
            .path("learned_optimizer");
    assertEquals(0, learned.path("promotions").asLong(), learned.toString());
    assertEquals(0, learned.path("learned_proposals").asLong(), learned.toString());
    // A steady recommendation is journaled once per pipeline.
    assertEquals(1, learned.path("shadow_proposals").asLong(), learned.toString());
    assertEquals(1, learned.path("shadow_admitted").asLong(), learned.toString());
  }
}
