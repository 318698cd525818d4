package dev.autopilot.runtime.cluster;

import com.typesafe.config.Config;
import dev.autopilot.runtime.RuntimeConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fresh PostgreSQL database on a server (created on {@link #create}, dropped with {@code WITH
 * (FORCE)} on {@link #close()}), so that a run (a test, a bench run, a drill) never sees another
 * run's journal. The name is the prefix, the process id, a counter and a time stamp.
 */
public final class ScratchDatabase implements AutoCloseable {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final String adminUrl;
  private final String user;
  private final String password;
  private final String name;

  private ScratchDatabase(String adminUrl, String user, String password, String name) {
    this.adminUrl = adminUrl;
    this.user = user;
    this.password = password;
    this.name = name;
  }

  /**
   * Creates a new, empty database.
   *
   * @param adminUrl JDBC URL of a database on the server to connect to for {@code CREATE DATABASE}
   *     (e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres}); the scratch URL is this one with
   *     the database name replaced, query parameters kept
   * @param prefix start of the name ({@code [a-z0-9_]}, other characters become {@code _})
   * @throws SQLException when the server cannot be reached or refuses
   */
  public static ScratchDatabase create(String adminUrl, String user, String password, String prefix)
      throws SQLException {
    String name =
        (prefix
                + "_"
                + ProcessHandle.current().pid()
                + "_"
                + COUNTER.incrementAndGet()
                + "_"
                + Long.toString(System.currentTimeMillis(), 36))
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9_]", "_");
    ScratchDatabase db = new ScratchDatabase(adminUrl, user, password, name);
    db.admin("CREATE DATABASE " + name);
    return db;
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

  /** The user. */
  public String user() {
    return user;
  }

  /** The password. */
  public String password() {
    return password;
  }

  /** Runtime overrides journaling into it ({@link RuntimeConfig#database}). */
  public Config config() {
    return RuntimeConfig.database(url(), user, password);
  }

  /** A new connection to it (the caller closes it). */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url(), credentials());
  }

  /**
   * Drops it, closing any connection left open.
   *
   * @throws IllegalStateException when the server refuses
   */
  @Override
  public void close() {
    try {
      admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop scratch database " + name, e);
    }
  }

  private void admin(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(adminUrl, credentials());
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private Properties credentials() {
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("password", password);
    props.setProperty("connectTimeout", "5");
    return props;
  }
}
