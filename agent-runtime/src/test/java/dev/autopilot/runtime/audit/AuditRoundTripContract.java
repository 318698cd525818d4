package dev.autopilot.runtime.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.api.Explanation;
import dev.autopilot.persistence.JournalSchema;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit round trip against one journal database: entities persist {@code AuditEvent}s, the
 * {@code audit} command replays them as a table and as JSON lines; a corrupt row is named and the
 * rest still replays. Extended per database (H2, PostgreSQL).
 */
abstract class AuditRoundTripContract {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ROW =
      Pattern.compile("^(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)(?:\\s+(.*))?$");

  private ActorTestKit kit;
  private Config config;

  /** The runtime configuration pointing at a fresh, empty journal database. */
  protected abstract Config journalConfig();

  @BeforeEach
  void startWriter() {
    config =
        ConfigFactory.parseString(
                "pekko.actor.provider = local\n"
                    + "pekko.actor.testkit.typed.single-expect-default = 30s")
            .withFallback(journalConfig());
    kit = ActorTestKit.create("audit-writer", config);
    JournalSchema.ensure(kit.system());
    AuditFixture.populate(kit);
  }

  /** The configuration the writer and the audit command use. */
  protected Config config() {
    return config;
  }

  /** Releases the journal database after the writer has stopped. */
  protected void afterJournal() {}

  @AfterEach
  void stopWriter() {
    try {
      if (kit != null) {
        kit.shutdownTestKit();
      }
    } finally {
      afterJournal();
    }
  }

  private record Run(int exitCode, List<String> out, List<String> err) {}

