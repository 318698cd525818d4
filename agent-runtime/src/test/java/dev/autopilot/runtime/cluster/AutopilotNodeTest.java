package dev.autopilot.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.persistence.JournalSchema;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.TestPorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutopilotNodeTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private Config config(Path dir, String join, int metricsPort) {
    return RuntimeConfig.load(
        "local",
        ConfigFactory.parseMap(Map.of("autopilot.cluster.join", join))
            .withFallback(RuntimeConfig.nodePorts(0, 0, metricsPort))
            .withFallback(
                RuntimeConfig.database(
                    "jdbc:h2:file:" + dir.resolve("node") + ";DATABASE_TO_UPPER=false", "sa", "")));
  }

  private int status(URI base, String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private void awaitStatus(URI base, String path, int expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    int last = -1;
    while (System.nanoTime() < deadline) {
      last = status(base, path);
      if (last == expected) {
        return;
      }
      Thread.sleep(100);
    }
    assertEquals(expected, last, path);
  }

  private static void awaitSelfUp(ActorSystem<?> system) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (Cluster.get(system).selfMember().status() != MemberStatus.up()
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(MemberStatus.up(), Cluster.get(system).selfMember().status());
  }

  @Test
  void localNodeJoinsItselfAndIsAliveAndReady(@TempDir Path dir) throws Exception {
    int metricsPort = TestPorts.free();
    AtomicReference<ActorSystem<?>> hooked = new AtomicReference<>();
    try (AutopilotNode node = AutopilotNode.start(config(dir, "self", metricsPort), hooked::set)) {
      assertTrue(hooked.get() == node.system(), "initEntities got the node's system");
      node.awaitUp();
      awaitSelfUp(node.system());
      assertTrue(JournalSchema.isCreated(node.system()));

      URI management = node.managementUri().orElseThrow();
      assertNotEquals(0, management.getPort());
      assertEquals(200, status(management, "/alive"));
      awaitStatus(management, "/ready", 200);

      assertEquals(metricsPort, node.metricsPort());
      HttpResponse<String> metrics =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, metrics.statusCode());
      assertTrue(metrics.body().contains("autopilot_build_info"), metrics.body());
    }
  }

  @Test
  void notReadyUntilTheNodeIsUp(@TempDir Path dir) throws Exception {
    try (AutopilotNode node = AutopilotNode.start(config(dir, "manual", 0), system -> {})) {
      URI management = node.managementUri().orElseThrow();
      assertEquals(200, status(management, "/alive"));
      assertEquals(500, status(management, "/ready"));
      assertEquals(0, node.metricsPort());

      Cluster cluster = Cluster.get(node.system());
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
      node.awaitUp(Duration.ofSeconds(30));
      awaitStatus(management, "/ready", 200);
    }
  }
}
