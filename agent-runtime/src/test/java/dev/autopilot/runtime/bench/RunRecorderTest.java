package dev.autopilot.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.autopilot.api.SlaSpec;
import dev.autopilot.runtime.bench.baseline.BaselineStep;
import dev.autopilot.runtime.bench.baseline.BaselineStep.FaultEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunRecorderTest {

  private final long[] nanos = {0};
  private final RunRecorder recorder =
      new RunRecorder(
          ControllerKind.RULE_BASED,
          FakeScenarioRunner.scenario(0.01, 1, 2, 2),
          Map.of("p1", new SlaSpec(1, 1, 0)),
          () -> nanos[0]);

  @Test
  void keepsTheFirstDetectionAndResolutionAndSortsEverything() {
    recorder.faultInjected("b", "DISK_FULL", "p1", 5, false);
    recorder.faultInjected("a", "TASK_CRASH", "p2", 5, false);
    recorder.faultInjected("c", "CHECKPOINT_TIMEOUT", "p1", 2, true);
    recorder.baselineStep(
        new BaselineStep(
            List.of(),
            List.of(
                new FaultEvent("b", FaultEvent.Kind.DETECTED, 9, false, null),
                new FaultEvent("b", FaultEvent.Kind.FIX_APPLIED, 9, true, "L2 redistribute"))));
    recorder.faultDetected("b", 12);
    recorder.faultResolved("b", 20, false);
    recorder.faultResolved("b", 25, true);
    recorder.faultResolved("a", 8, true);
    for (long t = 0; t < 3; t++) {
      recorder.tick(ScorerTest.rec(t, "p2", 0.5, 0, 0, false));
      recorder.tick(ScorerTest.rec(t, "p1", 0.5, 0, 0, false));
    }
    recorder.configChange(1, "p1", "rescale");
    recorder.rollback(2, "p1", "worse");
    nanos[0] = 2_000_000_000L;
    ControllerRun run = recorder.finish();

    assertEquals(
        List.of(
            new FaultRecord("c", "CHECKPOINT_TIMEOUT", "p1", 2, null, null, false, true),
            new FaultRecord("a", "TASK_CRASH", "p2", 5, null, 8L, true, false),
            new FaultRecord("b", "DISK_FULL", "p1", 5, 9L, 20L, false, false)),
        run.faults());
    assertEquals("p1", run.ticks().get(0).pipelineId());
    assertEquals(0, run.ticks().get(1).tick());
    assertEquals(6, run.ticks().size());
    assertEquals(1.5, run.ticksPerSecond(), 1e-12);
    assertEquals(1, run.configChanges().size());
    assertEquals(1, run.rollbacks().size());
    assertEquals(ControllerKind.RULE_BASED, run.controller());
    assertEquals(10, run.tickSeconds());
  }

  @Test
  void rejectsUnknownFaultsDuplicatesAndTimeTravel() {
    recorder.faultInjected("a", "TASK_CRASH", "p1", 5, false);
    assertThrows(IllegalArgumentException.class, () -> recorder.faultDetected("zz", 6));
    assertThrows(IllegalArgumentException.class, () -> recorder.faultResolved("a", 4, false));
    assertThrows(
        IllegalArgumentException.class,
        () -> recorder.faultInjected("a", "TASK_CRASH", "p1", 7, false));
  }

  @Test
  void votesCloseTogetherFormOneEpisodePerDetectorAndPipeline() {
    recorder.faultInjected("f", "TASK_CRASH", "p1", 0, false);
    java.util.function.BiFunction<Boolean, Boolean, dev.autopilot.api.Diagnostics> d =
        (iforest, anomaly) ->
            new dev.autopilot.api.Diagnostics(
                dev.autopilot.api.AgentKind.RECOVERY,
                List.of(new dev.autopilot.api.Diagnostics.DetectorVote("iforest", 0.9, iforest)),
                anomaly,
                anomaly ? 0.8 : 0.1,
                List.of(),
                Map.of());
    recorder.diagnostics("p1", 1, d.apply(true, true));
    recorder.diagnostics("p1", 1 + RunRecorder.EPISODE_GAP_TICKS, d.apply(true, false));
    recorder.diagnostics("p1", 30, d.apply(true, false));
    recorder.diagnostics("p2", 30, null);
    recorder.faultDiagnosed("f", 1, "TASK_CRASH");
    recorder.faultDiagnosed("f", 2, "DISK_FULL");
    ControllerRun run = recorder.finish();
    assertEquals(
        List.of(
            new AlarmEpisode("ensemble", "p1", 1, 1),
            new AlarmEpisode("iforest", "p1", 1, 1 + RunRecorder.EPISODE_GAP_TICKS),
            new AlarmEpisode("iforest", "p1", 30, 30)),
        run.alarms());
    assertEquals("TASK_CRASH", run.faults().get(0).diagnosedMode());
  }
}
