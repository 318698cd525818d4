package dev.autopilot.runtime.sim;

import static dev.autopilot.runtime.sim.SimFixtures.advance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.ActuationResult;
import dev.autopilot.api.JobMetrics.JobState;
import dev.autopilot.api.OperatorMetrics;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The physics of the pipeline model: backpressure, lag, scaling, checkpoints, calibration. */
class PipelinePhysicsTest {

  private static final String P = "p1";
  private static final SlaSpec SLA = new SlaSpec(800_000, 500, 0.05);

  @Test
  void demandAboveCapacityBackpressuresUpstreamAndGrowsLag() {
    SimulatedPlatform sim = SimFixtures.constant(2_000_000);
    double capacity = sim.truth(P).capacity();
    assertTrue(capacity < 2_000_000, "the initial configuration cannot take 2M events/s");
    advance(sim, 10);
    TelemetrySnapshot a = sim.observe(P);
    advance(sim, 10);
    TelemetrySnapshot b = sim.observe(P);
    assertTrue(b.job().consumerLag() > a.job().consumerLag() && a.job().consumerLag() > 1e6, "lag grows");
    assertEquals(capacity, b.job().throughputPerSecond(), 0.1 * capacity);
    // the heaviest operator (enrich) is the busy one; everything upstream of it is backpressured
    assertTrue(b.operator("enrich").busyTimeMsPerSecond() > 900);
    assertTrue(b.operator("source").backPressuredTimeMsPerSecond() > 200);
    assertTrue(b.operator("parse").backPressuredTimeMsPerSecond() > 30);
    assertTrue(b.operator("sink").backPressuredTimeMsPerSecond() < 50);
    assertTrue(b.job().latencyP99Ms() > 5_000);
    for (OperatorMetrics op : b.operators()) {
      double total = op.busyTimeMsPerSecond() + op.backPressuredTimeMsPerSecond() + op.idleTimeMsPerSecond();
      assertEquals(1000, total, 1e-6, op.operatorId());
    }
  }

  @Test
  void scalingUpDrainsTheLag() {
    SimulatedPlatform sim = SimFixtures.constant(1_700_000);
    advance(sim, 30);
    double lag = sim.observe(P).job().consumerLag();
    assertTrue(lag > 3e7);
    PipelineConfig current = sim.observe(P).config();
    Map<String, Integer> doubled = new LinkedHashMap<>();
    current.parallelism().forEach((op, p) -> doubled.put(op, p * 2));
    PipelineConfig bigger = current.withParallelism(doubled).withTaskManagers(current.taskManagers() * 2);
    ActuationResult r = sim.apply(P, bigger);
    assertEquals(ActuationResult.Outcome.APPLIED, r.outcome());
    advance(sim, r.settleTicks());
    assertTrue(sim.truth(P).capacity() > 1.8 * 1_490_000 * 0.9);
    advance(sim, 2);
    assertTrue(sim.observe(P).job().throughputPerSecond() > 1_700_000, "catching up above the offered rate");
    advance(sim, 150);
    TelemetrySnapshot s = sim.observe(P);
    assertTrue(s.job().consumerLag() < 1_700_000, "lag drained, was " + s.job().consumerLag());
    assertTrue(s.job().latencyP99Ms() < 300, "latency back to normal: " + s.job().latencyP99Ms());
  }

  @Test
  void aRescaleIsARestartFromCheckpointDuringWhichLagBuilds() {
    SimulatedPlatform sim = SimFixtures.constant(850_000);
    advance(sim, 20);
    long restarts = sim.observe(P).job().restartsTotal();
    PipelineConfig c = sim.observe(P).config();
    ActuationResult r = sim.apply(P, c.withParallelism(Map.of("sink", 16)));
    assertTrue(r.settleTicks() >= 2, "10-15 s restart plus state restore");
    sim.advance();
    TelemetrySnapshot during = sim.observe(P);
    assertEquals(JobState.RESTARTING, during.job().state());
    assertEquals(0.0, sim.truth(P).processedRate());
    assertTrue(during.job().consumerLag() > 850_000 * 5);
    assertEquals(restarts + 1, during.job().restartsTotal());
    advance(sim, r.settleTicks());
    TelemetrySnapshot after = sim.observe(P);
    assertEquals(JobState.RUNNING, after.job().state());
    assertEquals(16, after.operator("sink").parallelism());
  }

  @Test
  void checkpointDurationGrowsWithState() {
    double small = meanCheckpointMs(SimFixtures.SETTINGS);
    SimSettings bigState = withSessionRetention(SimFixtures.SETTINGS, 4);
    double big = meanCheckpointMs(bigState);
    assertTrue(big > small * 1.3, "checkpoint " + small + " ms vs " + big + " ms with 4x the session state");
  }

