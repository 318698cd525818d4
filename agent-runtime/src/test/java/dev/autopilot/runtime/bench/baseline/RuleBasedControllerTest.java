package dev.autopilot.runtime.bench.baseline;

import static dev.autopilot.runtime.bench.baseline.StaticControllerTest.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.Action;
import dev.autopilot.api.FailureMode;
import dev.autopilot.api.Metric;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;
import dev.autopilot.runtime.bench.FaultOracle.ActiveFault;
import dev.autopilot.runtime.bench.baseline.BaselineStep.FaultEvent;
import dev.autopilot.runtime.bench.baseline.StaticControllerTest.ListOracle;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleBasedControllerTest {

  /** The paper's numbers at 10 s per tick. */
  static final RuleBasedSettings PAPER =
      new RuleBasedSettings(0.80, 30, 0.30, 60, 10, 4, 256, 30, 27, 30);

  private static final ListOracle NO_FAULTS = new ListOracle(List.of(), Map.of());

  private static PipelineConfig uniform(int parallelism, int taskManagers) {
    Map<String, Integer> p = new LinkedHashMap<>();
    Snapshots.OPERATORS.forEach(op -> p.put(op, parallelism));
    return new PipelineConfig(p, 32, 30, taskManagers, 4.0, 16.0, 4);
  }

  private static TelemetrySnapshot snap(long tick, double cpu, PipelineConfig config) {
    return Snapshots.builder("p1", tick).config(config).tm(Metric.CPU_LOAD, cpu).build();
  }

  /**
   * Feeds ticks [from, to) at one CPU level, applying every Reconfigure; returns the last config.
   */
  private static PipelineConfig drive(
      RuleBasedController c,
      long from,
      long to,
      double cpu,
      PipelineConfig config,
      List<Long> changeTicks) {
    for (long t = from; t < to; t++) {
      BaselineStep step = c.onTick(snap(t, cpu, config));
      for (Action a : step.actions()) {
        config = a.targetConfig(config);
        changeTicks.add(t);
      }
    }
    return config;
  }

  @Test
  void scalesUpByTenAfterThirtyHotTicksWithTaskManagersForTheSlots() {
    RuleBasedController c = new RuleBasedController(PAPER, NO_FAULTS);
    PipelineConfig start = uniform(16, 4);
    for (long t = 0; t < 29; t++) {
      assertTrue(c.onTick(snap(t, 0.85, start)).isIdle(), "tick " + t);
    }
    BaselineStep step = c.onTick(snap(29, 0.85, start));
    assertEquals(1, step.actions().size());
    Action.Reconfigure r = assertInstanceOf(Action.Reconfigure.class, step.actions().get(0));
    assertEquals(uniform(26, 7), r.target());
    assertTrue(r.reason().contains("scale-up"));
  }

  @Test
  void cpuExactlyAtTheThresholdIsNotHot() {
    RuleBasedController c = new RuleBasedController(PAPER, NO_FAULTS);
    List<Long> changes = new java.util.ArrayList<>();
    drive(c, 0, 200, 0.80, uniform(16, 4), changes);
    assertEquals(List.of(), changes);
  }

  @Test
  void oneCoolTickRestartsTheHotCount() {
    RuleBasedController c = new RuleBasedController(PAPER, NO_FAULTS);
    PipelineConfig config = uniform(16, 4);
    List<Long> changes = new java.util.ArrayList<>();
    config = drive(c, 0, 29, 0.9, config, changes);
    config = drive(c, 29, 30, 0.5, config, changes);
    config = drive(c, 30, 59, 0.9, config, changes);
    assertEquals(List.of(), changes);
    drive(c, 59, 60, 0.9, config, changes);
    assertEquals(List.of(59L), changes);
  }

  @Test
  void aGapInTicksRestartsTheCount() {
    RuleBasedController c = new RuleBasedController(PAPER, NO_FAULTS);
    List<Long> changes = new java.util.ArrayList<>();
    PipelineConfig config = drive(c, 0, 20, 0.9, uniform(16, 4), changes);
    config = drive(c, 25, 54, 0.9, config, changes);
    assertEquals(List.of(), changes);
    drive(c, 54, 55, 0.9, config, changes);
    assertEquals(List.of(54L), changes);
  }

  @Test
  void scalesDownByTenAfterSixtyColdTicksNeverBelowFour() {
    RuleBasedController c = new RuleBasedController(PAPER, NO_FAULTS);
    List<Long> changes = new java.util.ArrayList<>();
    PipelineConfig config = drive(c, 0, 60, 0.1, uniform(26, 7), changes);
    assertEquals(List.of(59L), changes);
    assertEquals(uniform(16, 4), config);
    config = drive(c, 60, 120, 0.1, config, changes);
    assertEquals(uniform(6, 2), config);
    config = drive(c, 120, 180, 0.1, config, changes);
    assertEquals(uniform(4, 1), config);
    int before = changes.size();
    drive(c, 180, 400, 0.1, config, changes);
    assertEquals(before, changes.size(), "at the minimum nothing more happens");
  }

  @Test
  void scaleUpIsCappedAndStopsAtTheCap() {
    RuleBasedController c = new RuleBasedController(PAPER, NO_FAULTS);
    List<Long> changes = new java.util.ArrayList<>();
    PipelineConfig config = drive(c, 0, 30, 0.95, uniform(250, 63), changes);
    assertEquals(uniform(256, 64), config);
    int before = changes.size();
    drive(c, 30, 300, 0.95, config, changes);
    assertEquals(before, changes.size());
  }

  @Test
  void aScaleUpKeepsExtraTaskManagersAndUnevenOperatorsMoveTogether() {
    RuleBasedController c = new RuleBasedController(PAPER, NO_FAULTS);
    PipelineConfig start = uniform(16, 20).withParallelism(Map.of("source", 8, "sink", 250));
    PipelineConfig up = c.scaled(start, 10);
    assertEquals(18, up.parallelismOf("source"));
    assertEquals(26, up.parallelismOf("parse"));
    assertEquals(256, up.parallelismOf("sink"));
    assertEquals(64, up.taskManagers());
    PipelineConfig wide = uniform(16, 20);
    assertEquals(20, c.scaled(wide, 10).taskManagers(), "26 slots need 7, it keeps its 20");
    assertEquals(2, c.scaled(wide, -10).taskManagers(), "a scale-down keeps only the 2 it needs");
  }

  @ParameterizedTest
  @CsvSource({"30, 30", "0, 30", "60, 60"})
  void theCooldownSpacesTwoScaleUps(long cooldown, long expectedGap) {
    RuleBasedSettings s = new RuleBasedSettings(0.80, 30, 0.30, 60, 10, 4, 256, cooldown, 27, 30);
    RuleBasedController c = new RuleBasedController(s, NO_FAULTS);
    List<Long> changes = new java.util.ArrayList<>();
    drive(c, 0, 200, 0.95, uniform(16, 4), changes);
    assertEquals(29L, changes.get(0));
    // the hot window restarts after a change, so the gap is max(cooldown, 30 ticks)
    assertEquals(expectedGap, changes.get(1) - changes.get(0));
  }

  @Test
  void detectsAfterTwentySevenTicksThenFixesAfterThirtyMoreTicksOfApproval() {
    Action fix = new Action.RestoreCheckpoint(1);
    ActiveFault corruption =
        new ActiveFault("f1", FailureMode.STATE_CORRUPTION, "window-agg", 40, List.of(fix));
    RuleBasedController c =
        new RuleBasedController(PAPER, new ListOracle(List.of(corruption), Map.of()));
    for (long t = 0; t < 300; t++) {
      BaselineStep step = c.onTick(snapshot(t, 0.5));
      if (t == 67) {
        assertEquals(
            List.of(new FaultEvent("f1", FaultEvent.Kind.DETECTED, 67, false, null)),
            step.faultEvents());
        assertTrue(step.actions().isEmpty());
      } else if (t == 97) {
        assertEquals(List.of(fix), step.actions());
        assertEquals(
            List.of(new FaultEvent("f1", FaultEvent.Kind.FIX_APPLIED, 97, true, fix.describe())),
            step.faultEvents());
      } else {
        assertTrue(step.isIdle(), "tick " + t);
      }
    }
  }

  @Test
  void aFaultThatEndsBeforeApprovalIsDetectedButNotFixed() {
    ActiveFault ext =
        new ActiveFault(
            "f2",
            FailureMode.EXTERNAL_DEPENDENCY_FAILURE,
            "enrich",
            0,
            List.of(new Action.Reconnect("enrich")));
    RuleBasedController c =
        new RuleBasedController(PAPER, new ListOracle(List.of(ext), Map.of("f2", 40L)));
    long events = 0;
    for (long t = 0; t < 200; t++) {
      BaselineStep step = c.onTick(snapshot(t, 0.5));
      assertTrue(step.actions().isEmpty());
      events += step.faultEvents().size();
    }
    assertEquals(1, events);
  }

  @Test
  void scalingAndAFixCanHappenOnTheSameTick() {
    ActiveFault crash =
        new ActiveFault(
            "f3", FailureMode.TASK_CRASH, "parse", 0, List.of(new Action.RestartTask("parse")));
    RuleBasedSettings s = new RuleBasedSettings(0.80, 58, 0.30, 60, 10, 4, 256, 30, 27, 30);
    RuleBasedController c = new RuleBasedController(s, new ListOracle(List.of(crash), Map.of()));
    BaselineStep last = null;
    for (long t = 0; t <= 57; t++) {
      last = c.onTick(snapshot(t, 0.9));
    }
    assertEquals(2, last.actions().size());
    assertInstanceOf(Action.Reconfigure.class, last.actions().get(0));
    assertEquals(new Action.RestartTask("parse"), last.actions().get(1));
  }

  @Test
  void settingsRejectInconsistentThresholds() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new RuleBasedSettings(0.3, 30, 0.8, 60, 10, 4, 256, 30, 27, 30));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RuleBasedSettings(0.8, 30, 0.3, 60, 0, 4, 256, 30, 27, 30));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RuleBasedSettings(0.8, 30, 0.3, 60, 10, 8, 4, 30, 27, 30));
  }
}
