package dev.autopilot.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.persistence.DatabaseSettings;
import org.junit.jupiter.api.Test;

class RuntimeConfigTest {
  private static final String SLICK = "pekko-persistence-jdbc.shared-databases.slick.";

  /** Neutralizes the environment's database and profile variables for the assertions. */
  private static Config clean(String hocon) {
    return ConfigFactory.parseString(hocon)
        .withFallback(
            ConfigFactory.parseString(
                "autopilot.db { kind = \"\", url = \"\", user = \"\", password = \"\" }"));
  }

  @Test
  void localProfileIsAOneNodeClusterOnH2() {
    Config c = RuntimeConfig.load("local", clean(""));
    assertEquals("local", c.getString("autopilot.profile"));
    assertEquals("self", c.getString("autopilot.cluster.join"));
    assertEquals("cluster", c.getString("pekko.actor.provider"));
    assertEquals(0, c.getInt("pekko.remote.artery.canonical.port"));
    assertEquals("127.0.0.1", c.getString("pekko.remote.artery.canonical.hostname"));
    assertEquals(0, c.getList("pekko.cluster.seed-nodes").size());
    assertEquals(
        "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider",
        c.getString("pekko.cluster.downing-provider-class"));
    assertEquals(
        "keep-majority", c.getString("pekko.cluster.split-brain-resolver.active-strategy"));
    assertEquals("none", c.getString("pekko.cluster.sharding.passivation.strategy"));
    assertEquals("slick.jdbc.H2Profile$", c.getString(SLICK + "profile"));
    assertEquals(
        "jdbc:h2:file:./data/autopilot;DATABASE_TO_UPPER=false;DB_CLOSE_ON_EXIT=FALSE",
        c.getString(SLICK + "db.url"));
    assertEquals("jdbc-journal", c.getString("pekko.persistence.journal.plugin"));
    assertEquals("slick", c.getString("jdbc-read-journal.use-shared-db"));
    assertEquals(
        "dev.autopilot.runtime.cluster.NodeReadinessCheck",
        c.getString("pekko.management.health-checks.readiness-checks.autopilot-node"));
  }

  @Test
  void kubernetesProfileBootstrapsThroughTheKubernetesApiOnPostgres() {
    Config c =
        RuntimeConfig.load(
            "kubernetes",
            clean(
                "autopilot.db.url = \"jdbc:postgresql://pg:5432/autopilot\"\n"
                    + "autopilot.db.user = ap"));
    assertEquals("bootstrap", c.getString("autopilot.cluster.join"));
    assertEquals(
        "kubernetes-api",
        c.getString("pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method"));
    assertEquals(
        "", c.getString("pekko.management.http.bind-hostname"), "binds http.hostname: the pod IP");
    assertEquals(25520, c.getInt("pekko.remote.artery.canonical.port"));
    assertEquals(true, c.getBoolean("pekko.coordinated-shutdown.exit-jvm"));
    DatabaseSettings db = DatabaseSettings.create(c);
    assertEquals(DatabaseSettings.Kind.POSTGRES, db.kind());
    assertEquals("slick.jdbc.PostgresProfile$", c.getString(SLICK + "profile"));
    assertEquals("org.postgresql.Driver", c.getString(SLICK + "db.driver"));
    assertEquals("jdbc:postgresql://pg:5432/autopilot", c.getString(SLICK + "db.url"));
    assertEquals("ap", c.getString(SLICK + "db.user"));
  }

  @Test
  void kubernetesProfileWithoutUrlUsesThePostgresDefault() {
    Config c = RuntimeConfig.load("kubernetes", clean("autopilot.db.kind = postgres"));
    assertEquals("jdbc:postgresql://127.0.0.1:5432/postgres", c.getString(SLICK + "db.url"));
  }

  @Test
  void profileComesFromConfigurationWhenNotGiven() {
    Config c = RuntimeConfig.load(null, clean("autopilot.profile = kubernetes"));
    assertEquals("kubernetes", c.getString("autopilot.profile"));
    assertEquals("bootstrap", c.getString("autopilot.cluster.join"));
    assertThrows(
        IllegalArgumentException.class, () -> RuntimeConfig.load("mars", ConfigFactory.empty()));
  }

  @Test
  void nodeOverridesGiveEachNodeItsPortsAndTheSharedDatabase() {
    Config a =
        RuntimeConfig.load(
            "local",
            RuntimeConfig.nodePorts(25601, 8601, 0)
                .withFallback(RuntimeConfig.database("jdbc:postgresql://db/shared", "u", "p")));
    Config b =
        RuntimeConfig.load(
            "local",
            RuntimeConfig.nodePorts(25602, 8602, 9602)
                .withFallback(RuntimeConfig.database("jdbc:postgresql://db/shared", "u", "p")));
    assertEquals(25601, a.getInt("pekko.remote.artery.canonical.port"));
    assertEquals(25602, b.getInt("pekko.remote.artery.canonical.port"));
    assertEquals(8601, a.getInt("pekko.management.http.port"));
    assertEquals(9602, b.getInt("autopilot.metrics.port"));
    assertEquals(a.getString(SLICK + "db.url"), b.getString(SLICK + "db.url"));
    assertEquals("slick.jdbc.PostgresProfile$", b.getString(SLICK + "profile"));
  }
}
