package dev.autopilot.runtime;

import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.runtime.cluster.ScratchDatabase;
import java.sql.SQLException;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh PostgreSQL database for one test ({@link ScratchDatabase}: created here, dropped on
 * close), so that test runs never see each other's journals. The server is {@code
 * AUTOPILOT_TEST_PG_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/postgres}, user {@code
 * AUTOPILOT_TEST_PG_USER} or {@code postgres}, password {@code AUTOPILOT_TEST_PG_PASSWORD} or
 * empty).
 *
 * <p>When the server is unreachable the test fails if the environment variable {@code CI} is {@code
 * true}, and is skipped with a message otherwise.
 */
public final class PostgresTestDatabase {
  private PostgresTestDatabase() {}

  /** The server's admin URL ({@code AUTOPILOT_TEST_PG_URL}). */
  public static String adminUrl() {
    return env("AUTOPILOT_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
  }

  /** The user ({@code AUTOPILOT_TEST_PG_USER}). */
  public static String user() {
    return env("AUTOPILOT_TEST_PG_USER", "postgres");
  }

  /** The password ({@code AUTOPILOT_TEST_PG_PASSWORD}). */
  public static String password() {
    return env("AUTOPILOT_TEST_PG_PASSWORD", "");
  }

  /** Creates a new, empty database named after {@code prefix}, or skips/fails the test. */
  public static ScratchDatabase create(String prefix) {
    try {
      return ScratchDatabase.create(adminUrl(), user(), password(), prefix);
    } catch (SQLException e) {
      String message =
          "PostgreSQL is not reachable at " + adminUrl() + " as " + user() + ": " + e.getMessage();
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message + " (CI=true: PostgreSQL is required)");
      }
      Assumptions.abort(message + "; skipping (set CI=true to make this a failure)");
      throw new AssertionError("unreachable");
    }
  }

  /**
   * The local profile journaling into {@code db}, without the metrics exporter: the configuration
   * of a one-node journal test on PostgreSQL.
   */
  public static Config localConfig(ScratchDatabase db) {
    return RuntimeConfig.load(
        "local", ConfigFactory.parseString("autopilot.metrics.port = 0").withFallback(db.config()));
  }

  private static String env(String key, String fallback) {
    String v = System.getenv(key);
    return v == null || v.isBlank() ? fallback : v;
  }
}
