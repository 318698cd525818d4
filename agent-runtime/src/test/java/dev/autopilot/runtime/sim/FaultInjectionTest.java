package dev.autopilot.runtime.sim;

import static dev.autopilot.runtime.sim.SimFixtures.advance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.Action;
import dev.autopilot.api.ActuationResult;
import dev.autopilot.api.FailureMode;
import dev.autopilot.api.JobMetrics.JobState;
import dev.autopilot.api.Metric;
import dev.autopilot.api.OperatorMetrics;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.TaskManagerMetrics;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * For every failure mode: after injection its contract signature shows in telemetry (the specific
 * metrics of the fault table move), an action that is not listed leaves it active, and a listed
 * action resolves it. Plus the cascades.
 */
class FaultInjectionTest {

  private static final double LOAD = 900_000;
  private static final String P = "p1";

  @ParameterizedTest
  @EnumSource(FailureMode.class)
  void signatureShowsAndOnlyAListedActionFixesIt(FailureMode mode) {
    SimulatedPlatform sim = SimFixtures.constant(LOAD);
    advance(sim, 30);
    TelemetrySnapshot before = sim.observe(P);
    String target = target(mode, sim);
    String id = sim.inject(P, mode, target);

    assertSignature(mode, sim, before, target);
    assertTrue(fault(sim, id).active(), mode + " must still be active after its signature showed");

    PipelineConfig config = sim.observe(P).config();
    Action notFixing = nonFixing(mode, target);
    ActuationResult r1 = sim.recover(P, "nf-" + mode, (Action.RecoveryAction) notFixing);
    assertEquals(ActuationResult.Outcome.APPLIED, r1.outcome());
    advance(sim, r1.settleTicks() + 3);
    assertTrue(fault(sim, id).active(), () -> notFixing.describe() + " must not fix " + mode);

    Action fixing = fixing(mode, target, config);
    ActuationResult r2 =
        fixing instanceof Action.RecoveryAction ra
            ? sim.recover(P, "fx-" + mode, ra)
            : sim.apply(P, fixing.targetConfig(sim.observe(P).config()));
    assertEquals(ActuationResult.Outcome.APPLIED, r2.outcome());
    long applied = sim.currentTick();
    advance(sim, r2.settleTicks() + 1);
    Fault f = fault(sim, id);
    assertFalse(f.active(), () -> fixing.describe() + " must fix " + mode);
    assertNotEquals("self-healed", f.resolvedBy());
    assertNotNull(f.resolvedBy());
    assertTrue(f.resolvedTick() > applied && f.resolvedTick() <= applied + r2.settleTicks() + 1);
  }

  @Test
  void aListedActionClassAimedAtTheWrongTargetDoesNotFix() {
    SimulatedPlatform sim = SimFixtures.constant(LOAD);
    advance(sim, 10);
    String crash = sim.inject(P, FailureMode.TASK_CRASH, "transform");
    List<String> nodes = sim.nodesOf(P);
    String partition = sim.inject(P, FailureMode.NETWORK_PARTITION, nodes.get(0));
    advance(sim, 3);
    ActuationResult r1 = sim.recover(P, "wrong-op", new Action.RestartTask("sink"));
    ActuationResult r2 = sim.recover(P, "wrong-node", new Action.Redistribute(nodes.get(1)));
    advance(sim, Math.max(r1.settleTicks(), r2.settleTicks()) + 2);
    assertTrue(fault(sim, crash).active());
    assertTrue(fault(sim, partition).active());
  }

  @Test
  void drainingANodeMovesEveryPipelineOffIt() {
    SimSettings s = SimFixtures.SETTINGS;
    SimulatedPlatform sim =
        new SimulatedPlatform(s, new Scenario(3, 1, List.of("a", "b"), tick -> 600_000, FaultSchedule.none()));
    advance(sim, 5);
    String shared = null;
    for (String n : sim.nodesOf("a")) {
      if (sim.nodesOf("b").contains(n)) {
        shared = n;
      }
    }
    assertNotNull(shared, "the pipelines share a node");
    ActuationResult r = sim.recover("a", "drain", new Action.DrainNode(shared));
    advance(sim, r.settleTicks() + 12);
    assertFalse(sim.nodesOf("a").contains(shared));
    assertFalse(sim.nodesOf("b").contains(shared));
    assertEquals(1, sim.applications("a"));
    assertEquals(0, sim.applications("b"));
  }

