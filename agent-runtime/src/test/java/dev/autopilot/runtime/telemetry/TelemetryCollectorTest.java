package dev.autopilot.runtime.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.api.Action;
import dev.autopilot.api.ActuationResult;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.Platform;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.cluster.AutopilotNode;
import dev.autopilot.runtime.loop.AgentEntities;
import dev.autopilot.runtime.loop.ControlLoop;
import dev.autopilot.runtime.loop.PipelineSlas;
import dev.autopilot.runtime.metrics.AutopilotMetrics;
import dev.autopilot.runtime.sim.FaultSchedule;
import dev.autopilot.runtime.sim.Scenario;
import dev.autopilot.runtime.sim.SimSettings;
import dev.autopilot.runtime.sim.SimulatedPlatform;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live driver over the whole control loop: a one-node cluster (local profile, H2 journal in a
 * temporary directory, no metrics port, no management), the collector as a cluster singleton on a
 * short interval against a {@link SimulatedPlatform}.
 */
class TelemetryCollectorTest {
  private static final List<String> PIPELINES = List.of("p1", "p2");
  private static final Duration INTERVAL = Duration.ofMillis(50);
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @Test
  void collectsEveryPipelineAndAdvancesTheSimulationOnlyAfterEveryTickIsClosed(@TempDir Path dir) {
    SimulatedPlatform platform = platform();
    AutopilotMetrics metrics;
    try (AutopilotNode node = startNode(dir, platform)) {
      metrics = node.metrics();
      ControlLoop loop = ControlLoop.start(node, PipelineSlas.of(config(dir), PIPELINES));
      ActorRef<TelemetryCollector.Command> collector =
          TelemetryCollector.initSingleton(
              node.system(),
              TelemetryCollector.create(
                  settings(dir),
                  platform,
                  loop::submit,
                  TelemetryCollector.afterCollection(platform),
                  node.metrics()));
      TestProbe<TelemetryCollector.Stats> probe = TestProbe.create(node.system());

      TelemetryCollector.Stats stats =
          probe.awaitAssert(
              PATIENCE,
              () -> {
                TelemetryCollector.Stats s = stats(collector, probe);
                assertTrue(s.collections() >= 20, () -> "collections so far: " + s);
                return s;
              });

      assertEquals(0, stats.rejected(), stats::toString);
      assertEquals(0, stats.tickFailures(), stats::toString);
      assertEquals(0, stats.platformFailures(), stats::toString);
      // every collection closes one tick per pipeline, then advances the simulation by one
      assertEquals(stats.collections() * PIPELINES.size(), stats.ticksClosed(), stats::toString);
      long current = platform.currentTick();
      assertTrue(current >= stats.collections(), () -> "platform at " + current + ", " + stats);
      for (String p : PIPELINES) {
        long last = stats.lastClosedTick().get(p);
        assertTrue(
            last == stats.collections() - 1,
            () -> p + " last closed tick " + last + " after " + stats.collections() + " collections");
      }
      assertTrue(node.metrics().tickCount() >= stats.ticksClosed(), "ticks in the metrics");
      assertTrue(node.metrics().collectionCount() >= stats.collections(), "collections in the metrics");
      assertEquals(
          0, node.metrics().collectionFailureCount(TelemetryCollector.FailureKind.PLATFORM));
    }
    // the coordinated shutdown drained the collector before the agents' shards went away
    assertEquals(0, metrics.collectionFailureCount(TelemetryCollector.FailureKind.TICK_FAILED));
  }

