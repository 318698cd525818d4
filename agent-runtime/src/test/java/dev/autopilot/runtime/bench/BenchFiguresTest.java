package dev.autopilot.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.autopilot.api.SlaSpec;
import dev.autopilot.runtime.bench.baseline.BaselineStep;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The figures the bench adds to the score: the average violation duration, memory utilisation, the
 * monthly cost by part and the manual interventions.
 */
class BenchFiguresTest {

  private static final Map<String, SlaSpec> SLA = Map.of("p1", new SlaSpec(800_000, 500, 0.05));

  private static TickRecord rec(long tick, String pipeline, double memory, boolean violated) {
    return new TickRecord(
        tick, pipeline, 100, 100, 100, 200, 64, 16, 0.5, memory, 0, 0, violated, List.of(),
        List.of());
  }

  private static ControllerRun run(List<TickRecord> ticks, ClusterRun cluster, long humans) {
    return new ControllerRun(
        ControllerKind.STATIC,
        10,
        ticks.stream().mapToLong(TickRecord::tick).max().orElse(-1) + 1,
        SLA,
        ticks,
        List.of(),
        List.of(),
        List.of(),
        1.0,
        List.of(),
        List.of(),
        OptimizerCounts.NONE,
        cluster,
        humans);
  }

  @Test
  void averageViolationDurationIsPerEpisodeOfConsecutiveTicksPerPipeline() {
    // p1: ticks 1-3 violated (one episode of 3), tick 6 (one of 1); p2: tick 2-3 (one of 2)
    List<TickRecord> ticks =
        List.of(
            rec(0, "p1", 0.5, false),
            rec(1, "p1", 0.5, true),
            rec(2, "p1", 0.5, true),
            rec(2, "p2", 0.5, true),
            rec(3, "p1", 0.5, true),
            rec(3, "p2", 0.5, true),
            rec(4, "p1", 0.5, false),
            rec(5, "p1", 0.5, false),
            rec(6, "p1", 0.5, true));
    Score s = Scorer.score(run(ticks, ClusterRun.EMPTY, 0));
    // 6 violated ticks x 10 s over 3 episodes = 20 s = 1/3 minute
    assertEquals(20.0 / 60.0, s.avgViolationMinutes(), 1e-12);
    assertEquals(60.0 / 60.0, s.violationMinutes(), 1e-12);
  }

  @Test
  void noViolationGivesNoAverageDuration() {
    Score s = Scorer.score(run(List.of(rec(0, "p1", 0.5, false)), ClusterRun.EMPTY, 0));
    assertNull(s.avgViolationMinutes());
  }

  @Test
  void memoryUtilisationIsTheMeanOverMeasuredRecords() {
    List<TickRecord> ticks =
        List.of(
            rec(0, "p1", 0.2, false), rec(1, "p1", Double.NaN, false), rec(2, "p1", 0.6, false));
    assertEquals(40.0, Scorer.score(run(ticks, ClusterRun.EMPTY, 0)).memoryUtilizationPct(), 1e-9);
    List<TickRecord> unmeasured = List.of(rec(0, "p1", Double.NaN, false));
    assertNull(Scorer.score(run(unmeasured, ClusterRun.EMPTY, 0)).memoryUtilizationPct());
  }

  @Test
  void monthlyCostScalesTheRunsCostByPartToThirtyDays() {
    // 8640 ticks of 10 s = 1 day: a month is 30 times the run's cost
    List<TickRecord> ticks = List.of(rec(0, "p1", 0.5, false), rec(8639, "p1", 0.5, false));
    ClusterRun cluster =
        new ClusterRun(
            List.of(new ClusterTick(0, 0.5, 0.1, 2, 1, 4, 2)),
            List.of(),
            Map.of(
                "p1", new CostParts(1, 2, 0.1, 0.2, 0.3, 0.5),
                "p2", new CostParts(1, 0, 0, 0, 0, 0.5)));
    Score s = Scorer.score(run(ticks, cluster, 0));
    assertEquals(30 * 4.0, s.monthlyCost().compute(), 1e-9);
    assertEquals(30 * 0.6, s.monthlyCost().storage(), 1e-9);
    assertEquals(30 * 1.0, s.monthlyCost().network(), 1e-9);
    Map<String, Score.Field> byKey =
        Map.of(
            "monthly_cost_compute", field("monthly_cost_compute"),
            "monthly_cost_network", field("monthly_cost_network"));
    assertEquals(120.0, byKey.get("monthly_cost_compute").value().apply(s).doubleValue(), 1e-9);
    assertEquals(30.0, byKey.get("monthly_cost_network").value().apply(s).doubleValue(), 1e-9);
    assertNull(Scorer.score(run(ticks, ClusterRun.EMPTY, 0)).monthlyCost());
  }

  @Test
  void manualInterventionsCountTheFixesAHumanApplied() {
    Scenario scenario =
        new Scenario(
            0.01,
            1,
            1,
            Scenario.GENERATED,
            2,
            1,
            RunMode.AUTONOMOUS,
            10,
            List.of(ControllerKind.STATIC));
    RunRecorder recorder = new RunRecorder(ControllerKind.STATIC, scenario, SLA, () -> 0L);
    recorder.faultInjected("f1", "TASK_CRASH", "p1", 0, false);
    recorder.faultInjected("f2", "DISK_FULL", "p1", 0, false);
    recorder.tick(rec(0, "p1", 0.5, false));
    recorder.baselineStep(
        new BaselineStep(
            List.of(),
            List.of(
                new BaselineStep.FaultEvent(
                    "f1", BaselineStep.FaultEvent.Kind.DETECTED, 1, true, null),
                new BaselineStep.FaultEvent(
                    "f1", BaselineStep.FaultEvent.Kind.FIX_APPLIED, 2, true, "restart"),
                new BaselineStep.FaultEvent(
                    "f2", BaselineStep.FaultEvent.Kind.FIX_APPLIED, 2, false, "rescale"))));
    ControllerRun run = recorder.finish();
    assertEquals(1, run.manualInterventions());
    assertEquals(1, Scorer.score(run).manualInterventions());
  }

  private static Score.Field field(String key) {
    return Score.FIELDS.stream().filter(f -> f.key().equals(key)).findFirst().orElseThrow();
  }
}
