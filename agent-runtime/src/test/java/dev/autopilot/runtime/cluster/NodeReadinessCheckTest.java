package dev.autopilot.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import dev.autopilot.persistence.JournalSchema;
import dev.autopilot.runtime.RuntimeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeReadinessCheckTest {

  /** An actor system of the local profile (not joined) journaling into {@code url}. */
  private static ActorTestKit node(String url, String user) {
    Config config =
        RuntimeConfig.load(
            "local",
            RuntimeConfig.nodePorts(0, 0, 0).withFallback(RuntimeConfig.database(url, user, "")));
    return ActorTestKit.create("autopilot", config);
  }

  /** "ready" or the reason the check gives for not being ready. */
  private static String readiness(NodeReadinessCheck check) throws Exception {
    try {
      assertEquals(true, check.get().toCompletableFuture().get());
      return "ready";
    } catch (ExecutionException e) {
      assertInstanceOf(NodeReadinessCheck.NotReadyException.class, e.getCause());
      return e.getCause().getMessage();
    }
  }

  private static void awaitUp(ActorTestKit kit) throws InterruptedException {
    Cluster cluster = Cluster.get(kit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (cluster.selfMember().status() != MemberStatus.up() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  /** The readiness once the journal probe made its first check (it runs every second). */
  private static String readinessAfterFirstCheck(NodeReadinessCheck check) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    String r = readiness(check);
    while (r.startsWith("journal database not checked yet") && System.nanoTime() < deadline) {
      Thread.sleep(50);
      r = readiness(check);
    }
    return r;
  }

  @Test
  void readyOnlyWhenUpTheSchemaExistsAndTheJournalAnswers(@TempDir Path dir) throws Exception {
    ActorTestKit kit =
        node("jdbc:h2:file:" + dir.resolve("ready") + ";DATABASE_TO_UPPER=false", "sa");
    try {
      NodeReadinessCheck check = new NodeReadinessCheck(Adapter.toClassic(kit.system()));
      String notJoined = readiness(check);
      assertTrue(notJoined.contains("not Up"), notJoined);

      awaitUp(kit);
      assertEquals(
          "the journal schema is not created yet",
          readinessAfterFirstCheck(check),
          "Up, the journal answers, no schema");

      JournalSchema.ensure(kit.system());
      assertEquals("ready", readiness(check));
      assertTrue(JournalHealth.get(kit.system()).status().up());
    } finally {
      kit.shutdownTestKit();
    }
  }

  @Test
  void notReadyButStillAnsweringWhileTheJournalDatabaseIsDown() throws Exception {
    int port = JournalProbeTest.unusedPort();
    ActorTestKit kit = node("jdbc:postgresql://127.0.0.1:" + port + "/journal", "postgres");
    try {
      awaitUp(kit);
      NodeReadinessCheck check = new NodeReadinessCheck(Adapter.toClassic(kit.system()));
      String r = readinessAfterFirstCheck(check);
      assertTrue(r.contains("unreachable") && r.contains("127.0.0.1:" + port), r);
      assertEquals(new JournalHealth.Status(false, r), JournalHealth.get(kit.system()).status());
    } finally {
      kit.shutdownTestKit();
    }
  }
}
