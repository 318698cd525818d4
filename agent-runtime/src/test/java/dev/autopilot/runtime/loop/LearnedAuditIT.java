package dev.autopilot.runtime.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.meta.MetaAgent;
import dev.autopilot.agents.meta.MetaSettings;
import dev.autopilot.agents.optimization.OptimizationAgent;
import dev.autopilot.agents.optimization.learned.LearnedPolicy;
import dev.autopilot.agents.optimization.learned.ShadowEvaluation;
import dev.autopilot.agents.prediction.model.PredictionModels;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.AuditEvent;
import dev.autopilot.api.ExpectedEffect;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.persistence.AuditRecord;
import dev.autopilot.persistence.AuditReplay;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.cluster.AutopilotNode;
import dev.autopilot.runtime.sim.FaultSchedule;
import dev.autopilot.runtime.sim.Scenario;
import dev.autopilot.runtime.sim.SimSettings;
import dev.autopilot.runtime.sim.SimulatedPlatform;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learned optimizer's safety path through the whole loop on an H2 journal: on p1 a policy whose
 * shadow evaluation beats DS2 is promoted (journaled once) and its proposal is applied; on p2 a
 * policy that does not only shadows, the meta-agent journals each shadow proposal with its
 * admission verdict, and nothing of it reaches the platform. The audit replay of every event
 * (through JDBC and Jackson) rebuilds the live state of both agents.
 */
class LearnedAuditIT {
  private static final List<String> PIPELINES = List.of("p1", "p2");
  private static final int TICKS = 40;
  private static final ShadowEvaluation WIN =
      new ShadowEvaluation(List.of(7L, 8L), 1000, 1.0, 2.0, 0.01, 0.011, 0.5, 0.4, true);
  private static final ShadowEvaluation LOSS =
      new ShadowEvaluation(List.of(7L, 8L), 1000, 3.0, 2.0, 0.01, 0.011, 0.3, 0.4, false);

  /** Asks for a 45 s checkpoint interval whenever the job runs another. */
  record CheckpointPolicy(int version, ShadowEvaluation evaluation) implements LearnedPolicy {
    @Override
    public LearnedPolicy fresh() {
      return this; // a record: no working memory
    }

    @Override
    public Optional<Recommendation> recommend(TelemetrySnapshot s, SlaSpec sla) {
      if (s.config().checkpointIntervalSeconds() == 45) {
        return Optional.empty();
      }
      return Optional.of(
          new Recommendation(
              s.config().withCheckpointIntervalSeconds(45),
              0.7,
              new ExpectedEffect(0, 0, s.job().throughputPerSecond(), s.job().latencyP99Ms(), 0.1),
              List.of("fake policy")));
    }
  }

