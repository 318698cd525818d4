package dev.autopilot.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Three nodes in one JVM share a PostgreSQL journal; the node hosting a sharded event-sourced
 * entity is killed, and the entity comes back on another node with the same state.
 */
class MultiNodeClusterIT {
  /** Retried reads (Get is idempotent) while the entity moves. */
  private static final Duration ATTEMPT = Duration.ofSeconds(3);

  private static final Duration RECOVERY = Duration.ofSeconds(90);

  /** Writes are asked once with a long timeout: a retried Add could be applied twice. */
  private static final Duration WRITE = Duration.ofSeconds(30);

  @Test
  void entityRestartsOnAnotherNodeWithTheSameStateAfterItsNodeIsKilled() {
    try (LocalCluster cluster = ClusterHarness.start(3, ItCounter::initSharding)) {
      ItCounter.Reply reply = null;
      for (long v : new long[] {3, 1, 4, 1, 5}) {
        long value = v;
        reply =
            cluster.askEntity(
                0, ItCounter.KEY, "p1", r -> new ItCounter.Add(value, r), WRITE, WRITE);
      }
      assertEquals(List.of(3L, 1L, 4L, 1L, 5L), reply.values());
      int host = cluster.nodeHosting(ItCounter.KEY, "p1", Duration.ofSeconds(10));
      String hostAddress = cluster.system(host).address().toString();
      assertEquals(hostAddress, reply.host());

      cluster.kill(host);
      int via = cluster.runningNodes().get(0);

      ItCounter.Reply after =
          cluster.askEntity(via, ItCounter.KEY, "p1", ItCounter.Get::new, ATTEMPT, RECOVERY);
      assertEquals(List.of(3L, 1L, 4L, 1L, 5L), after.values());
      assertNotEquals(hostAddress, after.host());
      int newHost = cluster.nodeHosting(ItCounter.KEY, "p1", Duration.ofSeconds(10));
      assertNotEquals(host, newHost);
      assertEquals(cluster.system(newHost).address().toString(), after.host());
      cluster.awaitMembersUp(2, Duration.ofSeconds(30));

      // The new incarnation keeps journaling after the recovered events.
      ItCounter.Reply more =
          cluster.askEntity(via, ItCounter.KEY, "p1", r -> new ItCounter.Add(9, r), WRITE, WRITE);
      assertEquals(List.of(3L, 1L, 4L, 1L, 5L, 9L), more.values());
    }
  }
}
