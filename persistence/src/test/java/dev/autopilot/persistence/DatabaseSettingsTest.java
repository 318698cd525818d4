package dev.autopilot.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {

  private static Config with(String hocon) {
    return ConfigFactory.parseString(hocon)
        .withFallback(ConfigFactory.parseResources("persistence-jdbc.conf"))
        .resolve();
  }

  @Test
  void defaultsToTheH2FileDatabase() {
    DatabaseSettings db = DatabaseSettings.create(with("autopilot.db { kind = \"\", url = \"\" }"));
    assertEquals(DatabaseSettings.Kind.H2, db.kind());
    assertEquals(
        "jdbc:h2:file:./data/autopilot;DATABASE_TO_UPPER=false;DB_CLOSE_ON_EXIT=FALSE", db.url());
  }

  @Test
  void aPostgresUrlSelectsPostgres() {
    Config c =
        DatabaseSettings.applyTo(
            with(
                "autopilot.db { kind = \"\", url = \"jdbc:postgresql://db:5432/ap\", user = app,"
                    + " password = s3cret }"));
    DatabaseSettings db = DatabaseSettings.create(c);
    assertEquals(DatabaseSettings.Kind.POSTGRES, db.kind());
    String slick = "pekko-persistence-jdbc.shared-databases.slick.";
    assertEquals("slick.jdbc.PostgresProfile$", c.getString(slick + "profile"));
    assertEquals("org.postgresql.Driver", c.getString(slick + "db.driver"));
    assertEquals("jdbc:postgresql://db:5432/ap", c.getString(slick + "db.url"));
    assertEquals("app", c.getString(slick + "db.user"));
    assertEquals("s3cret", c.getString(slick + "db.password"));
  }

  @Test
  void kindPostgresWithoutUrlUsesThePostgresDefaults() {
    DatabaseSettings db =
        DatabaseSettings.create(with("autopilot.db { kind = postgres, url = \"\", user = \"\" }"));
    assertEquals("jdbc:postgresql://127.0.0.1:5432/postgres", db.url());
    assertEquals("postgres", db.user());
  }

  @Test
  void contradictoryKindAndUrlIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            DatabaseSettings.create(
                with("autopilot.db { kind = h2, url = \"jdbc:postgresql://db/ap\" }")));
    assertThrows(
        IllegalArgumentException.class,
        () -> DatabaseSettings.create(with("autopilot.db { kind = oracle, url = \"\" }")));
  }
}
