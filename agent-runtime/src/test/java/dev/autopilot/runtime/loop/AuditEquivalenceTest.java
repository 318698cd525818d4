package dev.autopilot.runtime.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.meta.Actuator;
import dev.autopilot.agents.meta.MetaAgent;
import dev.autopilot.agents.meta.MetaSettings;
import dev.autopilot.agents.optimization.OptimizationAgent;
import dev.autopilot.agents.prediction.PredictionAgent;
import dev.autopilot.agents.recovery.RecoveryAgent;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.FailureMode;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.persistence.AuditRecord;
import dev.autopilot.persistence.AuditReplay;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.cluster.AutopilotNode;
import dev.autopilot.runtime.sim.FaultSchedule;
import dev.autopilot.runtime.sim.Scenario;
import dev.autopilot.runtime.sim.SimSettings;
import dev.autopilot.runtime.sim.SimulatedPlatform;
import dev.autopilot.runtime.telemetry.TelemetryGateway;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit promise: the state replayed from the journal (through the persistence query API and
 * each entity's own {@code State.apply}) equals the live state of every entity, after the whole
 * control loop ran a stretch of simulated time with faults on an H2 journal.
 */
class AuditEquivalenceTest {
  private static final List<String> PIPELINES = List.of("p1", "p2");
  private static final int TICKS = 900;

  @Test
  void replayedStateEqualsLiveStateOfEveryEntity(@TempDir Path dir) throws Exception {
    Config base = RuntimeConfig.load();
    SimSettings sim = SimSettings.create(base);
    Scenario scenario =
        Scenario.defaultScenario(sim, 11, 1, PIPELINES.size()).withFaults(FaultSchedule.none());
    SimulatedPlatform platform = new SimulatedPlatform(sim, scenario);
    String url =
        "jdbc:h2:file:" + dir.resolve("journal") + ";DATABASE_TO_UPPER=false;DB_CLOSE_ON_EXIT=FALSE";
    Config config =
        RuntimeConfig.load(
            "local",
            RuntimeConfig.database(url, "sa", "")
                .withFallback(
                    ConfigFactory.parseString(
                        "autopilot.metrics.port = 0\nautopilot.node.management-enabled = off")));
    Map<String, SlaSpec> slas = PipelineSlas.of(config, PIPELINES);
    try (AutopilotNode node =
        AutopilotNode.start(config, system -> AgentEntities.init(system, platform))) {
      node.awaitUp();
      ControlLoop loop = ControlLoop.start(node, slas);
      for (int t = 0; t < TICKS; t++) {
        if (t == 60) {
          platform.inject("p1", FailureMode.TASK_CRASH, null);
        }
        if (t == 300) {
          platform.inject("p2", FailureMode.STATE_CORRUPTION, null);
        }
        if (t == 600) {
          platform.inject("p1", FailureMode.EXTERNAL_DEPENDENCY_FAILURE, null);
        }
        for (String p : PIPELINES) {
          TelemetryGateway.IngestResult result = loop.submitAndWait(platform.observe(p));
          int tick = t;
          assertInstanceOf(LoopResult.TickCompleted.class, result, () -> "tick " + tick + ": " + result);
        }
        platform.advance();
      }

      AuditReplay.Result replay =
          AuditReplay.create(node.system()).replayAll().toCompletableFuture().get(60, TimeUnit.SECONDS);
      assertTrue(replay.errors().isEmpty(), () -> replay.errors().toString());
      Map<String, List<Object>> events = new LinkedHashMap<>();
      for (AuditRecord r : replay.records()) {
        events.computeIfAbsent(r.persistenceId(), k -> new ArrayList<>()).add(r.event());
      }
      assertTrue(events.containsKey("meta|p1"), events.keySet().toString());
      assertTrue(events.containsKey("actuator|p1"), events.keySet().toString());
      assertTrue(events.containsKey("recovery|p1"), events.keySet().toString());

      ClusterSharding sharding = ClusterSharding.get(node.system());
      MetaSettings meta = MetaSettings.create(config);
      for (String p : PIPELINES) {
        assertEquals(
            fold(events, "prediction|" + p, PredictionAgent.State.empty(p), (s, e) -> s.apply((PredictionAgent.Event) e)),
            ask(sharding, MetaAgent.agentKey(AgentKind.PREDICTION), p, PredictionAgent.GetState::new));
        assertEquals(
            fold(events, "recovery|" + p, RecoveryAgent.State.empty(p), (s, e) -> s.apply((RecoveryAgent.Event) e)),
            ask(sharding, MetaAgent.agentKey(AgentKind.RECOVERY), p, RecoveryAgent.GetState::new));
        assertEquals(
            fold(events, "optimization|" + p, OptimizationAgent.State.empty(p), (s, e) -> s.apply((OptimizationAgent.Event) e)),
            ask(sharding, MetaAgent.agentKey(AgentKind.OPTIMIZATION), p, OptimizationAgent.GetState::new));
        assertEquals(
            fold(events, "meta|" + p, MetaAgent.State.initial(p, meta.mode()), (s, e) -> s.apply((MetaAgent.Event) e)),
            ask(sharding, MetaAgent.ENTITY_TYPE_KEY, p, MetaAgent.GetState::new));
        Actuator.State live = ask(sharding, MetaAgent.ENTITY_TYPE_KEY, p, MetaAgent.GetActuatorState::new);
        Actuator.State replayed =
            fold(events, "actuator|" + p, Actuator.State.initial(p, meta.historySize()), (s, e) -> s.apply((Actuator.Event) e));
        assertEquals(replayed, live);
        assertTrue(live.history().size() >= 1, "the baseline configuration is journaled");
      }
    }
  }

  private interface Step<S> {
    S apply(S state, Object event);
  }

  private static <S> S fold(Map<String, List<Object>> events, String pid, S initial, Step<S> step) {
    S state = initial;
    for (Object e : events.getOrDefault(pid, List.of())) {
      state = step.apply(state, e);
    }
    return state;
  }

  private static <M, R> R ask(
      ClusterSharding sharding, EntityTypeKey<M> key, String id, Function<ActorRef<R>, M> msg)
      throws Exception {
    return sharding
        .entityRefFor(key, id)
        .<R>ask(msg::apply, Duration.ofSeconds(10))
        .toCompletableFuture()
        .get(15, TimeUnit.SECONDS);
  }
}