  @Test
  void theCatalogueDescribesEveryMode() {
    Set<FailureMode> modes = EnumSet.noneOf(FailureMode.class);
    for (FaultCatalogue.Entry e : FaultCatalogue.entries()) {
      modes.add(e.mode());
      assertFalse(e.rootCause().isBlank());
      assertFalse(e.signature().isBlank());
      assertFalse(e.fixedBy().isEmpty());
    }
    assertEquals(EnumSet.allOf(FailureMode.class), modes);
  }

  @Test
  void networkPartitionAndDiskFullCascadeIntoCheckpointTimeouts() {
    for (FailureMode mode : List.of(FailureMode.NETWORK_PARTITION, FailureMode.DISK_FULL)) {
      SimulatedPlatform sim = SimFixtures.constant(LOAD);
      advance(sim, 10);
      String id = sim.injectCascade(P, mode, sim.nodesOf(P).get(0));
      advance(sim, (int) SimFixtures.SETTINGS.faults().cascadeDelayTicks().max() + 2);
      Fault child = childOf(sim, id);
      assertEquals(FailureMode.CHECKPOINT_TIMEOUT, child.mode(), mode + " cascade");
      assertTrue(child.active());
    }
  }

  @Test
  void infrastructureFailureCascadesIntoResourceExhaustion() {
    SimulatedPlatform sim = SimFixtures.constant(LOAD);
    advance(sim, 10);
    String id = sim.injectCascade(P, FailureMode.INFRASTRUCTURE_FAILURE, sim.nodesOf(P).get(0));
    advance(sim, (int) SimFixtures.SETTINGS.faults().cascadeDelayTicks().max() + 2);
    Fault child = childOf(sim, id);
    assertEquals(FailureMode.RESOURCE_EXHAUSTION, child.mode());
    assertNotEquals(sim.faults().get(0).target(), child.target());
  }

  @Test
  void anUnfixedMemoryLeakEndsInAnOomKillAndATaskCrash() {
    SimulatedPlatform sim = SimFixtures.constant(LOAD);
    advance(sim, 10);
    String id = sim.inject(P, FailureMode.MEMORY_LEAK, "enrich");
    double maxFillTicks = SimFixtures.SETTINGS.faults().leakFillMinutes().max() * 6;
    int ticks = 0;
    while (sim.observe(P).sum(Metric.POD_OOM_KILLS_TOTAL) == 0 && ticks < maxFillTicks + 20) {
      sim.advance();
      ticks++;
    }
    assertTrue(sim.observe(P).sum(Metric.POD_OOM_KILLS_TOTAL) > 0, "the leak must end in an OOM kill");
    Fault crash = childOf(sim, id);
    assertEquals(FailureMode.TASK_CRASH, crash.mode());
    assertEquals("enrich", crash.target());
    assertTrue(fault(sim, id).active(), "the OOM kill does not fix the leak itself");
  }

  // ------------------------------------------------------------------------------ signatures

