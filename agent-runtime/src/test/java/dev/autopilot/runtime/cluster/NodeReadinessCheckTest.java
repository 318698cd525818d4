package dev.autopilot.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import dev.autopilot.persistence.JournalSchema;
import dev.autopilot.runtime.RuntimeConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeReadinessCheckTest {

  private static boolean ready(NodeReadinessCheck check) throws Exception {
    return check.get().toCompletableFuture().get();
  }

  @Test
  void readyOnlyWhenUpAndTheSchemaExists(@TempDir Path dir) throws Exception {
    Config config =
        RuntimeConfig.load(
            "local",
            RuntimeConfig.nodePorts(0, 0, 0)
                .withFallback(
                    RuntimeConfig.database(
                        "jdbc:h2:file:" + dir.resolve("ready") + ";DATABASE_TO_UPPER=false",
                        "sa",
                        "")));
    ActorTestKit kit = ActorTestKit.create("autopilot", config);
    try {
      NodeReadinessCheck check = new NodeReadinessCheck(Adapter.toClassic(kit.system()));
      assertFalse(ready(check), "not joined, no schema");

      Cluster cluster = Cluster.get(kit.system());
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (cluster.selfMember().status() != MemberStatus.up() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertFalse(ready(check), "Up, but no schema yet");

      JournalSchema.ensure(kit.system());
      assertTrue(ready(check), "Up and schema created");
    } finally {
      kit.shutdownTestKit();
    }
  }
}