  @Test
  void aWellSizedConfigurationKeepsP99Between100And300Ms() {
    SimulatedPlatform sim = SimFixtures.constant(850_000);
    for (int i = 0; i < 60; i++) {
      sim.advance();
      double p99 = sim.truth(P).latencyP99Ms();
      assertTrue(p99 >= 80 && p99 <= 300, "p99 " + p99);
      assertTrue(!sim.truth(P).slaViolated(SLA));
    }
  }

  @Test
  void anUndersizedConfigurationViolatesTheSlaWithinMinutes() {
    SimulatedPlatform sim = SimFixtures.constant(850_000);
    Map<String, Integer> half = new LinkedHashMap<>();
    sim.observe(P).config().parallelism().forEach((op, p) -> half.put(op, Math.max(4, p / 2)));
    PipelineConfig small = sim.observe(P).config().withParallelism(half).withTaskManagers(4);
    ActuationResult r = sim.apply(P, small);
    advance(sim, r.settleTicks() + 1);
    long firstViolation = -1;
    for (int i = 0; i < 30 && firstViolation < 0; i++) {
      sim.advance();
      if (sim.truth(P).latencyP99Ms() > 500) {
        firstViolation = i;
      }
    }
    assertTrue(firstViolation >= 0 && firstViolation < 18, "violated after " + firstViolation + " ticks");
  }

  @Test
  void groundTruthTracksCostAndEvents() {
    SimulatedPlatform sim = SimFixtures.constant(850_000);
    GroundTruth t0 = sim.truth(P);
    advance(sim, 360);
    GroundTruth t1 = sim.truth(P);
    assertEquals(360, t1.tick());
    assertEquals(850_000, t1.offeredRate(), 1e-6);
    assertEquals(850_000.0 * 3600, t1.eventsProcessed() - t0.eventsProcessed(), 850_000.0 * 3600 * 0.01);
    double hourCost = t1.costSoFar() - t0.costSoFar();
    // two on-demand nodes (3 TaskManagers and the spare node) and one spot node (5 of the 8
    // TaskManagers, the 60 % spot share), plus storage
    double nodes = 2 * 1.536 + 0.48;
    assertTrue(hourCost > nodes * 0.99 && hourCost < nodes * 1.2, "cost per hour " + hourCost);
    assertTrue(t1.cpuUtilisation() > 0.4 && t1.cpuUtilisation() < 0.8);
    assertTrue(t1.activeFaults().isEmpty());
  }

  @Test
  void addedNodesAreSpotAndOnDemandAndCostLessThanOnDemandAlone() {
    SimulatedPlatform sim = SimFixtures.constant(850_000);
    PipelineConfig c = sim.observe(P).config();
    ActuationResult r = sim.apply(P, c.withTaskManagers(40));
    advance(sim, r.settleTicks() + 6);
    int nodes = sim.nodeCount();
    assertTrue(nodes >= 6, "40 TaskManagers need at least 6 nodes, have " + nodes);
    double before = sim.truth(P).costSoFar();
    advance(sim, 360);
    double hourCost = sim.truth(P).costSoFar() - before;
    SimSettings.ClusterSettings cl = SimFixtures.SETTINGS.cluster();
    assertTrue(hourCost < nodes * cl.onDemandPricePerHour() * 0.9, "spot nodes are cheaper: " + hourCost);
    assertTrue(hourCost > nodes * cl.spotPricePerHour(), "not all nodes are spot: " + hourCost);
  }

  private static double meanCheckpointMs(SimSettings settings) {
    SimulatedPlatform sim = SimFixtures.constant(settings, 850_000, 7);
    double sum = 0;
    for (int i = 0; i < 60; i++) {
      sim.advance();
      sum += sim.observe(P).checkpoints().lastDurationMs();
    }
    return sum / 60;
  }

  private static SimSettings withSessionRetention(SimSettings s, double factor) {
    List<SimSettings.OperatorSpec> ops = new ArrayList<>();
    for (SimSettings.OperatorSpec o : s.operators()) {
      ops.add(
          o.id().equals("session-agg")
              ? new SimSettings.OperatorSpec(
                  o.id(), o.costMicros(), o.selectivity(), o.stateBytesPerRecord(),
                  o.stateRetentionSeconds() * factor, o.recordBytes(), o.allocBytesPerRecord())
              : o);
    }
    return new SimSettings(
        s.tickSeconds(), s.startEpochMillis(), s.cluster(), s.taskManager(), ops, s.latency(),
        s.checkpoint(), s.storage(), s.actions(), s.initialConfig(), s.workload(), s.faults(),
        s.telemetryNoise());
  }
}
