package dev.autopilot.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.autopilot.api.SlaSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScorerTest {

  private static final Map<String, SlaSpec> SLA = Map.of("p1", new SlaSpec(800_000, 500, 0.05));

  static TickRecord rec(
      long tick, String pipeline, double cpu, double cost, double events, boolean violated) {
    return new TickRecord(
        tick, pipeline, 100, 100, 100, 200, 64, 16, cpu, cost, events, violated, List.of(),
        List.of());
  }

  static ControllerRun run(List<TickRecord> ticks, List<FaultRecord> faults) {
    return new ControllerRun(
        ControllerKind.AGENTS, 10, ticks.size(), SLA, ticks, faults, List.of(), List.of(), 1234.5);
  }

  @Test
  void slaViolationPercentAndMinutes() {
    List<TickRecord> ticks =
        List.of(
            rec(0, "p1", 0.5, 0, 0, false),
            rec(1, "p1", 0.5, 0, 0, true),
            rec(2, "p1", 0.5, 0, 0, true),
            rec(3, "p1", 0.5, 0, 0, false));
    Score s = Scorer.score(run(ticks, List.of()));
    assertEquals(50.0, s.slaViolationPct(), 1e-12);
    // 2 violated ticks x 10 s = 20 s = 1/3 minute
    assertEquals(20.0 / 60.0, s.violationMinutes(), 1e-12);
  }

  @Test
  void mttdAndMttrAreMeansOverDetectedAndResolvedFaultsInEventSeconds() {
    List<FaultRecord> faults =
        List.of(
            new FaultRecord("a", "TASK_CRASH", "p1", 100, 103L, 110L, true, false),
            new FaultRecord("b", "DISK_FULL", "p1", 200, 209L, null, false, false),
            new FaultRecord("c", "DATA_SKEW", "p1", 300, null, 330L, false, false),
            new FaultRecord("d", "OPERATOR_BUG", "p1", 400, null, null, false, false));
    Score s = Scorer.score(run(List.of(rec(0, "p1", 0.5, 0, 0, false)), faults));
    // detected: a (3 ticks), b (9 ticks) -> mean 6 ticks = 60 s
    assertEquals(60.0, s.mttdSeconds(), 1e-12);
    // resolved: a (10 ticks), c (30 ticks) -> mean 20 ticks = 200 s
    assertEquals(200.0, s.mttrSeconds(), 1e-12);
    // automatically resolved: a only, of 4 injected
    assertEquals(25.0, s.autoRecoveryPct(), 1e-12);
    assertEquals(4, s.faultsInjected());
    assertEquals(2, s.faultsDetected());
  }

  @Test
  void noFaultDetectedOrResolvedGivesNullMttdAndMttr() {
    List<FaultRecord> faults =
        List.of(new FaultRecord("a", "TASK_CRASH", "p1", 5, null, null, false, false));
    Score s = Scorer.score(run(List.of(rec(0, "p1", 0.5, 0, 0, false)), faults));
    assertNull(s.mttdSeconds());
    assertNull(s.mttrSeconds());
    assertEquals(0.0, s.autoRecoveryPct(), 1e-12);
    assertEquals(0, s.faultsDetected());
  }

  @Test
  void noFaultInjectedGivesNullAutoRecovery() {
    Score s = Scorer.score(run(List.of(rec(0, "p1", 0.5, 0, 0, false)), List.of()));
    assertNull(s.autoRecoveryPct());
    assertNull(s.mttdSeconds());
    assertNull(s.mttrSeconds());
    assertEquals(0, s.faultsInjected());
  }

  @Test
  void cpuUtilizationIsTheMeanInPercent() {
    List<TickRecord> ticks =
        List.of(rec(0, "p1", 0.2, 0, 0, false), rec(1, "p1", 0.6, 0, 0, false));
    assertEquals(40.0, Scorer.score(run(ticks, List.of())).cpuUtilizationPct(), 1e-9);
  }

  @Test
  void costPerMillionEventsUsesTheLastCumulativeRecordOfEachPipeline() {
    List<TickRecord> ticks =
        List.of(
            rec(0, "p1", 0.5, 1.0, 1_000_000, false),
            rec(0, "p2", 0.5, 2.0, 1_000_000, false),
            rec(1, "p1", 0.5, 3.0, 2_000_000, false),
            rec(1, "p2", 0.5, 5.0, 3_000_000, false));
    // (3 + 5) / (2M + 3M) per million = 1.6
    assertEquals(1.6, Scorer.score(run(ticks, List.of())).costPerMillionEvents(), 1e-12);
  }

  @Test
  void noEventProcessedGivesNullCost() {
    Score s = Scorer.score(run(List.of(rec(0, "p1", 0.5, 4.0, 0, false)), List.of()));
    assertNull(s.costPerMillionEvents());
  }

  @Test
  void noTickRecordGivesNullRatesAndZeroMinutes() {
    Score s = Scorer.score(run(List.of(), List.of()));
    assertNull(s.slaViolationPct());
    assertNull(s.cpuUtilizationPct());
    assertNull(s.costPerMillionEvents());
    assertEquals(0.0, s.violationMinutes());
  }

  @Test
  void countsConfigChangesRollbacksAndPassesTicksPerSecondThrough() {
    ControllerRun r =
        new ControllerRun(
            ControllerKind.RULE_BASED,
            10,
            1,
            SLA,
            List.of(rec(0, "p1", 0.5, 0, 0, false)),
            List.of(),
            List.of(
                new ConfigChangeRecord(0, "p1", "rescale"),
                new ConfigChangeRecord(5, "p1", "rescale")),
            List.of(new RollbackRecord(7, "p1", "worse")),
            99.0);
    Score s = Scorer.score(r);
    assertEquals(2, s.configChanges());
    assertEquals(1, s.rollbacks());
    assertEquals(99.0, s.ticksPerSecond());
    assertEquals(ControllerKind.RULE_BASED, s.controller());
  }

  @Test
  void violationMinutesFollowTheTickLength() {
    ControllerRun r =
        new ControllerRun(
            ControllerKind.STATIC,
            30,
            2,
            SLA,
            List.of(rec(0, "p1", 0.5, 0, 0, true), rec(1, "p1", 0.5, 0, 0, true)),
            List.of(),
            List.of(),
            List.of(),
            1);
    assertEquals(1.0, Scorer.score(r).violationMinutes(), 1e-12);
  }

  @Test
  void detectorPrecisionAndRecallAreEventLevelWithAnEchoAfterResolution() {
    List<FaultRecord> faults =
        List.of(
            new FaultRecord("a", "TASK_CRASH", "p1", 100, 103L, 110L, true, false, "TASK_CRASH"),
            new FaultRecord("b", "DISK_FULL", "p1", 200, 205L, 260L, true, false, "MEMORY_LEAK"),
            new FaultRecord("c", "DATA_SKEW", "p1", 300, null, null, false, false));
    List<AlarmEpisode> alarms =
        List.of(
            new AlarmEpisode("iforest", "p1", 101, 104), // during a
            new AlarmEpisode("iforest", "p1", 110 + Scorer.ECHO_TICKS, 150), // a's echo: true
            new AlarmEpisode("iforest", "p1", 170, 180), // nothing: false
            new AlarmEpisode("iforest", "p2", 210, 215), // b is on p1: false
            new AlarmEpisode("lstm", "p1", 290, 301)); // overlaps c
    ControllerRun run =
        new ControllerRun(
            ControllerKind.AGENTS, 10, 1000, SLA, List.of(rec(0, "p1", 0.5, 0, 0, false)), faults,
            List.of(), List.of(), 1, alarms);
    Score s = Scorer.score(run);
    DetectorScore iforest = s.detectors().get(0);
    assertEquals("iforest", iforest.detector());
    assertEquals(4, iforest.episodes());
    assertEquals(2, iforest.truePositiveEpisodes());
    assertEquals(50.0, iforest.precisionPct(), 1e-12);
    // caught only a: the echo episode starts after a's resolution, b's pipeline had no vote
    assertEquals(1, iforest.faultsCaught());
    assertEquals(100.0 / 3, iforest.recallPct(), 1e-12);
    DetectorScore lstm = s.detectors().get(1);
    assertEquals(100.0, lstm.precisionPct(), 1e-12);
    assertEquals(1, lstm.faultsCaught());
    // a diagnosed right, b wrong, c never detected
    assertEquals(50.0, s.rcaTop1Pct(), 1e-12);
  }

  @Test
  void baselinesHaveNoDetectorScoresNorRca() {
    Score s = Scorer.score(run(List.of(rec(0, "p1", 0.5, 0, 0, false)), List.of()));
    assertEquals(List.of(), s.detectors());
    assertNull(s.rcaTop1Pct());
  }
}