  private static void assertSignature(
      FailureMode mode, SimulatedPlatform sim, TelemetrySnapshot before, String target) {
    switch (mode) {
      case TASK_CRASH -> {
        advance(sim, 4);
        TelemetrySnapshot a = sim.observe(P);
        assertTrue(Set.of(JobState.RESTARTING, JobState.FAILING).contains(a.job().state()));
        assertTrue(a.sum(Metric.TASKS_FAILED_TOTAL) > before.sum(Metric.TASKS_FAILED_TOTAL));
        assertTrue(a.mean(Metric.EXCEPTIONS) > 10 * before.mean(Metric.EXCEPTIONS) + 1);
        assertTrue(a.operator(target).recordsInPerSecond() < 0.6 * before.operator(target).recordsInPerSecond());
      }
      case CHECKPOINT_TIMEOUT -> {
        advance(sim, 40);
        TelemetrySnapshot a = sim.observe(P);
        double timeoutMs = SimFixtures.SETTINGS.checkpoint().timeoutSeconds() * 1000;
        assertTrue(a.checkpoints().lastDurationMs() > 0.8 * timeoutMs, "duration near the timeout");
        assertTrue(a.checkpoints().failedTotal() > before.checkpoints().failedTotal());
        assertTrue(a.mean(Metric.CP_ALIGNMENT) > 10 * before.mean(Metric.CP_ALIGNMENT) + 1000);
        assertTrue(a.mean(Metric.CP_START_DELAY) > 10 * before.mean(Metric.CP_START_DELAY) + 1000);
      }
      case NETWORK_PARTITION -> {
        advance(sim, 5);
        TelemetrySnapshot a = sim.observe(P);
        assertTrue(onNode(a, target, Metric.NET_LATENCY) > 50 * before.mean(Metric.NET_LATENCY));
        assertTrue(onNode(a, target, Metric.NET_RETRANSMITS) > 100 * before.mean(Metric.NET_RETRANSMITS));
        assertTrue(onNode(a, target, Metric.NET_CONNECTION_FAILURES) > 5);
        assertTrue(a.maxOverOperators(OperatorMetrics::backPressuredTimeMsPerSecond) > 300);
        assertTrue(a.job().throughputPerSecond() < 0.8 * before.job().throughputPerSecond());
      }
      case DISK_FULL -> {
        advance(sim, 12);
        TelemetrySnapshot a = sim.observe(P);
        assertTrue(onNode(a, target, Metric.DISK_USED_RATIO) > 0.95);
        assertTrue(onNode(a, target, Metric.DISK_FREE) < 0.05 * before.mean(Metric.DISK_FREE));
        assertTrue(onNode(a, target, Metric.ROCKSDB_WRITE_STALL) > 100);
        assertTrue(a.checkpoints().failedTotal() > before.checkpoints().failedTotal());
      }
      case MEMORY_LEAK -> {
        double previous = before.mean(Metric.HEAP_USED_RATIO);
        for (int i = 0; i < 6; i++) {
          advance(sim, 10);
          double heap = sim.observe(P).mean(Metric.HEAP_USED_RATIO);
          assertTrue(heap > previous - 0.02, "heap climbs steadily");
          previous = heap;
        }
        while (sim.observe(P).mean(Metric.HEAP_USED_RATIO) < 0.85) {
          sim.advance();
        }
        TelemetrySnapshot a = sim.observe(P);
        assertTrue(a.mean(Metric.OLD_GEN_USED) > 1.5 * before.mean(Metric.OLD_GEN_USED));
        assertTrue(a.mean(Metric.GC_TIME_RATIO) > 3 * before.mean(Metric.GC_TIME_RATIO));
        assertTrue(a.mean(Metric.GC_OLD_TIME) > 10);
      }
      case CPU_SATURATION -> {
        advance(sim, 5);
        TelemetrySnapshot a = sim.observe(P);
        assertTrue(onNode(a, target, Metric.CPU_LOAD) > 0.9);
        assertTrue(onNode(a, target, Metric.CPU_THROTTLED) > 0.4);
        assertTrue(a.maxOverOperators(OperatorMetrics::busyTimeMsPerSecond) > 900);
        assertTrue(a.source().backPressuredTimeMsPerSecond() > 300, "backpressure upstream");
        advance(sim, 3);
        assertTrue(sim.observe(P).job().consumerLag() > a.job().consumerLag(), "lag grows");
      }
      case BACKPRESSURE_DEADLOCK -> {
        advance(sim, 6);
        TelemetrySnapshot a = sim.observe(P);
        assertTrue(a.max(Metric.IN_POOL_USAGE) > 0.95);
        assertTrue(a.max(Metric.OUT_POOL_USAGE) > 0.95);
        for (OperatorMetrics op : a.operators()) {
          if (op.operatorId().equals(target)) {
            break;
          }
          assertTrue(op.backPressuredTimeMsPerSecond() > 900, op.operatorId() + " backpressured");
        }
        assertTrue(a.operator(target).busyTimeMsPerSecond() < 50, "target stuck");
        assertTrue(a.job().throughputPerSecond() < 0.1 * before.job().throughputPerSecond());
        advance(sim, 2);
        assertTrue(sim.observe(P).job().consumerLag() > a.job().consumerLag());
      }
      case STATE_CORRUPTION -> {
        Set<JobState> states = new HashSet<>();
        Set<Long> restored = new HashSet<>();
        for (int i = 0; i < 6; i++) {
          sim.advance();
          TelemetrySnapshot a = sim.observe(P);
          states.add(a.job().state());
          restored.add(a.checkpoints().lastRestoredCheckpointId());
        }
        TelemetrySnapshot a = sim.observe(P);
        assertEquals(Set.of(JobState.RESTARTING, JobState.RUNNING), states);
        assertEquals(1, restored.size(), "lastRestoredCheckpointId repeats");
        assertTrue(a.mean(Metric.DESERIALIZATION_ERRORS) > 50);
        assertTrue(a.mean(Metric.EXCEPTIONS) > 10 * before.mean(Metric.EXCEPTIONS) + 1);
        assertTrue(a.job().restartsTotal() >= before.job().restartsTotal() + 2);
      }
      case EXTERNAL_DEPENDENCY_FAILURE -> {
        advance(sim, 5);
        TelemetrySnapshot a = sim.observe(P);
        assertTrue(a.sum(Metric.EXT_ERRORS) > 50 * before.sum(Metric.EXT_ERRORS));
        assertTrue(a.sum(Metric.EXT_TIMEOUTS) > 100);
        assertTrue(a.mean(Metric.EXT_LATENCY) > 100 * before.mean(Metric.EXT_LATENCY));
        assertTrue(a.operator("enrich").busyTimeMsPerSecond() > 900);
        assertTrue(a.operator("enrich").recordsOutPerSecond() < 0.5 * before.operator("enrich").recordsOutPerSecond());
      }
      case CONFIGURATION_ERROR -> {
        sim.advance();
        TelemetrySnapshot first = sim.observe(P);
        assertEquals(JobState.RESTARTING, first.job().state());
        assertTrue(first.sum(Metric.TASKS_FAILED_TOTAL) > before.sum(Metric.TASKS_FAILED_TOTAL));
        advance(sim, 6);
        TelemetrySnapshot a = sim.observe(P);
        assertEquals(JobState.RUNNING, a.job().state());
        assertEquals(before.job().restartsTotal() + 1, a.job().restartsTotal(), "restarts once");
        assertTrue(a.mean(Metric.LOG_ERRORS) > 10 * before.mean(Metric.LOG_ERRORS));
        assertTrue(a.job().throughputPerSecond() < 0.8 * before.job().throughputPerSecond());
      }
      case RESOURCE_EXHAUSTION -> {
        advance(sim, 5);
        TelemetrySnapshot a = sim.observe(P);
        assertTrue(onNode(a, target, Metric.FILE_DESCRIPTORS_RATIO) > 0.95);
        assertTrue(onNode(a, target, Metric.THREADS) > before.mean(Metric.THREADS) + 2000);
        assertTrue(a.job().runningTaskManagers() < a.config().taskManagers());
        for (TaskManagerMetrics tm : a.taskManagers()) {
          assertEquals(tm.get(Metric.SLOTS_TOTAL), tm.get(Metric.SLOTS_USED), tm.taskManagerId());
        }
      }
      case OPERATOR_BUG -> {
        advance(sim, 5);
        TelemetrySnapshot a = sim.observe(P);
        OperatorMetrics op = a.operator(target);
        assertTrue(op.recordsOutPerSecond() < 0.5 * op.recordsInPerSecond());
        assertTrue(a.mean(Metric.EXCEPTIONS) > 50);
        assertTrue(a.mean(Metric.LOG_ERRORS) > 10 * before.mean(Metric.LOG_ERRORS));
        assertEquals(JobState.RUNNING, a.job().state());
        assertEquals(before.job().restartsTotal(), a.job().restartsTotal(), "no restart loop");
      }
      case DATA_SKEW -> {
        advance(sim, 6);
        TelemetrySnapshot a = sim.observe(P);
        OperatorMetrics op = a.operator(target);
        assertTrue(op.busyTimeMsPerSecond() > 900);
        OperatorMetrics upstream = a.operators().get(a.operators().indexOf(op) - 1);
        assertEquals(upstream.recordsOutPerSecond(), op.recordsInPerSecond(), 0.1 * op.recordsInPerSecond());
        assertTrue(upstream.backPressuredTimeMsPerSecond() > 300 || a.source().backPressuredTimeMsPerSecond() > 300);
        assertTrue(a.operator("sink").busyTimeMsPerSecond() < 300);
      }
      case VERSION_INCOMPATIBILITY -> {
        Set<JobState> states = new HashSet<>();
        for (int i = 0; i < 6; i++) {
          sim.advance();
          states.add(sim.observe(P).job().state());
        }
        TelemetrySnapshot a = sim.observe(P);
        assertEquals(Set.of(JobState.RESTARTING, JobState.FAILING), states);
        assertTrue(a.sum(Metric.CLASSLOADING_ERRORS) > before.sum(Metric.CLASSLOADING_ERRORS));
        assertTrue(a.mean(Metric.SERIALIZATION_ERRORS) > 50);
      }
      case INFRASTRUCTURE_FAILURE -> {
        sim.advance();
        TelemetrySnapshot first = sim.observe(P);
        assertEquals(0.0, onNode(first, target, Metric.NODE_READY));
        advance(sim, SimFixtures.SETTINGS.faults().nodeLossTicks() + 1);
        TelemetrySnapshot a = sim.observe(P);
        assertTrue(a.taskManagers().stream().noneMatch(tm -> tm.nodeId().equals(target)), "TaskManagers vanish");
        assertTrue(a.job().runningTaskManagers() < a.config().taskManagers());
        assertTrue(a.job().restartsTotal() > before.job().restartsTotal());
      }
    }
  }

