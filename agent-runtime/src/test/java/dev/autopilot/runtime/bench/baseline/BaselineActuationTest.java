package dev.autopilot.runtime.bench.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autopilot.api.Action;
import dev.autopilot.api.ActuationResult;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.Platform;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;
import dev.autopilot.runtime.bench.ControllerKind;
import dev.autopilot.runtime.bench.ControllerRun;
import dev.autopilot.runtime.bench.FaultRecord;
import dev.autopilot.runtime.bench.RunMode;
import dev.autopilot.runtime.bench.RunRecorder;
import dev.autopilot.runtime.bench.Scenario;
import dev.autopilot.runtime.bench.baseline.BaselineStep.FaultEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BaselineActuationTest {

  /**
   * Records calls; refuses recovery of the "bad" operator; apply of the running config is a no-op.
   */
  static final class RecordingPlatform implements Platform {
    final List<String> calls = new ArrayList<>();
    PipelineConfig running;

    RecordingPlatform(PipelineConfig running) {
      this.running = running;
    }

    @Override
    public Set<String> pipelines() {
      return Set.of("p1");
    }

    @Override
    public TelemetrySnapshot observe(String pipelineId) {
      return Snapshots.builder(pipelineId, 0).config(running).build();
    }

    @Override
    public ActuationResult apply(String pipelineId, PipelineConfig desired) {
      calls.add("apply " + desired.summary());
      if (desired.equals(running)) {
        return ActuationResult.unchanged("already running");
      }
      running = desired;
      return ActuationResult.applied("reconfigured", 3);
    }

    @Override
    public ActuationResult recover(String pipelineId, String actionId, Action.RecoveryAction a) {
      calls.add("recover " + actionId + " " + a.describe());
      if (a instanceof Action.RestartTask r && r.operatorId().equals("bad")) {
        throw new PlatformException(PlatformException.Kind.REJECTED, "unknown operator bad");
      }
      running = a.targetConfig(running);
      return ActuationResult.applied("done", 1);
    }
  }

  @Test
  void appliesInOrderRecordsConfigChangesAndDetectionsAndSurvivesFailures() {
    PipelineConfig start = Snapshots.defaultConfig();
    RecordingPlatform platform = new RecordingPlatform(start);
    Scenario scenario =
        new Scenario(
            1,
            1,
            1,
            Scenario.GENERATED,
            1,
            1,
            RunMode.AUTONOMOUS,
            10,
            List.of(ControllerKind.RULE_BASED));
    RunRecorder recorder =
        new RunRecorder(
            ControllerKind.RULE_BASED, scenario, Map.of("p1", new SlaSpec(1, 1, 0)), () -> 0L);
    recorder.faultInjected("f1", "TASK_CRASH", "p1", 10, false);
    PipelineConfig bigger = start.withTaskManagers(10);
    BaselineStep step =
        new BaselineStep(
            List.of(
                new Action.Reconfigure(bigger, "scale"),
                new Action.RestartTask("bad"),
                new Action.RestartTask("parse"),
                new Action.ExpandBuffers(32, 48),
                new Action.Reconfigure(bigger.withNetworkBufferMb(48), "same again")),
            List.of(new FaultEvent("f1", FaultEvent.Kind.DETECTED, 37, false, null)));
    TelemetrySnapshot snapshot = Snapshots.builder("p1", 37).config(start).build();

    BaselineActuation.Outcome out =
        BaselineActuation.apply(platform, "rule-based", snapshot, step, recorder);

    assertEquals(
        List.of(
            "apply " + bigger.summary(),
            "recover rule-based-p1-37-1 L1 restart tasks of bad",
            "recover rule-based-p1-37-2 L1 restart tasks of parse",
            "recover rule-based-p1-37-3 L1 expand buffers 32 -> 48 MB",
            "apply " + bigger.withNetworkBufferMb(48).summary()),
        platform.calls);
    assertEquals(
        List.of(
            new Action.Reconfigure(bigger, "scale").describe(),
            "L1 restart tasks of parse",
            "L1 expand buffers 32 -> 48 MB"),
        out.applied());
    assertEquals(List.of("L1 restart tasks of bad: REJECTED unknown operator bad"), out.failures());
    assertEquals(bigger.withNetworkBufferMb(48), out.config());

    ControllerRun run = recorder.finish();
    assertEquals(2, run.configChanges().size(), "the rescale and the buffer expansion");
    assertEquals(37L, run.configChanges().get(1).tick());
    FaultRecord f = run.faults().get(0);
    assertEquals(37L, f.detectedTick());
  }
}
