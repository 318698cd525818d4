package dev.autopilot.runtime.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.meta.Actuator;
import dev.autopilot.agents.meta.MetaAgent;
import dev.autopilot.agents.meta.MetaSettings;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.persistence.AuditRecord;
import dev.autopilot.persistence.AuditReplay;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.cluster.AutopilotNode;
import dev.autopilot.runtime.flink.FakeJobManager;
import dev.autopilot.runtime.flink.FakeJobManager.Fault;
import dev.autopilot.runtime.flink.FakeJobManager.Scope;
import dev.autopilot.runtime.flink.FlinkRestClient;
import dev.autopilot.runtime.flink.FlinkRestPlatform;
import dev.autopilot.runtime.flink.FlinkRestSettings;
import dev.autopilot.runtime.loop.ControlLoop;
import dev.autopilot.runtime.loop.PipelineSlas;
import dev.autopilot.runtime.metrics.AutopilotMetrics;
import dev.autopilot.runtime.telemetry.CollectorSettings;
import dev.autopilot.runtime.telemetry.TelemetryCollector;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform-fault drill at the actor level: the real telemetry collector, control loop,
 * meta-agent and actuator of a one-node cluster (H2 journal in a temporary directory) drive a
 * {@link FlinkRestPlatform} against a {@link FakeJobManager} that turns faulty and heals. A
 * scripted optimization agent asks for one rescale (enrich 2 -> 3) until the job runs it.
 *
 * <ol>
 *   <li>The JobManager refuses writes (HTTP 503): every attempt of the rescale is journaled as a
 *       {@code ChangeFailed} whose explanation records the action and the error, {@code
 *       autopilot_actuation_failures_total{kind="unavailable"}} rises, and the ticks keep closing.
 *   <li>It heals: the rescale is applied and the job runs it.
 *   <li>It answers 503 to everything: observations fail and are counted in {@code
 *       autopilot_collection_failures_total{kind="platform"}}, the collector goes on collecting,
 *       and the requests stay within one per observation plus the retry budget, which bites.
 *   <li>It stalls its answers mid-body: observations time out (the client's bound), still counted.
 *   <li>It heals: ticks close again.
 * </ol>
 */
class PlatformFaultDrillTest {
  private static final String PIPELINE = "p1";
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final int ENRICH_TARGET = 3;

  @Test
  void theLoopRidesOutAFaultyJobManagerAndActuatesAgainOnceItHeals(@TempDir Path dir) {
    Config config = config(dir);
    try (FakeJobManager jobManager = FakeJobManager.start(Clock.systemUTC())) {
      FlinkRestSettings settings = FlinkRestSettings.create(config).withBaseUrl(jobManager.url());
      FlinkRestClient client = FlinkRestClient.create(settings);
      FlinkRestPlatform platform =
          new FlinkRestPlatform(
              settings, client, Map.of(PIPELINE, "taxi"), null, Clock.systemUTC());
      jobManager.fail(Fault.UNAVAILABLE, Scope.WRITES);

      try (AutopilotNode node = startNode(config, platform)) {
        AutopilotMetrics metrics = node.metrics();
        ControlLoop loop = ControlLoop.start(node, PipelineSlas.of(config, List.of(PIPELINE)));
        ActorRef<TelemetryCollector.Command> collector =
            TelemetryCollector.initSingleton(
                node.system(),
                TelemetryCollector.create(
                    CollectorSettings.create(config).withInterval(Duration.ofMillis(200)),
                    platform,
                    loop::submit,
                    TelemetryCollector.afterCollection(platform),
                    metrics));
        TestProbe<TelemetryCollector.Stats> probe = TestProbe.create(node.system());

        // 1. Writes refused: the rescale fails, is journaled and counted, the ticks go on.
        TelemetryCollector.Stats refused =
            probe.awaitAssert(
                PATIENCE,
                () -> {
                  TelemetryCollector.Stats s = stats(collector, probe);
                  assertTrue(
                      metrics.actuationFailureCount("UNAVAILABLE") >= 2, () -> "so far " + s);
                  assertTrue(s.ticksClosed() >= 3, () -> "so far " + s);
                  return s;
                });
        assertEquals(2, jobManager.parallelismOf(FakeJobManager.MAP), "nothing was rescaled");
        assertEquals(0, refused.platformFailures(), "observations were answered");
        List<Actuator.ChangeFailed> failures = events(node, Actuator.ChangeFailed.class);
        assertFalse(failures.isEmpty(), "a ChangeFailed is journaled");
        for (Actuator.ChangeFailed f : failures) {
          assertEquals("UNAVAILABLE", f.errorKind(), f.toString());
          assertTrue(f.error().contains("resource-requirements: HTTP 503"), f.error());
          // the failed action: "reconfigure to <target>: <before> -> <target>", enrich 2 -> 3
          assertTrue(f.explanation().action().startsWith("reconfigure to p=[1, 3]"), f.toString());
          assertTrue(f.explanation().action().contains("p=[1, 2]"), f.toString());
          assertTrue(
              f.explanation().verification().startsWith("FAILED: the platform did not execute it"),
              f.explanation().verification());
          assertTrue(f.explanation().verification().contains("HTTP 503"), f.toString());
        }

        // 2. Healed: the next decision is applied and the job runs the new parallelism.
        jobManager.heal();
        eventually(
            probe, () -> assertEquals(ENRICH_TARGET, jobManager.parallelismOf(FakeJobManager.MAP)));
        eventually(
            probe,
            () ->
                assertTrue(
                    events(node, Actuator.ChangeApplied.class).stream()
                        .anyMatch(
                            a -> a.explanation().action().contains("enrich=" + ENRICH_TARGET)),
                    "a ChangeApplied is journaled"));

        // 3. Everything answered 503: observations fail and are counted; no retry storm.
        long platformFailuresBefore =
            metrics.collectionFailureCount(TelemetryCollector.FailureKind.PLATFORM);
        TelemetryCollector.Stats beforeOutage = stats(collector, probe);
        int requestsBefore = jobManager.requests().size();
        jobManager.fail(Fault.UNAVAILABLE, Scope.ALL);
        TelemetryCollector.Stats outage =
            probe.awaitAssert(
                PATIENCE,
                () -> {
                  TelemetryCollector.Stats s = stats(collector, probe);
                  assertTrue(
                      s.platformFailures() >= beforeOutage.platformFailures() + 15,
                      () -> "so far " + s);
                  return s;
                });
        jobManager.heal();
        long failedObservations = outage.platformFailures() - beforeOutage.platformFailures();
        long faultyRequests =
            jobManager.requests().stream()
                .skip(requestsBefore)
                .filter(FakeJobManager.Request::faulty)
                .count();
        int bound = settings.retry().maxRetriesPerMinute();
        String figures =
            "platform-fault drill, actor level, JobManager answering 503: "
                + failedObservations
                + " failed observations counted, "
                + faultyRequests
                + " requests answered 503, "
                + client.retrier().retries()
                + " retries in all, "
                + client.retrier().refused()
                + " refused by the budget, "
                + client.retrier().retriesInLastMinute()
                + " in the last minute (bound "
                + bound
                + ")";
        System.out.println(figures);
        assertTrue(outage.collections() > beforeOutage.collections(), figures);
        assertTrue(
            metrics.collectionFailureCount(TelemetryCollector.FailureKind.PLATFORM)
                >= platformFailuresBefore + failedObservations,
            figures);
        assertTrue(client.retrier().retriesInLastMinute() <= bound, figures);
        assertTrue(client.retrier().refused() > 0, "the retry budget bit: " + figures);
        // an observation in flight when the fault ends may not be counted yet
        assertTrue(
            faultyRequests <= failedObservations + settings.retry().maxAttempts() + bound, figures);

        // 4. Answers stalled mid-body: the observations time out instead of hanging.
        TelemetryCollector.Stats beforeStall = stats(collector, probe);
        jobManager.fail(Fault.STALLED_BODY, Scope.ALL);
        eventually(
            probe,
            () ->
                assertTrue(
                    stats(collector, probe).platformFailures()
                        >= beforeStall.platformFailures() + 2));

        // 5. Healed: the ticks close again and nothing stopped.
        jobManager.heal();
        long closedAtHeal = stats(collector, probe).ticksClosed();
        eventually(
            probe, () -> assertTrue(stats(collector, probe).ticksClosed() >= closedAtHeal + 3));
        assertFalse(node.system().getWhenTerminated().toCompletableFuture().isDone());
        assertEquals(0, stats(collector, probe).tickFailures(), "every submitted tick closed");
      }
    }
  }

  // ------------------------------------------------------------------------------ helpers

  private static void eventually(TestProbe<?> probe, Runnable check) {
    probe.awaitAssert(
        PATIENCE,
        () -> {
          check.run();
          return null;
        });
  }

  private static TelemetryCollector.Stats stats(
      ActorRef<TelemetryCollector.Command> collector, TestProbe<TelemetryCollector.Stats> probe) {
    collector.tell(new TelemetryCollector.GetStats(probe.ref()));
    return probe.receiveMessage(Duration.ofSeconds(10));
  }

  /** The pipeline's journaled events of one type, replayed from the journal. */
  private static <E> List<E> events(AutopilotNode node, Class<E> type) {
    try {
      return AuditReplay.create(node.system())
          .replayPipeline(PIPELINE)
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS)
          .records()
          .stream()
          .map(AuditRecord::event)
          .filter(type::isInstance)
          .map(type::cast)
          .toList();
    } catch (Exception e) {
      throw new AssertionError("cannot replay the journal of " + PIPELINE, e);
    }
  }

  /** Proposes enrich at the target parallelism until the job runs it. */
  private static PipelineConfig script(TelemetrySnapshot s) {
    PipelineConfig c = s.config();
    return c.parallelismOf("enrich") == ENRICH_TARGET
        ? null
        : c.withParallelism(Map.of("enrich", ENRICH_TARGET));
  }

  private static AutopilotNode startNode(Config config, FlinkRestPlatform platform) {
    AutopilotNode node =
        AutopilotNode.start(
            config,
            system -> {
              ScriptedProposer.initSharding(
                  system, AgentKind.OPTIMIZATION, PlatformFaultDrillTest::script);
              MetaAgent.initSharding(
                  system, MetaSettings.create(system.settings().config()), platform);
            });
    node.awaitUp();
    return node;
  }

  /**
   * A one-node cluster on H2; admission opened to the fake job's small sizes (the drill is about
   * the platform, not the constraints); short Flink REST timeouts and backoffs.
   */
  private static Config config(Path dir) {
    String url =
        "jdbc:h2:file:"
            + dir.resolve("journal")
            + ";DATABASE_TO_UPPER=false;DB_CLOSE_ON_EXIT=FALSE";
    return RuntimeConfig.load(
        "local",
        RuntimeConfig.database(url, "sa", "")
            .withFallback(
                ConfigFactory.parseString(
                        String.join(
                            "\n",
                            "autopilot.metrics.port = 0",
                            "autopilot.node.management-enabled = off",
                            "autopilot.collector.initial-delay = 0s",
                            "autopilot.meta.proposers = [optimization]",
                            "autopilot.meta.constraints.min-parallelism = 1",
                            "autopilot.meta.constraints.cooldown-ticks = 0",
                            "autopilot.meta.tested-ranges.parallelism.min = 1",
                            "autopilot.meta.tested-ranges.checkpoint-interval-seconds.min = 1",
                            "autopilot.meta.tested-ranges.taskmanager-memory-gb.max = 64"))
                    .withFallback(
                        FakeJobManager.restSettings(
                            Duration.ofMillis(20), Duration.ofMillis(100), 20))));
  }
}