  // ------------------------------------------------------------------------------ actions

  private static String target(FailureMode mode, SimulatedPlatform sim) {
    return switch (FaultCatalogue.entry(mode).targetKind()) {
      case NODE -> crowdedNode(sim);
      case JOB -> null;
      case OPERATOR -> switch (mode) {
        case EXTERNAL_DEPENDENCY_FAILURE -> "enrich";
        case STATE_CORRUPTION, DATA_SKEW, BACKPRESSURE_DEADLOCK -> "window-agg";
        case MEMORY_LEAK -> "parse";
        default -> "transform";
      };
    };
  }

  private static String crowdedNode(SimulatedPlatform sim) {
    TelemetrySnapshot s = sim.observe(P);
    String best = null;
    long bestCount = 0;
    for (String node : sim.nodesOf(P)) {
      long c = s.taskManagers().stream().filter(tm -> tm.nodeId().equals(node)).count();
      if (c > bestCount) {
        best = node;
        bestCount = c;
      }
    }
    return best;
  }

  private static Action nonFixing(FailureMode mode, String target) {
    return switch (mode) {
      case TASK_CRASH -> new Action.ExpandBuffers(32, 48);
      case MEMORY_LEAK -> new Action.Reconnect("lookup-service");
      case BACKPRESSURE_DEADLOCK, OPERATOR_BUG, DATA_SKEW -> new Action.RestartTask(target);
      case STATE_CORRUPTION -> new Action.FullRestart(null);
      case EXTERNAL_DEPENDENCY_FAILURE -> new Action.RestartTask("enrich");
      default -> new Action.RestartTask("parse");
    };
  }

