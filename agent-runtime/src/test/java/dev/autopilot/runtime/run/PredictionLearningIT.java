package dev.autopilot.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.prediction.model.PredictionModels;
import dev.autopilot.agents.prediction.testing.LogisticCodec;
import dev.autopilot.agents.prediction.testing.LogisticModel;
import dev.autopilot.agents.prediction.testing.LogisticTrainer;
import dev.autopilot.agents.prediction.testing.SlaFeatures;
import dev.autopilot.runtime.Main;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.audit.AuditCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agents controller end to end with a learned forecaster wired in (the prediction module's
 * logistic-regression test doubles standing in for the real feature pipeline, model and trainer):
 * the prediction agent scores every tick, retrains on the learning dispatcher, the run scores its
 * forecasts per week, and the audit shows the model timeline.
 */
class PredictionLearningIT {
  private static final Map<String, String> LEARNING =
      Map.of(
          "autopilot.prediction.learning.retrain-interval-ticks", "600",
          "autopilot.prediction.learning.min-samples", "300",
          "autopilot.prediction.learning.validation-ticks", "200",
          "autopilot.prediction.learning.min-positives", "3",
          "autopilot.prediction.learning.buffer-ticks", "5000");

  @AfterEach
  void clear() {
    LEARNING.keySet().forEach(System::clearProperty);
  }

  @Test
  void theAgentsRunScoresForecastsPerWeekAndJournalsModelEvents(@TempDir Path dir)
      throws Exception {
    String text = runAndAudit(dir, () -> LogisticModel.constant(1, 0.01, 0.5), "v1");
    assertFalse(text.contains("training v2 failed"), text);
  }

  @Test
  void aColdStartScoresTheHoltBaselineThenLearnsItsFirstModel(@TempDir Path dir) throws Exception {
    String text = runAndAudit(dir, null, "holt");
    assertTrue(
        text.contains("model candidate v1 rejected, keeping no model (Holt baseline)")
            || text.contains("prediction model no model (Holt baseline) -> v1 promoted"),
        "the first candidate was judged against the baseline: " + text);
  }

  /**
   * Runs the agents for a quarter day with the given release model (null: a cold start), checks
   * that the weekly forecasts include the given version, and returns the audit's model timeline.
   */
  private String runAndAudit(
      Path dir,
      java.util.function.Supplier<dev.autopilot.agents.prediction.model.ViolationModel> release,
      String firstVersion)
      throws Exception {
    LEARNING.forEach(System::setProperty);
    ConfigFactory.invalidateCaches();
    Config config = RuntimeConfig.load();
    PredictionModels models =
        new PredictionModels(SlaFeatures::new, release, new LogisticTrainer(), new LogisticCodec());
    Path journal = dir.resolve("journal");
    Path report = dir.resolve("report");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.commandLine(
                config,
                new SimulationRunner(config, journal, c -> models),
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                false)
            .execute(
                "run",
                "--days",
                "0.25",
                "--faults",
                "4",
                "--seed",
                "42",
                "--controllers",
                "agents",
                "--report-dir",
                report.toString());
    assertEquals(0, code, () -> "run failed: " + err);
    System.out.println(out);

    JsonNode agents =
        new ObjectMapper()
            .readTree(report.resolve("results.json").toFile())
            .path("controllers")
            .path("agents");
    JsonNode weeks = agents.path("prediction").path("weeks");
    assertEquals(1, weeks.size(), agents.toString());
    assertTrue(weeks.get(0).path("samples").asLong() > 2000, weeks.toString());
    assertTrue(weeks.get(0).path("model_versions").has(firstVersion), weeks.toString());

    String url =
        "jdbc:h2:file:"
            + journal.toAbsolutePath().resolve("autopilot")
            + ";DATABASE_TO_UPPER=false;DB_CLOSE_ON_EXIT=FALSE";
    StringWriter audit = new StringWriter();
    int auditCode =
        new AuditCommand(
                RuntimeConfig.load(
                    "local",
                    RuntimeConfig.database(url, "sa", "")
                        .withFallback(ConfigFactory.parseString("autopilot.metrics.port = 0"))),
                new PrintWriter(audit),
                new PrintWriter(err))
            .pipeline("p1")
            .call();
    assertEquals(0, auditCode, err::toString);
    String text = audit.toString();
    int timeline = text.indexOf("PREDICTION MODEL TIMELINE");
    System.out.println(timeline < 0 ? "(no model events)" : text.substring(timeline));
    assertTrue(timeline > 0, "a training was judged or failed and journaled");
    return text.substring(timeline);
  }
}
