package dev.autopilot.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.meta.Actuator;
import dev.autopilot.agents.meta.MetaAgent;
import dev.autopilot.agents.meta.MetaSettings;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.drill.ScriptedProposer;
import dev.autopilot.runtime.sim.FaultSchedule;
import dev.autopilot.runtime.sim.Scenario;
import dev.autopilot.runtime.sim.SimSettings;
import dev.autopilot.runtime.sim.SimulatedPlatform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;

/**
 * The core promise: the actuator's history of known-good configurations survives the loss of the
 * node that hosts it. Three nodes share a PostgreSQL journal and one simulated platform; a scripted
 * agent makes the real meta-agent and actuator apply and verify configurations; the hosting node is
 * killed; the entity restarts elsewhere with the same history in the same order, and a rollback
 * issued afterwards restores the right configuration on the platform.
 */
class NodeLossIT {
  private static final String PIPELINE = "p1";
  private static final Duration TICK = Duration.ofSeconds(30);
  private static final Duration RECOVERY = Duration.ofSeconds(120);

  /** Ticks between two scripted changes: beyond settle, catch-up, 18-tick window and cooldown. */
  private static final long PERIOD = 70;

  @Test
  void historySurvivesTheLossOfTheHostingNodeAndRollbackRestoresTheRightConfig() {
    SimSettings simSettings = SimSettings.create(RuntimeConfig.load());
    Scenario scenario =
        Scenario.defaultScenario(simSettings, 5, 1, 1).withFaults(FaultSchedule.none());
    SimulatedPlatform platform = new SimulatedPlatform(simSettings, scenario);
    PipelineConfig initial = simSettings.initialConfig();
    SlaSpec sla = new SlaSpec(800_000, 500, 0.05);

    try (LocalCluster cluster =
        ClusterHarness.start(
            3,
            ConfigFactory.empty(),
            (system, metrics) -> {
              ScriptedProposer.initSharding(system, AgentKind.OPTIMIZATION, NodeLossIT::script);
              MetaAgent.initSharding(
                  system, MetaSettings.create(system.settings().config()), platform);
            })) {

      // Drive ticks until the actuator has applied and verified three scripted configurations.
      int via = 0;
      int verified = 0;
      int applied = 0;
      long tick = 0;
      while (verified < 3 && tick < 20 * PERIOD) {
        TelemetrySnapshot snapshot = platform.observe(PIPELINE);
        MetaAgent.TickClosed closed =
            cluster.askEntity(
                via,
                MetaAgent.ENTITY_TYPE_KEY,
                PIPELINE,
                r -> new MetaAgent.OpenTick(snapshot, sla, r),
                TICK,
                TICK);
        for (Actuator.Report r : closed.actuations()) {
          if (r.kind() == Actuator.Report.Kind.APPLIED) {
            applied++;
          } else if (r.kind() == Actuator.Report.Kind.VERIFIED) {
            verified++;
          }
        }
        platform.advance();
        tick++;
      }
      assertEquals(3, verified, "three scripted changes verified by tick " + tick);
      assertTrue(applied >= 3);

      Actuator.State before = actuatorState(cluster, via);
      List<PipelineConfig> history = before.history().entries();
      assertEquals(4, history.size(), "the baseline and three verified configurations");
      assertEquals(initial, history.get(3), "the oldest entry is the first configuration observed");
      assertEquals(enrich(3), history.get(0).parallelismOf("enrich"));
      assertEquals(enrich(2), history.get(1).parallelismOf("enrich"));
      assertEquals(enrich(1), history.get(2).parallelismOf("enrich"));

      int host = cluster.nodeHosting(MetaAgent.ENTITY_TYPE_KEY, PIPELINE, Duration.ofSeconds(10));
      cluster.kill(host);
      int survivor = cluster.runningNodes().get(0);

      Actuator.State after =
          cluster.askEntity(
              survivor,
              MetaAgent.ENTITY_TYPE_KEY,
              PIPELINE,
              MetaAgent.GetActuatorState::new,
              Duration.ofSeconds(5),
              RECOVERY);
      int newHost =
          cluster.nodeHosting(MetaAgent.ENTITY_TYPE_KEY, PIPELINE, Duration.ofSeconds(10));
      assertNotEquals(host, newHost, "the entity restarted on another node");
      assertEquals(history, after.history().entries(), "same entries, same order");
      assertEquals(before.running(), after.running());
      assertEquals(before.applied(), after.applied());
      assertEquals(before.verified(), after.verified());

      // A rollback issued on the new node restores the previous known-good configuration.
      StatusReply<PipelineConfig> reply =
          cluster.askEntity(
              survivor,
              MetaAgent.ENTITY_TYPE_KEY,
              PIPELINE,
              r -> new MetaAgent.RequestRollback(1, "node-loss test", null, r),
              TICK,
              TICK);
      assertTrue(reply.isSuccess(), () -> "rollback refused: " + reply.getError());
      assertEquals(history.get(1), reply.getValue());
      assertEquals(history.get(1), platform.observe(PIPELINE).config(), "the platform runs it");
      Actuator.State rolledBack =
          cluster.askEntity(
              survivor,
              MetaAgent.ENTITY_TYPE_KEY,
              PIPELINE,
              MetaAgent.GetActuatorState::new,
              Duration.ofSeconds(5),
              RECOVERY);
      assertEquals(history.subList(1, 4), rolledBack.history().entries());
    }
  }

  private static Actuator.State actuatorState(LocalCluster cluster, int via) {
    return cluster.askEntity(
        via,
        MetaAgent.ENTITY_TYPE_KEY,
        PIPELINE,
        MetaAgent.GetActuatorState::new,
        Duration.ofSeconds(5),
        Duration.ofSeconds(30));
  }

  /** Enrich parallelism of the k-th scripted change. */
  private static int enrich(int k) {
    return 32 + 4 * k;
  }

  /** The k-th change at tick 5 + (k-1) * PERIOD: enrich to 32 + 4k, with enough TaskManagers. */
  private static PipelineConfig script(TelemetrySnapshot s) {
    if (s.tick() % PERIOD != 5) {
      return null;
    }
    int k = (int) (s.tick() / PERIOD) + 1;
    PipelineConfig c = s.config();
    int p = enrich(k);
    List<String> ops = new ArrayList<>(c.parallelism().keySet());
    assertTrue(ops.contains("enrich"));
    PipelineConfig target = c.withParallelism(Map.of("enrich", p));
    int tms =
        Math.max(c.taskManagers(), (p + c.slotsPerTaskManager() - 1) / c.slotsPerTaskManager());
    return target.withTaskManagers(tms);
  }
}