  @Test
  void promotionShadowAndAdmissionAreJournaledAndReplayed(@TempDir Path dir) throws Exception {
    Config base = RuntimeConfig.load();
    SimSettings sim = SimSettings.create(base);
    Scenario scenario =
        Scenario.defaultScenario(sim, 11, 1, PIPELINES.size()).withFaults(FaultSchedule.none());
    SimulatedPlatform platform = new SimulatedPlatform(sim, scenario);
    String url =
        "jdbc:h2:file:"
            + dir.resolve("journal")
            + ";DATABASE_TO_UPPER=false;DB_CLOSE_ON_EXIT=FALSE";
    Config config =
        RuntimeConfig.load(
            "local",
            RuntimeConfig.database(url, "sa", "")
                .withFallback(
                    ConfigFactory.parseString(
                        "autopilot.metrics.port = 0\nautopilot.node.management-enabled = off")));
    Map<String, SlaSpec> slas = PipelineSlas.of(config, PIPELINES);
    try (AutopilotNode node =
        AutopilotNode.start(
            config,
            system ->
                AgentEntities.init(
                    system,
                    platform,
                    PredictionModels.NONE,
                    p -> Optional.of(new CheckpointPolicy(4, p.equals("p1") ? WIN : LOSS))))) {
      node.awaitUp();
      ControlLoop loop = ControlLoop.start(node, slas);
      for (int t = 0; t < TICKS; t++) {
        for (String p : PIPELINES) {
          int tick = t;
          var result = loop.submitAndWait(platform.observe(p));
          assertInstanceOf(LoopResult.TickCompleted.class, result, () -> "tick " + tick);
        }
        platform.advance();
      }
      assertEquals(45, platform.observe("p1").config().checkpointIntervalSeconds());
      assertEquals(30, platform.observe("p2").config().checkpointIntervalSeconds(), "shadow only");

      AuditReplay.Result replay =
          AuditReplay.create(node.system())
              .replayAll()
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
      assertTrue(replay.errors().isEmpty(), () -> replay.errors().toString());
      Map<String, List<Object>> events = new LinkedHashMap<>();
      for (AuditRecord r : replay.records()) {
        events.computeIfAbsent(r.persistenceId(), k -> new ArrayList<>()).add(r.event());
      }
      List<Object> opt1 = events.getOrDefault("optimization|p1", List.of());
      List<Object> opt2 = events.getOrDefault("optimization|p2", List.of());
      List<Object> meta2 = events.getOrDefault("meta|p2", List.of());
      List<OptimizationAgent.PolicyPromoted> promoted =
          only(opt1, OptimizationAgent.PolicyPromoted.class);
      assertEquals(1, promoted.size(), opt1.toString());
      assertEquals(WIN, promoted.get(0).evaluation());
      assertFalse(only(opt1, OptimizationAgent.LearnedProposed.class).isEmpty());
      assertTrue(only(opt2, OptimizationAgent.PolicyPromoted.class).isEmpty());
      assertEquals(1, only(opt2, OptimizationAgent.ShadowProposed.class).size(), opt2.toString());
      List<MetaAgent.ShadowProposalRecorded> recorded =
          only(meta2, MetaAgent.ShadowProposalRecorded.class);
      assertEquals(1, recorded.size(), meta2.toString());
      assertTrue(recorded.get(0).admitted(), recorded.get(0).summary());
      // The audit timeline shows them (AuditCommand prints every AuditEvent's summary).
      assertTrue(promoted.get(0).summary().startsWith("learned policy v4 promoted: shadow"));
      assertTrue(recorded.get(0).summary().endsWith("admitted, not applied"));

      ClusterSharding sharding = ClusterSharding.get(node.system());
      MetaSettings meta = MetaSettings.create(config);
      for (String p : PIPELINES) {
        OptimizationAgent.State opt = OptimizationAgent.State.empty(p);
        for (Object e : events.getOrDefault("optimization|" + p, List.of())) {
          opt = opt.apply((OptimizationAgent.Event) e);
        }
        assertEquals(
            opt,
            sharding
                .entityRefFor(MetaAgent.agentKey(AgentKind.OPTIMIZATION), p)
                .<OptimizationAgent.State>ask(
                    OptimizationAgent.GetState::new, Duration.ofSeconds(10))
                .toCompletableFuture()
                .get(15, TimeUnit.SECONDS));
        MetaAgent.State m = MetaAgent.State.initial(p, meta.mode());
        for (Object e : events.getOrDefault("meta|" + p, List.of())) {
          m = m.apply((MetaAgent.Event) e);
        }
        assertEquals(
            m,
            sharding
                .entityRefFor(MetaAgent.ENTITY_TYPE_KEY, p)
                .<MetaAgent.State>ask(MetaAgent.GetState::new, Duration.ofSeconds(10))
                .toCompletableFuture()
                .get(15, TimeUnit.SECONDS));
      }
      assertEquals(4, opt(sharding, "p1").promotedVersion());
      assertEquals(0, opt(sharding, "p2").promotedVersion());
    }
  }

  private static OptimizationAgent.State opt(ClusterSharding sharding, String p) throws Exception {
    return sharding
        .entityRefFor(MetaAgent.agentKey(AgentKind.OPTIMIZATION), p)
        .<OptimizationAgent.State>ask(OptimizationAgent.GetState::new, Duration.ofSeconds(10))
        .toCompletableFuture()
        .get(15, TimeUnit.SECONDS);
  }

  private static <T> List<T> only(List<Object> events, Class<T> type) {
    List<T> out = new ArrayList<>();
    for (Object e : events) {
      assertInstanceOf(AuditEvent.class, e);
      if (type.isInstance(e)) {
        out.add(type.cast(e));
      }
    }
    return out;
  }
}
