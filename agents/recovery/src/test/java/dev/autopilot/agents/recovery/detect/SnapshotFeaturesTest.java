package dev.autopilot.agents.recovery.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.CheckpointMetrics;
import dev.autopilot.api.Metric;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotFeaturesTest {

  private static PipelineConfig config(int parallelism, int taskManagers) {
    Map<String, Integer> p = new LinkedHashMap<>();
    for (String op : Snapshots.OPERATORS) {
      p.put(op, parallelism);
    }
    return new PipelineConfig(p, 32, 30, taskManagers, 4.0, 16.0, 4);
  }

  /** The same relative load (per slot, per TaskManager) at {@code scale} times the size. */
  private static TelemetrySnapshot atScale(int scale, long tick) {
    TelemetrySnapshot s =
        Snapshots.builder("p1", tick)
            .config(config(16 * scale, 4 * scale))
            .throughput(400_000.0 * scale)
            .lag(2_000.0 * scale)
            .latencyP99(150)
            .busy(0.6)
            .checkpointMs(3_000)
            .tm(Metric.EXCEPTIONS, 2)
            .tm(Metric.LOG_ERRORS, 1)
            .tm(Metric.EXT_ERRORS, 3)
            .build();
    CheckpointMetrics c = s.checkpoints();
    return new TelemetrySnapshot(
        s.pipelineId(),
        s.tick(),
        s.eventTimeMillis(),
        s.taskManagers(),
        s.operators(),
        new CheckpointMetrics(
            c.lastDurationMs(),
            1e9 * scale,
            c.completedTotal(),
            c.failedTotal(),
            c.inProgress(),
            c.lastRestoredCheckpointId()),
        s.job(),
        s.config());
  }

  @Test
  void sameRelativeLoadAtTwoParallelismLevelsGivesTheSameFeatures() {
    SnapshotFeatures small = new SnapshotFeatures();
    SnapshotFeatures large = new SnapshotFeatures();
    for (int t = 0; t < 3; t++) {
      float[] a = small.next(atScale(1, t));
      float[] b = large.next(atScale(3, t));
      for (int i = 0; i < SnapshotFeatures.DIM; i++) {
        assertEquals(a[i], b[i], 1e-5, SnapshotFeatures.NAMES.get(i) + " at tick " + t);
      }
    }
  }

  @Test
  void schemaTwoHasNoAbsoluteLoadFeatures() {
    assertEquals("recovery-snapshot/2", SnapshotFeatures.SCHEMA);
    assertTrue(!SnapshotFeatures.NAMES.contains("throughput_log"));
    assertTrue(!SnapshotFeatures.NAMES.contains("lag_log"));
    assertEquals(40, SnapshotFeatures.DIM);
  }

  @Test
  void configChangeRecencyJumpsOnAChangeAndDecays() {
    SnapshotFeatures f = new SnapshotFeatures();
    int i = SnapshotFeatures.index("config_change_recent");
    assertEquals(0f, f.next(atScale(1, 0))[i]);
    assertEquals(0f, f.next(atScale(1, 1))[i], "no change yet");
    assertEquals(1f, f.next(atScale(2, 2))[i], 1e-6, "rescaled this tick");
    float later = 0;
    for (int t = 3; t < 3 + 30; t++) {
      later = f.next(atScale(2, t))[i];
    }
    assertEquals(Math.exp(-1), later, 1e-5, "decays by e over 30 ticks");
    f.reset();
    assertEquals(0f, f.next(atScale(1, 40))[i], "reset forgets the change");
  }
}
