package dev.autopilot.agents.prediction.learn;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;
import org.junit.jupiter.api.Test;

class LiveLabelerTest {
  private static final SlaSpec SLA = new SlaSpec(800_000, 500, 0.05);

  @Test
  void latencyOverTheBoundIsAViolation() {
    LiveLabeler l = new LiveLabeler(0.05);
    assertFalse(l.violated(Snapshots.builder("p", 0).latencyP99(400).build(), SLA));
    assertTrue(l.violated(Snapshots.builder("p", 1).latencyP99(600).build(), SLA));
    assertThrows(
        IllegalArgumentException.class, () -> l.violated(Snapshots.builder("p", 1).build(), SLA));
  }

  @Test
  void growingLagMeansUnservedDemand() {
    LiveLabeler l = new LiveLabeler(0.05);
    assertFalse(l.violated(Snapshots.builder("p", 0).throughput(500_000).lag(1_000).build(), SLA));
    // 10 s tick: lag grows by 1M records = 100k/s unserved on top of 500k/s processed (> 5 %)
    assertTrue(
        l.violated(Snapshots.builder("p", 1).throughput(500_000).lag(1_001_000).build(), SLA));
    // lag steady: demand = throughput again
    assertFalse(
        l.violated(Snapshots.builder("p", 2).throughput(500_000).lag(1_001_000).build(), SLA));
  }

  @Test
  void noisyRatesWithASteadyBacklogAreNotAViolation() {
    LiveLabeler l = new LiveLabeler(0.05);
    // The job's throughput reads 7 % under the source's input (independent measurement noise),
    // but the backlog does not grow: nothing is left unserved.
    for (long t = 0; t < 3; t++) {
      TelemetrySnapshot s = Snapshots.builder("p", t).throughput(500_000).lag(1_000).build();
      JobMetrics j = s.job();
      TelemetrySnapshot noisy =
          new TelemetrySnapshot(
              s.pipelineId(),
              s.tick(),
              s.eventTimeMillis(),
              s.taskManagers(),
              s.operators(),
              s.checkpoints(),
              new JobMetrics(
                  j.state(),
                  465_000,
                  j.latencyP99Ms(),
                  j.consumerLag(),
                  j.restartsTotal(),
                  j.runningTaskManagers()),
              s.config());
      assertFalse(l.violated(noisy, SLA), "tick " + t);
    }
  }

  @Test
  void aJobThatIsNotRunningViolates() {
    LiveLabeler l = new LiveLabeler(0.05);
    assertTrue(
        l.violated(
            Snapshots.builder("p", 0).state(JobMetrics.JobState.RESTARTING).throughput(0).build(),
            SLA));
  }
}