  @Test
  void aFailingPlatformIsCountedAndTheCollectorKeepsGoing(@TempDir Path dir) {
    SimulatedPlatform simulated = platform();
    // p1 fails on every third observation: the platform cannot be reached
    FlakyPlatform platform = new FlakyPlatform(simulated, "p1", 3);
    try (AutopilotNode node = startNode(dir, simulated)) {
      ControlLoop loop = ControlLoop.start(node, PipelineSlas.of(config(dir), PIPELINES));
      ActorRef<TelemetryCollector.Command> collector =
          TelemetryCollector.initSingleton(
              node.system(),
              TelemetryCollector.create(
                  settings(dir),
                  platform,
                  loop::submit,
                  TelemetryCollector.afterCollection(simulated),
                  node.metrics()));
      TestProbe<TelemetryCollector.Stats> probe = TestProbe.create(node.system());

      TelemetryCollector.Stats stats =
          probe.awaitAssert(
              PATIENCE,
              () -> {
                TelemetryCollector.Stats s = stats(collector, probe);
                assertTrue(s.platformFailures() >= 4, () -> "so far: " + s);
                assertTrue(s.collections() >= 15, () -> "so far: " + s);
                return s;
              });

      // every failed observation is counted (the one of a collection still running may not be yet)
      long uncounted = platform.failures() - stats.platformFailures();
      assertTrue(uncounted == 0 || uncounted == 1, () -> platform.failures() + " failures, " + stats);
      assertEquals(0, stats.rejected(), stats::toString);
      assertEquals(0, stats.tickFailures(), stats::toString);
      // p2 never failed: one closed tick per collection; p1 all but the failed observations
      assertEquals(
          2 * stats.collections() - stats.platformFailures(), stats.ticksClosed(), stats::toString);
      assertTrue(
          stats.lastClosedTick().get("p1") >= stats.collections() - 2,
          () -> "p1 goes on after its failures: " + stats);
      assertTrue(
          node.metrics().collectionFailureCount(TelemetryCollector.FailureKind.PLATFORM)
              >= stats.platformFailures(),
          "platform failures in the metrics");
      assertFalse(stats.lastClosedTick().isEmpty());
    }
  }

  private static TelemetryCollector.Stats stats(
      ActorRef<TelemetryCollector.Command> collector, TestProbe<TelemetryCollector.Stats> probe) {
    collector.tell(new TelemetryCollector.GetStats(probe.ref()));
    return probe.receiveMessage(Duration.ofSeconds(10));
  }

  private static SimulatedPlatform platform() {
    SimSettings sim = SimSettings.create(RuntimeConfig.load());
    Scenario scenario =
        Scenario.defaultScenario(sim, 7, 1, PIPELINES.size()).withFaults(FaultSchedule.none());
    return new SimulatedPlatform(sim, scenario);
  }

  private static Config config(Path dir) {
    String url =
        "jdbc:h2:file:" + dir.resolve("journal") + ";DATABASE_TO_UPPER=false;DB_CLOSE_ON_EXIT=FALSE";
    return RuntimeConfig.load(
        "local",
        RuntimeConfig.database(url, "sa", "")
            .withFallback(
                ConfigFactory.parseString(
                    "autopilot.metrics.port = 0\n"
                        + "autopilot.node.management-enabled = off\n"
                        + "autopilot.collector.initial-delay = 0s\n")));
  }

  private static CollectorSettings settings(Path dir) {
    return CollectorSettings.create(config(dir)).withInterval(INTERVAL);
  }

  private static AutopilotNode startNode(Path dir, SimulatedPlatform platform) {
    AutopilotNode node =
        AutopilotNode.start(config(dir), system -> AgentEntities.init(system, platform));
    node.awaitUp();
    return node;
  }

  /** Delegates to a platform, and fails every n-th observation of one pipeline. */
  private static final class FlakyPlatform implements Platform {
    private final Platform delegate;
    private final String failing;
    private final int every;
    private final AtomicInteger observations = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();

    FlakyPlatform(Platform delegate, String failing, int every) {
      this.delegate = delegate;
      this.failing = failing;
      this.every = every;
    }

    int failures() {
      return failures.get();
    }

    @Override
    public Set<String> pipelines() {
      return delegate.pipelines();
    }

    @Override
    public TelemetrySnapshot observe(String pipelineId) {
      if (failing.equals(pipelineId) && observations.incrementAndGet() % every == 0) {
        failures.incrementAndGet();
        throw new PlatformException(
            PlatformException.Kind.UNAVAILABLE, "JobManager unreachable (test)");
      }
      return delegate.observe(pipelineId);
    }

    @Override
    public ActuationResult apply(String pipelineId, PipelineConfig desired) {
      return delegate.apply(pipelineId, desired);
    }

    @Override
    public ActuationResult recover(
        String pipelineId, String actionId, Action.RecoveryAction action) {
      return delegate.recover(pipelineId, actionId, action);
    }
  }
}
