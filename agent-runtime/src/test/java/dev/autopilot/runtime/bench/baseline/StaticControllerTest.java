package dev.autopilot.runtime.bench.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.Action;
import dev.autopilot.api.FailureMode;
import dev.autopilot.api.Metric;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;
import dev.autopilot.runtime.bench.FaultOracle;
import dev.autopilot.runtime.bench.FaultOracle.ActiveFault;
import dev.autopilot.runtime.bench.baseline.BaselineStep.FaultEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StaticControllerTest {

  private static final StaticSettings SETTINGS = new StaticSettings(75);

  /** An oracle over a fixed list of faults, each active from start until its end (exclusive). */
  record ListOracle(List<ActiveFault> faults, Map<String, Long> ends) implements FaultOracle {
    @Override
    public List<ActiveFault> activeFaults(String pipelineId, long tick) {
      return faults.stream()
          .filter(f -> tick >= f.startTick() && tick < ends.getOrDefault(f.id(), Long.MAX_VALUE))
          .toList();
    }
  }

  static TelemetrySnapshot snapshot(long tick, double cpu) {
    return Snapshots.builder("p1", tick).tm(Metric.CPU_LOAD, cpu).build();
  }

  private static List<BaselineStep> runTicks(BaselineController c, long from, long to, double cpu) {
    List<BaselineStep> steps = new ArrayList<>();
    for (long t = from; t < to; t++) {
      steps.add(c.onTick(snapshot(t, cpu)));
    }
    return steps;
  }

  @Test
  void theHumanAppliesTheFirstFixSeventyFiveTicksAfterTheFaultStarts() {
    Action restart = new Action.RestartTask("enrich");
    ActiveFault crash =
        new ActiveFault(
            "f1",
            FailureMode.TASK_CRASH,
            "enrich",
            100,
            List.of(restart, new Action.FullRestart(null)));
    StaticController c =
        new StaticController(
            Snapshots.defaultConfig(), SETTINGS, new ListOracle(List.of(crash), Map.of()));

    List<BaselineStep> steps = runTicks(c, 0, 400, 0.95);
    for (int t = 0; t < 400; t++) {
      if (t == 175) {
        assertEquals(List.of(restart), steps.get(t).actions());
        assertEquals(
            List.of(
                new FaultEvent("f1", FaultEvent.Kind.DETECTED, 175, true, null),
                new FaultEvent("f1", FaultEvent.Kind.FIX_APPLIED, 175, true, restart.describe())),
            steps.get(t).faultEvents());
      } else {
        assertTrue(steps.get(t).isIdle(), "tick " + t + " should be idle: " + steps.get(t));
      }
    }
  }

  @Test
  void neverRescalesWhateverTheCpu() {
    StaticController c =
        new StaticController(
            Snapshots.defaultConfig(), SETTINGS, new ListOracle(List.of(), Map.of()));
    assertTrue(runTicks(c, 0, 200, 0.99).stream().allMatch(BaselineStep::isIdle));
    assertTrue(runTicks(c, 200, 400, 0.01).stream().allMatch(BaselineStep::isIdle));
    assertEquals(Snapshots.defaultConfig(), c.initialConfig());
  }

  @Test
  void aFaultThatHealedBeforeTheHumanCameIsLeftAlone() {
    ActiveFault partition =
        new ActiveFault(
            "f2",
            FailureMode.NETWORK_PARTITION,
            "node-1",
            10,
            List.of(new Action.Redistribute("node-1")));
    StaticController c =
        new StaticController(
            Snapshots.defaultConfig(),
            SETTINGS,
            new ListOracle(List.of(partition), Map.of("f2", 60L)));
    assertTrue(runTicks(c, 0, 300, 0.5).stream().allMatch(BaselineStep::isIdle));
  }

  @Test
  void aFaultWithoutKnownFixIsOnlyDetectedAndEachFaultIsHandledOnce() {
    ActiveFault odd = new ActiveFault("f3", FailureMode.OPERATOR_BUG, "parse", 0, List.of());
    ActiveFault skew =
        new ActiveFault(
            "f4",
            FailureMode.DATA_SKEW,
            "window-agg",
            5,
            List.of(new Action.RedeployOperator("window-agg", 32)));
    StaticController c =
        new StaticController(
            Snapshots.defaultConfig(), SETTINGS, new ListOracle(List.of(odd, skew), Map.of()));
    List<BaselineStep> steps = runTicks(c, 0, 500, 0.5);
    assertEquals(
        List.of(new FaultEvent("f3", FaultEvent.Kind.DETECTED, 75, true, null)),
        steps.get(75).faultEvents());
    assertTrue(steps.get(75).actions().isEmpty());
    assertEquals(List.of(new Action.RedeployOperator("window-agg", 32)), steps.get(80).actions());
    long nonIdle = steps.stream().filter(s -> !s.isIdle()).count();
    assertEquals(2, nonIdle);
  }

  @Test
  void aLateFirstObservationStillFixesOnce() {
    ActiveFault crash =
        new ActiveFault(
            "f5", FailureMode.TASK_CRASH, "sink", 0, List.of(new Action.RestartTask("sink")));
    StaticController c =
        new StaticController(
            Snapshots.defaultConfig(), SETTINGS, new ListOracle(List.of(crash), Map.of()));
    assertFalse(c.onTick(snapshot(90, 0.5)).isIdle());
    assertTrue(c.onTick(snapshot(91, 0.5)).isIdle());
  }

  @Test
  void rejectsAnUnrunnablePeakConfiguration() {
    PipelineConfig tooFewSlots = Snapshots.defaultConfig().withTaskManagers(1);
    assertThrows(
        IllegalArgumentException.class,
        () -> new StaticController(tooFewSlots, SETTINGS, (p, t) -> List.of()));
  }
}
