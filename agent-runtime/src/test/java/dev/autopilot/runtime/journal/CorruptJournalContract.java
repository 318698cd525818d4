package dev.autopilot.runtime.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.prediction.PredictionAgent;
import dev.autopilot.agents.prediction.policy.PredictionSettings;
import dev.autopilot.agents.recovery.RecoveryAgent;
import dev.autopilot.agents.recovery.policy.RecoverySettings;
import dev.autopilot.api.AgentProtocol;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.testing.Snapshots;
import dev.autopilot.persistence.DatabaseSettings;
import dev.autopilot.persistence.JournalRecovery;
import dev.autopilot.persistence.JournalSchema;
import dev.autopilot.runtime.audit.AuditCommand;
import dev.autopilot.runtime.metrics.AutopilotMetrics;
import dev.autopilot.runtime.metrics.JournalRecoveryCounter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * A corrupt journal row (issue 8), on real agents over one journal database; extended per database
 * (H2, PostgreSQL). Three pipelines' prediction agents journal three outcomes each, then one row of
 * {@code prediction|p1} is corrupted by SQL (an unknown manifest, or a payload that is not JSON).
 * Starting that entity logs one ERROR line naming the persistence id and the sequence number and
 * counts {@code autopilot_journal_recovery_failures_total}; the other pipelines' agents and the
 * recovery agent of the same pipeline recover and answer; {@code audit} names the row and prints
 * the rest; {@code journal quarantine} lets the entity recover without the row on its next backoff
 * restart, and its next event does not reuse the row's sequence number.
 */
abstract class CorruptJournalContract {
  private static final String BROKEN = "prediction|p1";
  private static final SlaSpec SLA = new SlaSpec(800_000, 500, 0.05);
  private static final Duration ASK = Duration.ofSeconds(20);

  private ActorTestKit kit;
  private Config config;
  private ListAppender<ILoggingEvent> logs;
  private Logger root;

  /** The runtime configuration pointing at a fresh, empty journal database. */
  protected abstract Config journalConfig();

  /** Releases the journal database after the actor system has stopped. */
  protected void afterJournal() {}

