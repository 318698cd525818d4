package dev.autopilot.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.Diagnostics;
import dev.autopilot.api.SlaSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The prediction agent's weekly forecast scores on a synthetic run. One "week" is 30 ticks here
 * (tick length 20160 s), and the horizon is 30 ticks: violations at ticks 40-44 and 70 make the
 * labels true at ticks 10-69.
 */
class PredictionScoreTest {
  private static final Map<String, SlaSpec> SLA = Map.of("p1", new SlaSpec(800_000, 500, 0.05));

  private static ControllerRun run() {
    return run(t -> "violation-model-v" + (t < 40 ? 1 : 2));
  }

  /** The run with the vote named by the tick. */
  private static ControllerRun run(java.util.function.LongFunction<String> voteName) {
    RunRecorder recorder =
        new RunRecorder(
            ControllerKind.AGENTS,
            new Scenario(
                1,
                1,
                1,
                "generated",
                1,
                0,
                RunMode.AUTONOMOUS,
                20_160,
                List.of(ControllerKind.AGENTS)),
            SLA,
            () -> 0L);
    for (long t = 0; t < 120; t++) {
      boolean violated = (t >= 40 && t <= 44) || t == 70;
      recorder.tick(ScorerTest.rec(t, "p1", 0.5, 0, 0, violated));
      boolean alarm = (t >= 35 && t <= 59) || (t >= 60 && t <= 64) || (t >= 80 && t <= 84);
      double p = alarm ? 0.8 : 0.1;
      recorder.prediction(
          "p1",
          t,
          new Diagnostics(
              AgentKind.PREDICTION,
              List.of(new Diagnostics.DetectorVote(voteName.apply(t), p, alarm)),
              alarm,
              p,
              List.of(),
              Map.of()));
    }
    // other agents' diagnostics and votes without a model are not forecasts
    recorder.prediction(
        "p1",
        5,
        new Diagnostics(
            AgentKind.RECOVERY,
            List.of(new Diagnostics.DetectorVote("violation-model-v9", 1, true)),
            true,
            1,
            List.of(),
            Map.of()));
    recorder.prediction("p1", 6, null);
    return recorder.finish();
  }

  @Test
  void weeklyAccuracyPrecisionRecallAndFprAgainstViolationsWithinTheHorizon() {
    ControllerRun run = run();
    assertEquals(120, run.predictions().size());
    List<PredictionWeek> weeks = Scorer.predictionWeeks(run);
    assertEquals(3, weeks.size(), "week 4 has no complete horizon");

    // week 1, ticks 0-29: never alarms; labels true at 10-29
    PredictionWeek w1 = weeks.get(0);
    assertEquals(1, w1.week());
    assertEquals(30, w1.samples());
    assertEquals(20, w1.positives());
    assertEquals(100.0 * 10 / 30, w1.accuracyPct(), 1e-9);
    assertNull(w1.precisionPct(), "no alarm");
    assertEquals(0.0, w1.recallPct());
    assertEquals(0.0, w1.fprPct());
    assertNull(w1.f1Pct());
    assertEquals(Map.of(1, 30L), w1.modelVersions());

    // week 2, ticks 30-59: all labelled true; alarms at 35-59
    PredictionWeek w2 = weeks.get(1);
    assertEquals(30, w2.positives());
    assertEquals(100.0 * 25 / 30, w2.accuracyPct(), 1e-9);
    assertEquals(100.0, w2.precisionPct(), 1e-9);
    assertEquals(100.0 * 25 / 30, w2.recallPct(), 1e-9);
    assertNull(w2.fprPct(), "no quiet tick");
    assertEquals(2 * 100.0 * (250.0 / 3) / (100.0 + 250.0 / 3), w2.f1Pct(), 1e-9);
    assertEquals(Map.of(1, 10L, 2, 20L), w2.modelVersions());
    assertEquals("v1 33%, v2 67%", w2.versionsText());

    // week 3, ticks 60-89: labels true at 60-69; alarms at 60-64 and 80-84
    PredictionWeek w3 = weeks.get(2);
    assertEquals(10, w3.positives());
    assertEquals(100.0 * 20 / 30, w3.accuracyPct(), 1e-9);
    assertEquals(50.0, w3.precisionPct(), 1e-9);
    assertEquals(50.0, w3.recallPct(), 1e-9);
    assertEquals(25.0, w3.fprPct(), 1e-9);
    assertEquals(50.0, w3.f1Pct(), 1e-9);
  }

  @Test
  void theTableAndResultsJsonShowTheWeeks() throws Exception {
    ControllerRun run = run();
    Score score = Scorer.score(run);
    assertEquals(3, score.predictionWeeks().size());
    String table = ConsoleTable.render(List.of(score));
    assertTrue(table.contains("agents prediction"), table);
    assertTrue(table.contains("week 2"), table);
    assertTrue(table.contains("v1 33%, v2 67%"), table);

    Scenario scenario =
        new Scenario(
            1, 1, 1, "generated", 1, 0, RunMode.AUTONOMOUS, 20_160, List.of(ControllerKind.AGENTS));
    JsonNode root =
        new ObjectMapper()
            .readTree(ResultsWriter.json(scenario, List.of(run), List.of(score), false));
    JsonNode prediction = root.path("controllers").path("agents").path("prediction");
    assertEquals(30, prediction.path("horizon_ticks").asInt());
    JsonNode week3 = prediction.path("weeks").get(2);
    assertEquals(3, week3.path("week").asInt());
    assertEquals(66.67, week3.path("accuracy_pct").asDouble(), 1e-9);
    assertEquals(25.0, week3.path("fpr_pct").asDouble(), 1e-9);
    assertEquals(30, week3.path("model_versions").path("v2").asLong());
    assertTrue(
        root.path("controllers")
            .path("agents")
            .path("prediction")
            .path("weeks")
            .get(0)
            .path("precision_pct")
            .isNull());
  }

  @Test
  void noForecastsNoPredictionSection() throws Exception {
    List<TickRecord> ticks = new ArrayList<>();
    for (long t = 0; t < 50; t++) {
      ticks.add(ScorerTest.rec(t, "p1", 0.5, 0, 0, t == 20));
    }
    Score score = Scorer.score(ScorerTest.run(ticks, List.of()));
    assertTrue(score.predictionWeeks().isEmpty());
    assertTrue(!ConsoleTable.render(List.of(score)).contains("prediction"));
  }

  @Test
  void aColdStartsHoltBaselineForecastsAreScoredAsVersionZeroShownAsHolt() {
    ControllerRun run = run(t -> t < 40 ? RunRecorder.BASELINE_VOTE : "violation-model-v1");
    assertEquals(120, run.predictions().size());
    assertEquals(RunRecorder.BASELINE_VERSION, run.predictions().get(0).modelVersion());
    List<PredictionWeek> weeks = Scorer.predictionWeeks(run);
    // the same alarms as run(): the same figures, whoever forecast
    assertEquals(100.0 * 10 / 30, weeks.get(0).accuracyPct(), 1e-9);
    assertEquals(100.0 * 25 / 30, weeks.get(1).accuracyPct(), 1e-9);
    assertEquals("holt 100%", weeks.get(0).versionsText());
    assertEquals(Map.of(0, 10L, 1, 20L), weeks.get(1).modelVersions());
    assertEquals("holt 33%, v1 67%", weeks.get(1).versionsText());
    assertEquals(
        dev.autopilot.agents.prediction.PredictionAgent.BASELINE_VOTE,
        RunRecorder.BASELINE_VOTE,
        "the recorder reads the vote the agent sends");
  }
}
