package dev.autopilot.runtime.cluster;

import dev.autopilot.persistence.DatabaseSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * Checks that the journal database answers: a JDBC connection of its own (kept open between checks,
 * reopened after a failure) runs {@code SELECT 1}, the connection, login, socket and query bounded
 * by one timeout. Independent of the journal's connection pool, so a check never waits behind the
 * journal's writes and never takes a connection from them.
 *
 * <p>Not thread-safe: one caller at a time ({@link JournalHealth} runs it on one scheduled task).
 */
public final class JournalProbe implements AutoCloseable {

  /**
   * The outcome of one check.
   *
   * @param up whether the database answered
   * @param reason why it is down (the driver's message), null when up
   * @param checkedNanos {@link System#nanoTime()} when the check ended
   */
  public record Result(boolean up, String reason, long checkedNanos) {}

  private final DatabaseSettings database;
  private final int timeoutSeconds;
  private Connection connection;

  /**
   * @param database the journal's database ({@link DatabaseSettings#create})
   * @param timeout bound of one check (rounded up to whole seconds, the JDBC unit)
   */
  public JournalProbe(DatabaseSettings database, Duration timeout) {
    this.database = database;
    this.timeoutSeconds = (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
  }

  /** Runs one check; never throws for a database failure. */
  public Result check() {
    try {
      if (connection == null) {
        connection = DriverManager.getConnection(database.url(), properties());
      }
      try (Statement st = connection.createStatement()) {
        st.setQueryTimeout(timeoutSeconds);
        st.execute("SELECT 1");
      }
      return new Result(true, null, System.nanoTime());
    } catch (SQLException | RuntimeException e) {
      close();
      return new Result(
          false,
          "journal database " + database.describe() + " unreachable: " + e.getMessage(),
          System.nanoTime());
    }
  }

  private Properties properties() {
    Properties p = new Properties();
    p.setProperty("user", database.user());
    p.setProperty("password", database.password());
    if (database.kind() == DatabaseSettings.Kind.POSTGRES) {
      String t = Integer.toString(timeoutSeconds);
      p.setProperty("connectTimeout", t);
      p.setProperty("loginTimeout", t);
      p.setProperty("socketTimeout", t);
    }
    return p;
  }

  /** Closes the probe's connection (a later {@link #check()} opens a new one). */
  @Override
  public void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        // The connection is broken already; nothing to release.
      }
      connection = null;
    }
  }
}
