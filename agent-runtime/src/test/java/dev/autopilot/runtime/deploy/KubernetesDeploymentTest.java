package dev.autopilot.runtime.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.k8s.KubernetesSettings;
import dev.autopilot.persistence.DatabaseSettings;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.admin.AdminSettings;
import dev.autopilot.runtime.serve.ServeCommand;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped Kubernetes manifests against the runtime's configuration: the environment the
 * StatefulSet gives its pods (ConfigMap, downward API, Secret) is resolved through {@link
 * RuntimeConfig} exactly as a pod would resolve it, and the ports, probe paths, bootstrap settings
 * and journal that come out must be the ones the manifests declare.
 */
class KubernetesDeploymentTest {
  private static final String POD_IP = "10.42.3.17";
  private static final String NAMESPACE = "streaming";
  private static final String DB_URL = "jdbc:postgresql://pg.example:5432/autopilot";
  private static final String BOOTSTRAP = "pekko.management.cluster.bootstrap.";

  private static ShippedManifests manifests;
  private static Map<String, String> env;
  private static Config config;

  @BeforeAll
  static void resolve() {
    manifests = ShippedManifests.load();
    env =
        manifests.environment(
            Map.of("status.podIP", POD_IP, "metadata.namespace", NAMESPACE),
            Map.of(
                "autopilot-db/url", DB_URL,
                "autopilot-db/user", "autopilot",
                "autopilot-db/password", "s3cret"));
    // No profile argument: the pod's environment must select it (the container runs `serve`).
    config = RuntimeConfig.load(null, ConfigFactory.empty(), env);
  }

  @Test
  void theEnvironmentSelectsTheKubernetesProfileAndClusterBootstrap() {
    assertEquals("kubernetes", config.getString("autopilot.profile"));
    assertEquals("bootstrap", config.getString("autopilot.cluster.join"));
    assertEquals(
        "kubernetes-api", config.getString(BOOTSTRAP + "contact-point-discovery.discovery-method"));
    assertTrue(config.getBoolean("pekko.coordinated-shutdown.exit-jvm"));
  }

  @Test
  void bootstrapWaitsForEveryReplicaAndSelectsThePodsByTheirLabel() {
    assertEquals(
        manifests.replicas(),
        config.getInt(BOOTSTRAP + "contact-point-discovery.required-contact-point-nr"));
    String selector =
        String.format(
            config.getString("pekko.discovery.kubernetes-api.pod-label-selector"),
            config.getString(BOOTSTRAP + "contact-point-discovery.service-name"));
    // Contact points are probed on the management port: a named pod port, or the fallback.
    String portName = config.getString(BOOTSTRAP + "contact-point-discovery.port-name");
    String fallback = config.getString(BOOTSTRAP + "contact-point.fallback-port");
    if (!portName.isEmpty()) {
      assertEquals(
          config.getInt("pekko.management.http.port"),
          manifests.containerPorts().get(portName),
          "contact point port " + portName);
    } else {
      assertTrue(
          fallback.equals("<fallback-port>")
              || Integer.parseInt(fallback) == config.getInt("pekko.management.http.port"),
          "contact point fallback port " + fallback);
    }
    Map<String, String> labels = manifests.podLabels();
    for (String term : selector.split(",")) {
      String[] kv = term.split("=", 2);
      assertEquals(2, kv.length, "equality selector expected: " + selector);
      assertEquals(kv[1].trim(), labels.get(kv[0].trim()), "pod label of selector " + selector);
    }
  }

  @Test
  void remotingAndManagementUseThePodIpAndTheDeclaredPorts() {
    Map<String, Integer> ports = manifests.containerPorts();
    assertEquals(POD_IP, config.getString("pekko.remote.artery.canonical.hostname"));
    assertEquals((int) ports.get("remoting"), config.getInt("pekko.remote.artery.canonical.port"));
    // Artery binds the canonical address (the pod IP) unless told otherwise.
    String bind = config.getString("pekko.remote.artery.bind.hostname");
    assertTrue(bind.isEmpty() || bind.equals(POD_IP), "remoting binds " + bind);
    assertEquals(POD_IP, config.getString("pekko.management.http.hostname"));
    // Management binds its hostname (the pod IP) when bind-hostname is empty.
    String managementBind = config.getString("pekko.management.http.bind-hostname");
    assertTrue(
        managementBind.isEmpty() || managementBind.equals(POD_IP),
        "management binds " + managementBind);
    assertEquals((int) ports.get("management"), config.getInt("pekko.management.http.port"));
    assertEquals((int) ports.get("metrics"), config.getInt("autopilot.metrics.port"));
  }