  private static Action fixing(FailureMode mode, String target, PipelineConfig config) {
    return switch (mode) {
      case TASK_CRASH -> new Action.RestartTask(target);
      case CHECKPOINT_TIMEOUT -> new Action.SetCheckpointInterval(config.checkpointIntervalSeconds() * 2);
      case NETWORK_PARTITION -> new Action.Redistribute(target);
      case DISK_FULL -> new Action.Redistribute(target);
      case MEMORY_LEAK -> new Action.RestartTask("source");
      case CPU_SATURATION -> new Action.ScaleTaskManagers(config.taskManagers() + 4);
      case BACKPRESSURE_DEADLOCK, OPERATOR_BUG -> new Action.RedeployOperator(target, config.parallelismOf(target));
      case STATE_CORRUPTION -> new Action.RestoreCheckpoint(1);
      case EXTERNAL_DEPENDENCY_FAILURE -> new Action.Reconnect("lookup-service");
      case CONFIGURATION_ERROR -> new Action.SetNetworkBuffers(32);
      case RESOURCE_EXHAUSTION -> new Action.ScaleTaskManagers(config.taskManagers() + 2);
      case DATA_SKEW -> new Action.RedeployOperator(target, config.parallelismOf(target) + 8);
      case VERSION_INCOMPATIBILITY -> new Action.Failover();
      case INFRASTRUCTURE_FAILURE -> new Action.DrainNode(target);
    };
  }

  // ------------------------------------------------------------------------------ helpers

  private static double onNode(TelemetrySnapshot s, String node, Metric m) {
    ToDoubleFunction<TaskManagerMetrics> f = tm -> tm.get(m);
    return s.taskManagers().stream().filter(tm -> tm.nodeId().equals(node)).mapToDouble(f).average().orElseThrow(
        () -> new AssertionError("no TaskManager on " + node));
  }

  private static Fault fault(SimulatedPlatform sim, String id) {
    return sim.faults().stream().filter(f -> f.id().equals(id)).findFirst().orElseThrow();
  }

  private static Fault childOf(SimulatedPlatform sim, String parentId) {
    return sim.faults().stream()
        .filter(f -> parentId.equals(f.parentId()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no cascade child of " + parentId + " in " + sim.faults()));
  }
}
