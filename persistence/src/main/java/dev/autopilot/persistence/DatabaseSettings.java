package dev.autopilot.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The journal database selected by configuration ({@code autopilot.db} in {@code
 * persistence-jdbc.conf}): H2 in a file by default, PostgreSQL when {@code autopilot.db.kind =
 * postgres} or when the URL ({@code AUTOPILOT_DB_URL}) is a {@code jdbc:postgresql:} URL.
 *
 * @param kind the database kind
 * @param url JDBC URL
 * @param user database user
 * @param password database password
 * @param schemaTimeout how long startup waits for the schema
 */
public record DatabaseSettings(
    Kind kind, String url, String user, String password, Duration schemaTimeout) {

  /** Supported databases, with the Slick profile and the JDBC driver of each. */
  public enum Kind {
    H2("slick.jdbc.H2Profile$", "org.h2.Driver", "jdbc:h2:"),
    POSTGRES("slick.jdbc.PostgresProfile$", "org.postgresql.Driver", "jdbc:postgresql:");

    private final String slickProfile;
    private final String driver;
    private final String urlPrefix;

    Kind(String slickProfile, String driver, String urlPrefix) {
      this.slickProfile = slickProfile;
      this.driver = driver;
      this.urlPrefix = urlPrefix;
    }

    public String slickProfile() {
      return slickProfile;
    }

    public String driver() {
      return driver;
    }

    /** The configuration name ({@code h2}, {@code postgres}). */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Kind parse(String value) {
      for (Kind k : values()) {
        if (k.configName().equalsIgnoreCase(value.trim())) {
          return k;
        }
      }
      throw new IllegalArgumentException(
          "autopilot.db.kind must be h2 or postgres, was '" + value + "'");
    }

    static Kind fromUrl(String url) {
      for (Kind k : values()) {
        if (url.startsWith(k.urlPrefix)) {
          return k;
        }
      }
      throw new IllegalArgumentException(
          "autopilot.db.url must be a jdbc:h2: or jdbc:postgresql: URL, was '" + url + "'");
    }
  }

  /** Reads {@code autopilot.db} from a resolved configuration. */
  public static DatabaseSettings create(Config config) {
    Config db = config.getConfig("autopilot.db");
    String url = db.getString("url").trim();
    String kindName = db.getString("kind").trim();
    Kind kind;
    if (!kindName.isEmpty()) {
      kind = Kind.parse(kindName);
    } else if (!url.isEmpty()) {
      kind = Kind.fromUrl(url);
    } else {
      kind = Kind.H2;
    }
    Config defaults = db.getConfig(kind.configName());
    if (url.isEmpty()) {
      url = defaults.getString("url");
    } else if (Kind.fromUrl(url) != kind) {
      throw new IllegalArgumentException(
          "autopilot.db.kind is " + kind.configName() + " but autopilot.db.url is '" + url + "'");
    }
    String user =
        db.getString("user").isEmpty() ? defaults.getString("user") : db.getString("user");
    String password =
        db.getString("password").isEmpty()
            ? defaults.getString("password")
            : db.getString("password");
    return new DatabaseSettings(kind, url, user, password, db.getDuration("schema-timeout"));
  }

  /**
   * The configuration with the shared Slick database of the journal, snapshot store and read
   * journal set to the selected database.
   */
  public static Config applyTo(Config config) {
    return create(config).toPekkoConfig().withFallback(config);
  }

  /** The keys this selection sets under {@code pekko-persistence-jdbc.shared-databases.slick}. */
  public Config toPekkoConfig() {
    String base = "pekko-persistence-jdbc.shared-databases.slick.";
    return ConfigFactory.parseMap(
        Map.of(
            base + "profile", kind.slickProfile(),
            base + "db.driver", kind.driver(),
            base + "db.url", url,
            base + "db.user", user,
            base + "db.password", password));
  }

  /** The URL without credentials or parameters, for log and error messages. */
  public String describe() {
    int semicolon = url.indexOf(';');
    int question = url.indexOf('?');
    int cut = url.length();
    if (semicolon >= 0) {
      cut = Math.min(cut, semicolon);
    }
    if (question >= 0) {
      cut = Math.min(cut, question);
    }
    return kind.configName() + " " + url.substring(0, cut) + " as user '" + user + "'";
  }

  @Override
  public String toString() {
    return "DatabaseSettings[" + describe() + "]";
  }
}
