package dev.autopilot.runtime.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.SnapshotValidator.Reason;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;
import dev.autopilot.runtime.metrics.AutopilotMetrics;
import dev.autopilot.runtime.telemetry.TelemetryGateway.Accepted;
import dev.autopilot.runtime.telemetry.TelemetryGateway.IngestResult;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.apache.pekko.actor.testkit.typed.javadsl.BehaviorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;

/**
 * Telemetry fuzz of the gateway (issue 8), run synchronously with {@link BehaviorTestKit} (no actor
 * system): random streams of healthy, stale, duplicated, unknown-pipeline and null snapshots and
 * junk registrations. Every rejection is answered and counted once (stats and metric agree with the
 * replies), every accepted snapshot goes downstream, and the per-pipeline state never exceeds the
 * known pipelines however many unknown pipelines are sent (memory stays bounded).
 */
class GatewayFuzzTest {
  private static final Set<String> PIPELINES = Set.of("p1", "p2", "p3");
  private static final double[] BUCKETS = {0.01, 0.1, 1};

  @Property(tries = 200, seed = "42")
  void everyRejectionIsCountedAndStateStaysBounded(@ForAll long seed) {
    Random r = new Random(seed);
    AutopilotMetrics metrics = new AutopilotMetrics("test", BUCKETS);
    TestInbox<Accepted> downstream = TestInbox.create();
    TestInbox<IngestResult> replies = TestInbox.create();
    BehaviorTestKit<TelemetryGateway.Command> kit =
        BehaviorTestKit.create(TelemetryGateway.create(PIPELINES, downstream.getRef(), metrics));
    Map<String, Long> last = new HashMap<>();
    int registered = 0;
    int sent = 0;
    for (int i = 0; i < 250; i++) {
      int kind = r.nextInt(10);
      if (kind == 0) {
        // Junk and real registrations; only non-blank names become known.
        String name = List.of("", "  ", "p-new-" + r.nextInt(3)).get(r.nextInt(3));
        kit.run(new TelemetryGateway.RegisterPipeline(r.nextInt(5) == 0 ? null : name));
        continue;
      }
      TelemetrySnapshot s;
      String p = "p" + (1 + r.nextInt(3));
      long lastTick = last.getOrDefault(p, 0L);
      switch (kind) {
        case 1, 2, 3 -> s = Snapshots.healthy("unknown-" + r.nextLong(), 1 + r.nextInt(1000));
        case 4 -> s = Snapshots.healthy(p, lastTick - r.nextInt(3)); // duplicated or stale tick
        case 5 -> s = null;
        default -> {
          s = Snapshots.healthy(p, lastTick + 1 + r.nextInt(3));
          last.put(p, s.tick());
        }
      }
      kit.run(new TelemetryGateway.Ingest(s, replies.getRef()));
      sent++;
    }
    Map<Reason, Long> replied = new EnumMap<>(Reason.class);
    for (IngestResult res : replies.getAllReceived()) {
      IngestResult.Rejected rej = assertInstanceOf(IngestResult.Rejected.class, res);
      assertFalse(rej.message().isBlank());
      replied.merge(rej.reason(), 1L, Long::sum);
      Statistics.label("gateway rejections").collect(rej.reason());
    }
    long forwarded = downstream.getAllReceived().size();
    TestInbox<TelemetryGateway.Stats> statsInbox = TestInbox.create();
    kit.run(new TelemetryGateway.GetStats(statsInbox.getRef()));
    TelemetryGateway.Stats stats = statsInbox.receiveMessage();
    assertEquals(forwarded, stats.accepted());
    assertTrue(
        stats.trackedPipelines() <= stats.knownPipelines(),
        stats.trackedPipelines() + " pipelines tracked, " + stats.knownPipelines() + " known");
    assertTrue(stats.knownPipelines() <= PIPELINES.size() + 3, "junk registrations were kept");
    assertEquals(sent, stats.accepted() + stats.rejectedTotal(), "a snapshot went uncounted");
    for (Reason reason : Reason.values()) {
      long n = replied.getOrDefault(reason, 0L);
      assertEquals(n, stats.rejected().get(reason), reason.name());
      assertEquals(n, metrics.rejectedCount(reason), "metric " + reason);
    }
    metrics.close();
  }
}
