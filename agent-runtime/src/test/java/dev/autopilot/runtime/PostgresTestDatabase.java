package dev.autopilot.runtime;

import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh PostgreSQL database for one test (created on open, dropped on close), so that test runs
 * never see each other's journals. The server is {@code AUTOPILOT_TEST_PG_URL} (default {@code
 * jdbc:postgresql://127.0.0.1:5432/postgres}, user {@code AUTOPILOT_TEST_PG_USER} or {@code
 * postgres}, password {@code AUTOPILOT_TEST_PG_PASSWORD} or empty).
 *
 * <p>When the server is unreachable the test fails if the environment variable {@code CI} is {@code
 * true}, and is skipped with a message otherwise.
 */
public final class PostgresTestDatabase implements AutoCloseable {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final String adminUrl;
  private final String user;
  private final String password;
  private final String name;

  private PostgresTestDatabase(String adminUrl, String user, String password, String name) {
    this.adminUrl = adminUrl;
    this.user = user;
    this.password = password;
    this.name = name;
  }

  /** Creates a new, empty database named after {@code prefix}, or skips/fails the test. */
  public static PostgresTestDatabase create(String prefix) {
    String adminUrl = env("AUTOPILOT_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    String user = env("AUTOPILOT_TEST_PG_USER", "postgres");
    String password = env("AUTOPILOT_TEST_PG_PASSWORD", "");
    String name =
        (prefix
                + "_"
                + ProcessHandle.current().pid()
                + "_"
                + COUNTER.incrementAndGet()
                + "_"
                + Long.toString(System.nanoTime() & 0xffffffL, 36))
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9_]", "_");
    PostgresTestDatabase db = new PostgresTestDatabase(adminUrl, user, password, name);
    try {
      db.admin("CREATE DATABASE " + name);
    } catch (SQLException e) {
      String message =
          "PostgreSQL is not reachable at " + adminUrl + " as " + user + ": " + e.getMessage();
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message + " (CI=true: PostgreSQL is required)");
      }
      Assumptions.abort(message + "; skipping (set CI=true to make this a failure)");
    }
    return db;
  }

  private static String env(String key, String fallback) {
    String v = System.getenv(key);
    return v == null || v.isBlank() ? fallback : v;
  }

  private void admin(String sql) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("password", password);
    props.setProperty("connectTimeout", "5");
    try (Connection c = DriverManager.getConnection(adminUrl, props);
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  /** The database's name. */
  public String name() {
    return name;
  }

  /** Its JDBC URL. */
  public String url() {
    int slash = adminUrl.lastIndexOf('/');
    int query = adminUrl.indexOf('?', slash);
    return adminUrl.substring(0, slash + 1) + name + (query < 0 ? "" : adminUrl.substring(query));
  }

  /** Runtime overrides journaling into it. */
  public Config config() {
    return RuntimeConfig.database(url(), user, password);
  }

  /** Drops it, closing any connection left open. */
  @Override
  public void close() {
    try {
      admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop test database " + name, e);
    }
  }
}
