package dev.autopilot.runtime.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.runtime.RuntimeConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The audit round trip on the embedded H2 journal, and the command line. */
class AuditCommandTest extends AuditRoundTripContract {
  @TempDir Path dir;

  @Override
  protected Config journalConfig() {
    return RuntimeConfig.load(
        "local",
        RuntimeConfig.database(
                "jdbc:h2:file:" + dir.resolve("journal") + ";DATABASE_TO_UPPER=false", "sa", "")
            .withFallback(ConfigFactory.parseString("autopilot.metrics.port = 0")));
  }

  @Test
  void commandLineOptionsSelectPipelineAndFormat() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new AuditCommand(config(), new PrintWriter(out), new PrintWriter(err)))
            .execute("--pipeline", "p2", "--json");
    assertEquals(0, code, err.toString());
    String[] lines = out.toString().split("\n");
    assertEquals(1, lines.length, out.toString());
    assertTrue(
        lines[0].startsWith("{\"pipeline\":\"p2\",\"persistence_id\":\"meta|p2\""), lines[0]);
  }

  @Test
  void helpDescribesTheOptions() {
    StringWriter help = new StringWriter();
    CommandLine cli =
        new CommandLine(new AuditCommand(config(), new PrintWriter(help), new PrintWriter(help)));
    cli.setOut(new PrintWriter(help));
    assertEquals(0, cli.execute("--help"));
    String text = help.toString();
    assertTrue(text.contains("Usage: audit"), text);
    assertTrue(text.contains("--pipeline=P"), text);
    assertTrue(text.contains("--json"), text);
  }
}
