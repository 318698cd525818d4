package dev.autopilot.runtime.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autopilot.agents.prediction.PredictionAgent;
import dev.autopilot.api.Action;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.ExpectedEffect;
import dev.autopilot.api.PriorityClass;
import dev.autopilot.api.Proposal;
import dev.autopilot.persistence.AuditRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The audit shows the prediction model's promotions and the version behind each proposal. */
class AuditModelTimelineTest {

  private static Proposal proposal(long tick) {
    return new Proposal(
        "prediction-p1-" + tick + "-0",
        "p1",
        AgentKind.PREDICTION,
        PriorityClass.SLA_PROTECTION,
        new Action.Rescale(Map.of("map", 12)),
        0.9,
        new ExpectedEffect(0.1, -0.1, 1000, 100, 0.5),
        List.of("model v1: violation probability 0.70 ≥ threshold 0.40"),
        "forecast demand",
        tick,
        tick + 18);
  }

  private static List<AuditRecord> records() {
    String pid = "prediction|p1";
    return List.of(
        new AuditRecord(
            pid, 1, new PredictionAgent.PreScaleProposed("p1", 100, proposal(100), 1, 0.7)),
        new AuditRecord(
            pid,
            2,
            new PredictionAgent.ModelPromoted(
                "p1",
                8640,
                1,
                2,
                8600,
                Map.of("f1", 0.8, "accuracy", 0.95, "auc", 0.9),
                Map.of("f1", 0.6, "accuracy", 0.9, "auc", 0.8),
                4000,
                "snapshot-v1",
                0.42,
                "ab".repeat(32),
                new byte[] {1, 2, 3})),
        new AuditRecord(
            pid, 3, new PredictionAgent.PreScaleProposed("p1", 9000, proposal(9000), 2, 0.83)),
        new AuditRecord(
            pid,
            4,
            new PredictionAgent.ModelRejected(
                "p1", 17280, 3, 2, 17200, "not better: f1 0.5 vs 0.8", Map.of(), Map.of(), 4000)),
        new AuditRecord(
            pid, 5, new PredictionAgent.TrainingFailed("p1", 25920, 4, 25900, "timed out")),
        new AuditRecord(
            pid, 6, new PredictionAgent.PreScaleProposed("p1", 26000, proposal(26000))));
  }

  @Test
  void proposalLinesNameTheModelVersionAndATimelineFollowsTheTable() {
    List<AuditCommand.Entry> timeline = AuditCommand.timeline(records());
    assertEquals(1, timeline.get(0).modelVersion());
    assertEquals(2, timeline.get(1).modelVersion());
    assertEquals(2, timeline.get(2).modelVersion());
    List<String> table = AuditCommand.table(timeline);
    assertTrue(table.get(0).matches("PIPELINE\\s+TICK\\s+AGENT\\s+SEQ\\s+TYPE\\s+SUMMARY"));
    assertTrue(table.get(1).endsWith("[model v1, p=0.700]"), table.get(1));
    assertTrue(table.get(3).endsWith("[model v2, p=0.830]"), table.get(3));
    int start = table.indexOf("PREDICTION MODEL TIMELINE");
    assertTrue(start > 0, String.join("\n", table));
    List<String> model = table.subList(start + 1, table.size());
    assertEquals(4, model.size(), String.join("\n", model));
    assertTrue(model.get(0).startsWith("p1  tick 8640  prediction model v1 -> v2 promoted"));
    assertTrue(model.get(0).contains("window f1 0.800 vs 0.600"), model.get(0));
    assertTrue(model.get(1).contains("candidate v3 rejected, keeping v2"), model.get(1));
    assertTrue(model.get(2).contains("training v4 failed: timed out"), model.get(2));
    assertEquals("p1  proposals by model version: no model=1 v1=1 v2=1", model.get(3));
  }

  @Test
  void jsonLinesCarryTheModelVersion() throws Exception {
    List<String> lines = AuditCommand.jsonLines(AuditCommand.timeline(records()));
    JsonNode proposal = new ObjectMapper().readTree(lines.get(2));
    assertEquals("PreScaleProposed", proposal.get("type").asText());
    assertEquals(2, proposal.get("model_version").asInt());
    JsonNode promoted = new ObjectMapper().readTree(lines.get(1));
    assertEquals("ModelPromoted", promoted.get("type").asText());
    assertEquals(2, promoted.get("model_version").asInt());
  }

  @Test
  void withoutModelEventsNoTimeline() {
    List<String> table =
        AuditCommand.table(
            AuditCommand.timeline(
                List.of(
                    new AuditRecord(
                        "prediction|p1",
                        1,
                        new PredictionAgent.PreScaleProposed("p1", 5, proposal(5))))));
    assertEquals(2, table.size(), String.join("\n", table));
  }
}
