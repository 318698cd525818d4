package dev.autopilot.runtime.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.prediction.PredictionAgent;
import dev.autopilot.agents.prediction.policy.PredictionSettings;
import dev.autopilot.api.AgentProtocol;
import dev.autopilot.persistence.JournalSchema;
import dev.autopilot.runtime.RuntimeConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code journal} on the embedded H2 journal: its output and exit codes. */
class JournalCommandTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static Run journal(Config config, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl =
        new CommandLine(new JournalCommand(config, new PrintWriter(out), new PrintWriter(err)));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void showsQuarantinesAndRestoresARowAndNamesAMissingOne() {
    Config config =
        RuntimeConfig.load(
            "local",
            RuntimeConfig.database(
                    "jdbc:h2:file:" + dir.resolve("journal") + ";DATABASE_TO_UPPER=false", "sa", "")
                .withFallback(
                    ConfigFactory.parseString(
                        "autopilot.metrics.port = 0\npekko.actor.provider = local")));
    ActorTestKit kit = ActorTestKit.create("journal-command", config);
    try {
      JournalSchema.ensure(kit.system());
      var agent =
          kit.spawn(
              PredictionAgent.create(
                  "p1", PersistenceId.of("prediction", "p1"), PredictionSettings.create(config)));
      agent.tell(
          new AgentProtocol.Outcome("prediction-p1-1", 1, AgentProtocol.OutcomeKind.FAILED, "x"));
      TestProbe<PredictionAgent.State> probe = kit.createTestProbe();
      agent.tell(new PredictionAgent.GetState(probe.ref()));
      probe.receiveMessage();
    } finally {
      kit.shutdownTestKit();
    }
    String[] row = {"--persistence-id", "prediction|p1", "--sequence-nr", "1"};

    Run shown = journal(config, concat("show", row));
    assertEquals(0, shown.code(), shown.err());
    assertTrue(shown.out().contains("persistence_id:     prediction|p1\n"), shown.out());
    assertTrue(shown.out().contains("deleted:            false\n"), shown.out());
    assertTrue(
        shown
            .out()
            .contains("event_ser_manifest: " + PredictionAgent.OutcomeRecorded.class.getName()),
        shown.out());
    assertTrue(shown.out().contains("\"proposalId\":\"prediction-p1-1\""), shown.out());

    assertEquals(
        "quarantined prediction|p1 sequence_nr 1\n",
        journal(config, concat("quarantine", row)).out());
    assertEquals(
        "already quarantined: prediction|p1 sequence_nr 1\n",
        journal(config, concat("quarantine", row)).out());
    assertEquals(
        "restored prediction|p1 sequence_nr 1\n", journal(config, concat("restore", row)).out());
    assertEquals(
        "not quarantined: prediction|p1 sequence_nr 1\n",
        journal(config, concat("restore", row)).out());

    Run missing =
        journal(config, "quarantine", "--persistence-id", "prediction|p9", "--sequence-nr", "3");
    assertEquals(1, missing.code());
    assertEquals("error: the journal has no row prediction|p9 sequence_nr 3\n", missing.err());

    Run noSubcommand = journal(config);
    assertEquals(2, noSubcommand.code());
    assertTrue(noSubcommand.err().contains("Missing subcommand"), noSubcommand.err());
  }

  private static String[] concat(String first, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }
}
