package dev.autopilot.runtime.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import dev.autopilot.runtime.RuntimeConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Option parsing and validation of {@code drill node-loss}; no cluster is started. */
class NodeLossCommandTest {
  private static final Config H2 =
      RuntimeConfig.load(
          "local",
          RuntimeConfig.database(
              "jdbc:h2:mem:node-loss-command;DATABASE_TO_UPPER=false", "sa", ""));

  private record Result(int code, String out, String err) {}

  private static Result execute(Config config, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new NodeLossCommand(config));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private static NodeLossSettings settings(String... args) {
    NodeLossCommand command = new NodeLossCommand(H2);
    new CommandLine(command).parseArgs(args);
    return command.settings(NodeLossSettings.create(H2));
  }

  @Test
  void defaultsComeFromTheDrillsSettings() {
    NodeLossSettings s = settings();
    assertEquals(100, s.trials());
    assertEquals(1, s.seed());
    assertEquals(3, s.nodes());
    assertEquals(Duration.ofSeconds(30), s.resumeBound());
  }

  @Test
  void trialsAndSeedOverrideThem() {
    NodeLossSettings s = settings("--trials", "8", "--seed", "42", "--json");
    assertEquals(8, s.trials());
    assertEquals(42, s.seed());
    assertEquals(3, s.nodes());
  }

  @Test
  void aBadTrialCountIsAUsageError() {
    Result zero = execute(H2, "--trials", "0");
    assertEquals(2, zero.code());
    assertTrue(zero.err().contains("--trials must be >= 1, was 0"), zero.err());
    Result word = execute(H2, "--trials", "many");
    assertEquals(2, word.code());
    assertTrue(word.err().contains("--trials"), word.err());
    assertEquals("", word.out());
  }

  @Test
  void anH2JournalFailsWithHowToPointItAtPostgres() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                NodeLossDrill.run(
                    H2, NodeLossSettings.create(H2), new PrintWriter(new StringWriter())));
    assertTrue(e.getMessage().contains("needs a PostgreSQL journal server"), e.getMessage());
    assertTrue(
        e.getMessage().contains("AUTOPILOT_DB_URL=jdbc:postgresql://127.0.0.1:5432/postgres"),
        e.getMessage());
    Result run = execute(H2, "--trials", "1", "--json");
    assertEquals(1, run.code());
    assertEquals("", run.out(), "no JSON when the drill could not run");
  }

  @Test
  void settingsRejectBadValues() {
    NodeLossSettings s = NodeLossSettings.create(H2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.with(0, 1));
    assertTrue(e.getMessage().startsWith("autopilot.drill.node-loss.trials"), e.getMessage());
  }
}