  @Test
  void theAdminApiBindsThePodIpAndIsReadOnlyWithoutItsSecret() {
    AdminSettings admin = AdminSettings.create(config);
    assertTrue(admin.enabled());
    assertEquals(POD_IP, admin.iface());
    assertEquals((int) manifests.containerPorts().get("admin"), admin.port());
    // The autopilot-admin Secret is optional and not supplied here: no token, read-only.
    assertTrue(admin.readOnly());
    Map<String, String> withSecret =
        manifests.environment(
            Map.of("status.podIP", POD_IP, "metadata.namespace", NAMESPACE),
            Map.of(
                "autopilot-db/url", DB_URL,
                "autopilot-db/user", "autopilot",
                "autopilot-db/password", "s3cret",
                "autopilot-admin/tokens", "alice:0123456789abcdef0123"));
    AdminSettings secured =
        AdminSettings.create(RuntimeConfig.load(null, ConfigFactory.empty(), withSecret));
    assertEquals(Map.of("alice", "0123456789abcdef0123"), secured.tokens());
  }

  @Test
  void probesHitTheManagementHealthChecks() {
    JsonNode c = manifests.container();
    String base = config.getString("pekko.management.http.base-path");
    String prefix = base.isEmpty() ? "/" : "/" + base + "/";
    String ready = prefix + config.getString("pekko.management.health-checks.readiness-path");
    String alive = prefix + config.getString("pekko.management.health-checks.liveness-path");
    assertEquals(ready, c.path("readinessProbe").path("httpGet").path("path").asText());
    assertEquals(alive, c.path("livenessProbe").path("httpGet").path("path").asText());
    assertEquals(alive, c.path("startupProbe").path("httpGet").path("path").asText());
    int management = config.getInt("pekko.management.http.port");
    for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
      assertEquals(management, manifests.port(c.path(probe).path("httpGet").path("port")), probe);
    }
    // The runtime's own readiness check (Up and journal schema) is registered.
    assertEquals(
        "dev.autopilot.runtime.cluster.NodeReadinessCheck",
        config.getString("pekko.management.health-checks.readiness-checks.autopilot-node"));
  }

  @Test
  void prometheusScrapesTheExporterPort() {
    Map<String, String> annotations = manifests.podAnnotations();
    assertEquals("true", annotations.get("prometheus.io/scrape"));
    assertEquals(
        config.getInt("autopilot.metrics.port"),
        Integer.parseInt(annotations.get("prometheus.io/port")));
    // AutopilotMetrics.serve exposes the registry at /metrics.
    assertEquals("/metrics", annotations.get("prometheus.io/path"));
  }

  @Test
  void thePodsServeTheFlinkDeploymentsOfTheirOwnNamespace() {
    assertEquals("kubernetes", config.getString("autopilot.serve.platform"));
    assertTrue(ServeCommand.PLATFORMS.contains(config.getString("autopilot.serve.platform")));
    assertEquals(NAMESPACE, KubernetesSettings.create(config).namespace());
  }

  @Test
  void theJournalIsThePostgresDatabaseOfTheSecret() {
    DatabaseSettings db = DatabaseSettings.create(config);
    assertEquals(DatabaseSettings.Kind.POSTGRES, db.kind());
    assertEquals(DB_URL, db.url());
    assertEquals("autopilot", db.user());
    assertEquals("s3cret", db.password());
    assertEquals(DB_URL, config.getString("pekko-persistence-jdbc.shared-databases.slick.db.url"));
  }

  @Test
  void everyAutopilotVariableTheManifestsSetIsReadByTheRuntime() throws IOException {
    List<String> sources = new ArrayList<>();
    ClassLoader cl = KubernetesDeploymentTest.class.getClassLoader();
    for (String name :
        List.of(
            "reference.conf",
            "application.conf",
            "cluster.conf",
            "kubernetes.conf",
            "runtime.conf",
            "persistence-jdbc.conf",
            "logback.xml")) {
      for (URL url : Collections.list(cl.getResources(name))) {
        try (InputStream in = url.openStream()) {
          sources.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
    }
    assertTrue(sources.size() >= 7);
    List<String> autopilotVars =
        env.keySet().stream().filter(k -> k.startsWith("AUTOPILOT_")).sorted().toList();
    assertTrue(autopilotVars.size() >= 10, autopilotVars.toString());
    for (String var : autopilotVars) {
      // HOCON ${?VAR}, or logback's ${VAR:-default}.
      assertTrue(
          sources.stream().anyMatch(s -> s.contains("${?" + var + "}") || s.contains("${" + var)),
          var + " is set by the manifests but read by no configuration");
    }
    assertNotNull(env.get("AUTOPILOT_POD_IP"));
  }
}
