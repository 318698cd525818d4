package dev.autopilot.runtime.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.runtime.Main;
import dev.autopilot.runtime.RuntimeConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code serve} command line: help, defaults from the config, and usage errors. */
class ServeCommandTest {
  private static final Config CONFIG = RuntimeConfig.load("local", ConfigFactory.empty());

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int execute(String... args) {
    return Main.commandLine(CONFIG, null, new PrintWriter(out), new PrintWriter(err), false)
        .execute(args);
  }

  @Test
  void helpListsEveryOptionWithItsDefaultFromTheConfig() {
    assertEquals(0, execute("serve", "--help"));
    String help = out.toString().replaceAll("\\s+", " ");
    for (String option :
        List.of(
            "--platform",
            "--pipelines",
            "--seed",
            "--tick-interval",
            "--profile",
            "--help",
            "--version",
            "--verbose")) {
      assertTrue(help.contains(option), option + " in\n" + help);
    }
    assertTrue(help.contains("(the FlinkDeployments of"), help);
    assertTrue(
        help.replace(" ", "").contains("autopilot.kubernetes.namespace)(default:simulated)"), help);
    assertTrue(help.replace(" ", "").contains("(default:10s,autopilot.collector.interval)"), help);
    assertTrue(help.contains("(default: local, autopilot.profile)"), help);
    assertTrue(help.contains("Pipelines of the simulated platform (default: 1)"), help);
    assertTrue(help.contains("(default: 42)"), help);
  }

  @Test
  void topLevelHelpListsServe() {
    assertEquals(0, execute("--help"));
    assertTrue(out.toString().contains("serve"), out.toString());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--platform|yarn|--platform: unknown platform 'yarn', expected one of [simulated,"
            + " flink-rest, kubernetes]",
        "--pipelines|0|--pipelines must be >= 1, was 0",
        "--tick-interval|soon|'soon' is not a duration",
        "--tick-interval|0s|--tick-interval must be a positive duration",
        "--profile|cloud|--profile: unknown profile 'cloud', expected one of [local, kubernetes]",
      })
  void aBadOptionIsAUsageErrorWithAClearMessage(String option, String value, String message) {
    assertEquals(2, execute("serve", option, value), () -> err.toString());
    String e = err.toString().replaceAll("\\s+", " ");
    assertTrue(e.contains(message), e);
    assertTrue(e.contains("Usage: autopilot serve"), e);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|--platform flink-rest needs at least one --flink-job PIPELINE=JOB",
        "orders|--flink-job: expected PIPELINE=JOB, got 'orders'",
        "=orders|--flink-job: expected PIPELINE=JOB, got '=orders'",
      })
  void flinkRestWithoutValidJobsIsAUsageError(String job, String message) {
    String[] args =
        job.isEmpty()
            ? new String[] {"serve", "--platform", "flink-rest"}
            : new String[] {"serve", "--platform", "flink-rest", "--flink-job", job};
    assertEquals(2, execute(args), () -> err.toString());
    String e = err.toString().replaceAll("\\s+", " ");
    assertTrue(e.contains(message), e);
  }
}
