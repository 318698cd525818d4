package dev.autopilot.runtime.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeLossReportTest {

  private static NodeLossReport report(int passed, List<NodeLossReport.Failure> failures) {
    return new NodeLossReport(
        3,
        3,
        passed,
        NodeLossReport.Resume.of(List.of(14.2, 0.05, 15.0)),
        2,
        NodeLossReport.Resume.of(List.of(14.2, 15.0)),
        30,
        0,
        failures.isEmpty() ? 0 : 1,
        Map.of(
            "steady", new NodeLossReport.MomentCount(1, 1),
            "after-platform", new NodeLossReport.MomentCount(2, passed - 1)),
        true,
        8,
        List.of(),
        failures,
        1,
        3,
        4,
        7,
        0,
        61.5);
  }

  @Test
  void theJsonObjectCarriesTheIssuesFieldsFirst() throws Exception {
    String json = report(3, List.of()).toJson();
    assertTrue(json.startsWith("{\"drill\":\"node-loss\",\"trials\":3,"), json);
    assertFalse(json.contains("\n"), "one line");
    JsonNode n = new ObjectMapper().readTree(json);
    assertEquals(3, n.get("passed").asInt());
    assertEquals(14.2, n.get("resume_seconds").get("p50").asDouble());
    assertEquals(15.0, n.get("resume_seconds").get("max").asDouble());
    assertEquals(0, n.get("lost_history_entries").asInt());
    assertEquals(0, n.get("duplicate_applications").asInt());
    assertEquals(30.0, n.get("resume_bound_seconds").asDouble());
    assertEquals(List.of("after-platform", "steady"), names(n.get("moments")));
    assertTrue(n.get("audit_equivalent").asBoolean());
    assertTrue(report(3, List.of()).ok());
  }

  @Test
  void aFailedTrialIsListedWithItsReasonsAndFailsTheRun() throws Exception {
    NodeLossReport r =
        report(
            2,
            List.of(
                new NodeLossReport.Failure(
                    2,
                    "after-platform",
                    "p2",
                    4,
                    List.of(
                        "p2: the platform acted 2 time(s) for 1 change(s) the journal closed"))));
    assertFalse(r.ok());
    JsonNode f = new ObjectMapper().readTree(r.toJson()).get("failures").get(0);
    assertEquals(2, f.get("trial").asInt());
    assertEquals(4, f.get("killed_node").asInt());
    assertTrue(f.get("reasons").get(0).asText().contains("acted 2 time(s)"));
    String text = r.toText();
    assertTrue(text.startsWith("drill node-loss: 2/3 trials passed"), text);
    assertTrue(text.contains("trial 2 (after-platform, p2, node 4): p2: the platform acted"), text);
  }

  @Test
  void resumeP50IsTheNearestRankMedian() {
    assertEquals(
        new NodeLossReport.Resume(2.0, 4.0), NodeLossReport.Resume.of(List.of(4.0, 1.0, 2.0, 3.0)));
    assertEquals(new NodeLossReport.Resume(0, 0), NodeLossReport.Resume.of(List.of()));
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new java.util.ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