  @BeforeEach
  void start() {
    config =
        ConfigFactory.parseString(
                "pekko.actor.provider = local\n"
                    + "pekko.actor.testkit.typed.single-expect-default = 30s\n"
                    // Quick retries, so that the repaired entity recovers within the test.
                    + "autopilot.journal.recovery-backoff { min = 200ms, max = 1s }")
            .withFallback(journalConfig());
    kit = ActorTestKit.create("corrupt-journal", config);
    JournalSchema.ensure(kit.system());
    root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  void stop() {
    try {
      root.detachAppender(logs);
      if (kit != null) {
        kit.shutdownTestKit();
      }
    } finally {
      afterJournal();
    }
  }

  @Test
  void anUnknownManifestStopsOnlyThatEntity() throws Exception {
    corruptAndRepair("manifest", "dev.autopilot.agents.prediction.PredictionAgent$Gone");
  }

  @Test
  void anInvalidJsonPayloadStopsOnlyThatEntity() throws Exception {
    corruptAndRepair("payload", "JsonParseException");
  }

  private void corruptAndRepair(String column, String reasonContains) throws Exception {
    for (String p : List.of("p1", "p2", "p3")) {
      ActorRef<AgentProtocol.Command> agent = kit.spawn(prediction(p));
      for (int k = 1; k <= 3; k++) {
        agent.tell(outcome(p, k));
      }
      assertEquals(3, outcomes(agent, ASK));
      kit.stop(agent);
    }
    if (column.equals("manifest")) {
      update("\"event_ser_manifest\" = ?", reasonContains);
    } else {
      update("\"event_payload\" = ?", "{not json".getBytes(StandardCharsets.UTF_8));
    }

    TestProbe<JournalRecovery.Failed> failures = kit.createTestProbe();
    kit.system()
        .eventStream()
        .tell(new EventStream.Subscribe<>(JournalRecovery.Failed.class, failures.ref()));
    AutopilotMetrics metrics = AutopilotMetrics.create(config);
    JournalRecoveryCounter.start(kit.system(), metrics);

    ActorRef<AgentProtocol.Command> broken = kit.spawn(prediction("p1"));
    ActorRef<AgentProtocol.Command> p2 = kit.spawn(prediction("p2"));
    ActorRef<AgentProtocol.Command> p3 = kit.spawn(prediction("p3"));
    ActorRef<AgentProtocol.Command> recoveryP1 =
        kit.spawn(
            RecoveryAgent.create(
                "p1", PersistenceId.of("recovery", "p1"), RecoverySettings.create(config)));

    // One clear error naming the entity and the row, on the event stream, in the log, as a metric.
    JournalRecovery.Failed failed = failures.receiveMessage();
    assertEquals(BROKEN, failed.persistenceId());
    assertEquals("prediction", failed.entityType());
    assertEquals(2, failed.sequenceNr());
    assertTrue(failed.reason().contains(reasonContains), failed.reason());
    String line = failed.message();
    assertTrue(
        line.startsWith("journal of prediction|p1 cannot be replayed at sequence nr 2: "), line);
    assertTrue(line.endsWith("; see README 'Corrupt journal'"), line);
    failures.awaitAssert(
        () -> {
          assertTrue(
              logs.list.stream()
                  .anyMatch(
                      e -> e.getLevel() == Level.ERROR && e.getFormattedMessage().equals(line)),
              "the ERROR line is logged");
          assertTrue(metrics.journalRecoveryFailureCount("prediction") >= 1);
          return null;
        });
    assertTrue(
        logs.list.stream()
            .map(ILoggingEvent::getFormattedMessage)
            .filter(m -> m.startsWith("journal of "))
            .allMatch(line::equals),
        "each failed attempt is reported once, the same way");

    // The other pipelines, and the other agent of the same pipeline, recover and serve.
    assertEquals(3, outcomes(p2, ASK));
    assertEquals(3, outcomes(p3, ASK));
    assertEquals("p1", evaluate(recoveryP1, "p1").pipelineId());
    assertEquals("p2", evaluate(p2, "p2").pipelineId());
    assertEquals(0, metrics.journalRecoveryFailureCount("recovery"));
    assertFalse(
        logs.list.stream()
            .anyMatch(
                e ->
                    e.getFormattedMessage().startsWith("journal of ")
                        && !e.getFormattedMessage().startsWith("journal of " + BROKEN)),
        "no other entity reports a journal failure");

    // audit names the row and prints the rest.
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        new AuditCommand(config, new PrintWriter(out), new PrintWriter(err)).json(true).call();
    assertEquals(1, code, err.toString());
    assertTrue(
        err.toString()
            .startsWith("error: journal row prediction|p1 sequence_nr 2 cannot be read: "),
        err.toString());
    List<String> rows = Arrays.asList(out.toString().split("\n"));
    assertEquals(8, rows.size(), out.toString());
    assertEquals(
        2, rows.stream().filter(r -> r.contains("\"persistence_id\":\"prediction|p1\"")).count());

    // The operator's repair: quarantine the row; the entity recovers on its next restart.
    assertEquals(0, journal("show").code(), "show");
    Run quarantined = journal("quarantine");
    assertEquals(0, quarantined.code(), quarantined.err());
    assertEquals("quarantined prediction|p1 sequence_nr 2\n", quarantined.out());
    failures.awaitAssert(
        Duration.ofSeconds(30),
        () -> {
          assertEquals(2, outcomes(broken, Duration.ofSeconds(1)));
          return null;
        });
    broken.tell(outcome("p1", 4));
    assertEquals(3, outcomes(broken, ASK));
    StringWriter after = new StringWriter();
    assertEquals(
        0,
        new AuditCommand(config, new PrintWriter(after), new PrintWriter(new StringWriter()))
            .pipeline("p1")
            .json(true)
            .call());
    assertTrue(after.toString().contains("\"sequence_nr\":4"), after.toString());
    Run shown = journal("show");
    assertTrue(shown.out().contains("deleted:            true"), shown.out());
  }

  private record Run(int code, String out, String err) {}

  private Run journal(String subcommand) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new JournalCommand(config, new PrintWriter(out), new PrintWriter(err)))
            .execute(subcommand, "--persistence-id", BROKEN, "--sequence-nr", "2");
    return new Run(code, out.toString(), err.toString());
  }

  private org.apache.pekko.actor.typed.Behavior<AgentProtocol.Command> prediction(String p) {
    return PredictionAgent.create(
        p, PersistenceId.of("prediction", p), PredictionSettings.create(config));
  }

  private static AgentProtocol.Outcome outcome(String pipeline, int k) {
    return new AgentProtocol.Outcome(
        "prediction-" + pipeline + "-" + k, k, AgentProtocol.OutcomeKind.VERIFIED, "verified");
  }

  private long outcomes(ActorRef<AgentProtocol.Command> agent, Duration timeout) {
    TestProbe<PredictionAgent.State> probe = kit.createTestProbe();
    agent.tell(new PredictionAgent.GetState(probe.ref()));
    return probe.receiveMessage(timeout).outcomes().values().stream()
        .mapToLong(Long::longValue)
        .sum();
  }

  private AgentProtocol.Proposals evaluate(ActorRef<AgentProtocol.Command> agent, String p) {
    TestProbe<AgentProtocol.Proposals> probe = kit.createTestProbe();
    agent.tell(new AgentProtocol.Evaluate(Snapshots.healthy(p, 1), SLA, probe.ref()));
    return probe.receiveMessage(ASK);
  }

  private void update(String assignment, Object value) throws SQLException {
    DatabaseSettings db = DatabaseSettings.create(config);
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement st =
            c.prepareStatement(
                "UPDATE \"event_journal\" SET "
                    + assignment
                    + " WHERE \"persistence_id\" = ? AND \"sequence_number\" = 2")) {
      st.setObject(1, value);
      st.setString(2, BROKEN);
      assertEquals(1, st.executeUpdate());
    }
  }
}
