package dev.autopilot.runtime.drill;

import com.typesafe.config.Config;
import dev.autopilot.runtime.RuntimeConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code drill db-outage}: stops the journal's PostgreSQL server while pipelines run and checks
 * that nothing is actuated unjournaled, nothing is lost or duplicated, and that health, readiness
 * and the pipelines recover ({@link DbOutageDrill}). Exit code 1 when a check fails.
 */
@Command(
    name = "db-outage",
    mixinStandardHelpOptions = true,
    description = {
      "Journal database outage: stops the journal's PostgreSQL server (the command of"
          + " autopilot.drill.db-outage.stop-command) for --outage-seconds while simulated"
          + " pipelines run through the control loop, starts it again (always), and checks: no"
          + " platform call and no configuration change while it is down, /ready not ready and"
          + " /alive OK meanwhile, every pipeline closing ticks again and applying and verifying a"
          + " change decided afterwards, no journaled event lost or duplicated, no decision"
          + " applied twice, and the audit replay equal to the live state.",
      "It really stops the server: other clients of it fail for the outage."
    })
public final class DbOutageCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(
      names = "--outage-seconds",
      paramLabel = "S",
      description = "How long the server stays down (default: autopilot.drill.db-outage.outage).")
  private Integer outageSeconds;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  private boolean json;

  private final Config config;

  /** With the application config ({@link RuntimeConfig#load()}), loaded when the command runs. */
  public DbOutageCommand() {
    this(null);
  }

  /**
   * @param config the application config (holds {@code autopilot.db} and {@code
   *     autopilot.drill.db-outage}); null loads it when the command runs
   */
  public DbOutageCommand(Config config) {
    this.config = config;
  }

  @Override
  public Integer call() throws InterruptedException {
    Config c = config == null ? RuntimeConfig.load() : config;
    DbOutageSettings settings = DbOutageSettings.create(c);
    if (outageSeconds != null) {
      if (outageSeconds < 1) {
        throw new ParameterException(
            spec.commandLine(), "--outage-seconds must be >= 1, was " + outageSeconds);
      }
      settings = settings.withOutage(Duration.ofSeconds(outageSeconds));
    }
    PrintWriter out = spec.commandLine().getOut();
    DbOutageReport report;
    try {
      report = new DbOutageDrill(c, settings, spec.commandLine().getErr()).run();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e, null, null);
    }
    out.print(json ? report.json().toString() + System.lineSeparator() : report.text());
    out.flush();
    return report.passed() ? 0 : 1;
  }
}
