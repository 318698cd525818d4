package dev.autopilot.agents.optimization.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.Metric;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TaskManagerMetrics;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateEncoderTest {

  private static final SlaSpec SLA = new SlaSpec(1_000_000, 500, 0.05);

  private static void assertFinite(double[] f) {
    assertEquals(StateEncoder.SIZE, f.length);
    for (int i = 0; i < f.length; i++) {
      assertTrue(Double.isFinite(f[i]), "feature " + i + " is " + f[i]);
    }
  }

  @Test
  void encodesTheDocumentedFeaturesOfAHandBuiltSnapshot() {
    StateEncoder encoder = new StateEncoder(RlSettings.defaults());
    encoder.observe(Snapshots.healthy("p1", 1), SLA);
    StateEncoder.Observation o = encoder.observe(Snapshots.healthy("p1", 2), SLA);
    double[] f = o.features();
    assertFinite(f);
    // throughput 500k/s, lag 1000 steady, p99 120 ms, busy 0.55 on 16 subtasks everywhere
    assertEquals(0.5, f[StateEncoder.DEMAND], 1e-9);
    assertEquals(0.0, f[1], 1e-9); // flat demand
    assertEquals(0.5, f[2], 1e-9);
    assertEquals(1.0, f[StateEncoder.ACHIEVEMENT], 1e-9);
    assertEquals(0.24, f[StateEncoder.P99], 1e-9);
    assertEquals(Math.log1p(1000 / 60e6), f[StateEncoder.LAG], 1e-12);
    assertEquals(1.0, f[8]);
    assertEquals(0.495, f[StateEncoder.CPU], 1e-9); // cpu load = busy x 0.9
    assertEquals(0.45, f[13], 1e-9);
    assertEquals(0.02, f[14], 1e-9);
    assertEquals(0.2, f[15], 1e-9);
    for (int k = 0; k < 4; k++) {
      assertEquals(0.55, f[StateEncoder.BUSY + k], 1e-9);
      assertEquals(0.0, f[20 + k], 1e-9);
      assertEquals(0.25, f[StateEncoder.PARALLELISM + k], 1e-9);
      // rate 500k / 0.55 / 16 per subtask; required ceil(500003 / (rate x 0.7)) = 13
      assertEquals((13 - 16) / 16.0, f[StateEncoder.REQUIRED_GAP + k], 1e-9);
    }
    assertEquals(13, o.required().get("enrich"));
    assertEquals(0.5, f[33], 1e-9); // 32 MB
    assertEquals(0.5, f[34], 1e-9); // 30 s
    assertEquals(2000 / 30000.0, f[35], 1e-9);
    assertEquals(0.5, f[36], 1e-9);
    assertEquals(1.0, f[37], 1e-9);
    assertEquals(8 / 64.0, f[38], 1e-9);
    assertEquals(0.0, f[39]); // 2026-01-01 is a Thursday
    assertEquals(Math.sin(2 * Math.PI * (20.0 / 3600) / 24), f[40], 1e-9);
    assertEquals(0.0, f[42]); // not month-end
    assertEquals(0.0, f[StateEncoder.CHANGES]);
    assertEquals(1.0, f[StateEncoder.SINCE_CHANGE]); // no change seen
  }

  @Test
  void countsConfigurationChangesOfTheLastMinute() {
    StateEncoder encoder = new StateEncoder(RlSettings.defaults());
    encoder.observe(Snapshots.healthy("p1", 1), SLA);
    var changed = Snapshots.defaultConfig().withCheckpointIntervalSeconds(20);
    StateEncoder.Observation o =
        encoder.observe(Snapshots.builder("p1", 2).config(changed).build(), SLA);
    assertEquals(1 / 3.0, o.features()[StateEncoder.CHANGES], 1e-9);
    assertEquals(0.0, o.features()[StateEncoder.SINCE_CHANGE], 1e-9);
    assertEquals(1, o.changesLastMinute());
    for (long t = 3; t <= 8; t++) {
      o = encoder.observe(Snapshots.builder("p1", t).config(changed).build(), SLA);
    }
    assertEquals(0, o.changesLastMinute()); // 60 s later
    assertEquals(60.0, o.secondsSinceChange(), 1e-9);
  }

  @Test
  void absentMetricsGiveNeutralValuesNeverNan() {
    StateEncoder encoder = new StateEncoder(RlSettings.defaults());
    TelemetrySnapshot healthy = Snapshots.builder("p1", 1).throughput(0).build();
    List<String> all = new ArrayList<>();
    for (Metric m : Metric.values()) {
      all.add(m.metricName());
    }
    List<TaskManagerMetrics> blind = new ArrayList<>();
    for (TaskManagerMetrics tm : healthy.taskManagers()) {
      blind.add(
          new TaskManagerMetrics(tm.taskManagerId(), tm.nodeId(), new double[Metric.COUNT], all));
    }
    TelemetrySnapshot s =
        new TelemetrySnapshot(
            "p1",
            1,
            healthy.eventTimeMillis(),
            blind,
            healthy.operators(),
            healthy.checkpoints(),
            new JobMetrics(JobMetrics.JobState.RESTARTING, 0, 0, 0, 0, 0),
            healthy.config());
    double[] f = encoder.observe(s, SLA).features();
    assertFinite(f);
    assertEquals(0.5, f[StateEncoder.CPU]);
    assertEquals(0.5, f[12]);
    assertEquals(0.5, f[13]);
    assertEquals(1.0, f[StateEncoder.ACHIEVEMENT]); // nothing owed
    assertEquals(0.0, f[8]);
    assertEquals(RlSettings.defaults().targetUtilisation(), f[StateEncoder.UTILISATION]);
    // no TaskManager at all
    TelemetrySnapshot none =
        new TelemetrySnapshot(
            "p1",
            2,
            s.eventTimeMillis() + 10_000,
            List.of(),
            s.operators(),
            s.checkpoints(),
            s.job(),
            s.config());
    assertFinite(encoder.observe(none, SLA).features());
  }
}