  private Run audit(String pipeline, boolean json) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        new AuditCommand(config, new PrintWriter(out), new PrintWriter(err))
            .pipeline(pipeline)
            .json(json)
            .call();
    return new Run(code, lines(out), lines(err));
  }

  private static List<String> lines(StringWriter w) {
    String s = w.toString();
    return s.isEmpty() ? List.of() : List.of(s.split("\n"));
  }

  /** The table's rows (not the header or explanation lines), split into their six cells. */
  private static List<List<String>> rows(List<String> table) {
    List<List<String>> rows = new ArrayList<>();
    for (String line : table.subList(1, table.size())) {
      if (line.startsWith("    ")) {
        continue;
      }
      Matcher m = ROW.matcher(line);
      assertTrue(m.matches(), line);
      rows.add(
          List.of(
              m.group(1),
              m.group(2),
              m.group(3),
              m.group(4),
              m.group(5),
              m.group(6) == null ? "" : m.group(6)));
    }
    return rows;
  }

  private static List<String> explanationLines(Explanation x) {
    return List.of(
        "    trigger:      " + x.trigger(),
        "    evidence:     " + String.join("; ", x.evidence()),
        "    cause:        " + x.cause(),
        "    action:       " + x.action(),
        "    impact:       " + x.impact(),
        "    verification: " + x.verification());
  }

  @Test
  void tablePrintsTheTimelineWithExplanations() throws Exception {
    Run run = audit(null, false);
    assertEquals(0, run.exitCode(), run.err().toString());
    assertEquals(List.of(), run.err());
    List<String> table = run.out();
    assertTrue(
        table.get(0).matches("PIPELINE\\s+TICK\\s+AGENT\\s+SEQ\\s+TYPE\\s+SUMMARY"), table.get(0));
    assertEquals(
        List.of(
            List.of("p1", "1", "meta", "1", "TickObserved", "observed tick 1"),
            List.of("p1", "3", "actuator", "1", "ChangeApplied", "applied window-agg 16 -> 24"),
            List.of("p1", "3", "meta", "2", "TickObserved", "observed tick 3"),
            List.of("p1", "-", "meta", "3", "Marked", ""),
            List.of("p1", "9", "actuator", "2", "ChangeApplied", "rolled back window-agg 24 -> 16"),
            List.of("p2", "2", "meta", "1", "TickObserved", "observed tick 2")),
        rows(table));
    int applied = indexOfRowContaining(table, "applied window-agg 16 -> 24");
    assertEquals(explanationLines(AuditFixture.APPLIED), table.subList(applied + 1, applied + 7));
    int rolledBack = indexOfRowContaining(table, "rolled back window-agg 24 -> 16");
    assertEquals(
        explanationLines(AuditFixture.ROLLED_BACK), table.subList(rolledBack + 1, rolledBack + 7));
    assertEquals(1 + 6 + 12, table.size());
  }

  private static int indexOfRowContaining(List<String> table, String text) {
    for (int i = 0; i < table.size(); i++) {
      if (!table.get(i).startsWith("    ") && table.get(i).contains(text)) {
        return i;
      }
    }
    throw new AssertionError("no row with " + text);
  }

  @Test
  void jsonLinesCarryEveryField() throws Exception {
    Run run = audit(null, true);
    assertEquals(0, run.exitCode(), run.err().toString());
    List<JsonNode> lines = new ArrayList<>();
    for (String line : run.out()) {
      lines.add(JSON.readTree(line));
    }
    assertEquals(6, lines.size());

    JsonNode first = lines.get(0);
    assertEquals("p1", first.get("pipeline").asText());
    assertEquals("meta|p1", first.get("persistence_id").asText());
    assertEquals(1, first.get("sequence_nr").asLong());
    assertEquals(1, first.get("tick").asLong());
    assertEquals("meta", first.get("agent").asText());
    assertEquals("TickObserved", first.get("type").asText());
    assertEquals("observed tick 1", first.get("summary").asText());
    assertFalse(first.has("explanation"));

    JsonNode applied = lines.get(1);
    assertEquals("p1", applied.get("pipeline").asText());
    assertEquals("actuator|p1", applied.get("persistence_id").asText());
    assertEquals(1, applied.get("sequence_nr").asLong());
    assertEquals(3, applied.get("tick").asLong());
    assertEquals("actuator", applied.get("agent").asText());
    assertEquals("ChangeApplied", applied.get("type").asText());
    assertEquals("applied window-agg 16 -> 24", applied.get("summary").asText());
    assertExplanation(AuditFixture.APPLIED, applied.get("explanation"));

    JsonNode marked = lines.get(3);
    assertEquals("p1", marked.get("pipeline").asText());
    assertEquals(3, marked.get("sequence_nr").asLong());
    assertEquals("meta", marked.get("agent").asText());
    assertEquals("Marked", marked.get("type").asText());
    assertFalse(marked.has("tick"));
    assertFalse(marked.has("summary"));
    assertFalse(marked.has("explanation"));

    JsonNode rolledBack = lines.get(4);
    assertEquals(9, rolledBack.get("tick").asLong());
    assertEquals(2, rolledBack.get("sequence_nr").asLong());
    assertExplanation(AuditFixture.ROLLED_BACK, rolledBack.get("explanation"));

    JsonNode p2 = lines.get(5);
    assertEquals("p2", p2.get("pipeline").asText());
    assertEquals(2, p2.get("tick").asLong());

    Run onlyP2 = audit("p2", true);
    assertEquals(1, onlyP2.out().size());
    assertEquals("meta|p2", JSON.readTree(onlyP2.out().get(0)).get("persistence_id").asText());
  }

  private static void assertExplanation(Explanation expected, JsonNode x) {
    assertEquals(6, x.size(), x.toString());
    assertEquals(expected.trigger(), x.get("trigger").asText());
    List<String> evidence = new ArrayList<>();
    x.get("evidence").forEach(e -> evidence.add(e.asText()));
    assertEquals(expected.evidence(), evidence);
    assertEquals(expected.cause(), x.get("cause").asText());
    assertEquals(expected.action(), x.get("action").asText());
    assertEquals(expected.impact(), x.get("impact").asText());
    assertEquals(expected.verification(), x.get("verification").asText());
  }

  @Test
  void corruptRowsAreNamedAndTheOtherEntitiesStillReplay() throws Exception {
    String manifest = AuditFixture.manifestOf(config, "actuator|p1");
    AuditFixture.insertRow(
        config,
        "recovery|p1",
        1,
        "dev.autopilot.agents.recovery.RemovedEvent",
        "{}".getBytes(StandardCharsets.UTF_8),
        "meta|p1");
    AuditFixture.insertRow(
        config,
        "actuator|p1",
        3,
        manifest,
        "{\"pipelineId\": ".getBytes(StandardCharsets.UTF_8),
        "actuator|p1");

    Run run = audit("p1", true);

    assertEquals(1, run.exitCode());
    assertEquals(2, run.err().size(), run.err().toString());
    assertTrue(
        run.err()
            .get(0)
            .startsWith("error: journal row actuator|p1 sequence_nr 3 cannot be read: "),
        run.err().get(0));
    assertTrue(
        run.err()
            .get(1)
            .startsWith("error: journal row recovery|p1 sequence_nr 1 cannot be read: "),
        run.err().get(1));
    assertTrue(run.err().get(1).contains("RemovedEvent"), run.err().get(1));
    List<String> replayed = new ArrayList<>();
    for (String line : run.out()) {
      JsonNode n = JSON.readTree(line);
      replayed.add(n.get("persistence_id").asText() + "#" + n.get("sequence_nr").asLong());
    }
    assertEquals(
        List.of("meta|p1#1", "actuator|p1#1", "meta|p1#2", "meta|p1#3", "actuator|p1#2"), replayed);
  }
}
