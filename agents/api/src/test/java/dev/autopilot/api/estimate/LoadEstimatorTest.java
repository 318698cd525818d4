package dev.autopilot.api.estimate;

import static dev.autopilot.api.testing.Graphs.op;
import static dev.autopilot.api.testing.Graphs.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.estimate.LoadEstimator.Estimate;
import dev.autopilot.api.estimate.LoadEstimator.OperatorRate;
import dev.autopilot.api.JobMetrics.JobState;
import dev.autopilot.api.testing.Graphs;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadEstimatorTest {

  private static List<Graphs.Op> graph(double sourceBusy, double sinkBusy) {
    return List.of(
        op("source", 8, 400_000, 400_000, sourceBusy),
        op("filter", 8, 400_000, 100_000, 0.5),
        op("sink", 4, 100_000, 100_000, sinkBusy));
  }

  @Test
  void demandAddsLagGrowthOverTheEventTimeOfTheTick() {
    LoadEstimator estimator = new LoadEstimator(0.05);
    Estimate first = estimator.update(snapshot(0, 1_000, JobState.RUNNING, 8, graph(0.5, 0.5)));
    assertEquals(0, first.tickSeconds());
    assertEquals(400_000, first.demand(), 1e-9, "no lag growth known yet");
    assertTrue(first.demandUsable());

    // Two ticks later (20 s of event time) the lag grew by 2,000,000: +100,000/s.
    Estimate growing =
        estimator.update(snapshot(2, 2_001_000, JobState.RUNNING, 8, graph(0.5, 0.5)));
    assertEquals(20, growing.tickSeconds(), 1e-9);
    assertEquals(500_000, growing.demand(), 1e-9);

    // A draining backlog: the source consumes 400,000/s while the lag shrinks by 100,100/s, so
    // only 299,900/s arrive (conservation of records at the source).
    Estimate draining =
        estimator.update(snapshot(3, 1_000_000, JobState.RUNNING, 8, graph(0.5, 0.5)));
    assertEquals(299_900, draining.demand(), 1e-9);

    assertThrows(
        IllegalArgumentException.class,
        () -> estimator.update(snapshot(3, 0, JobState.RUNNING, 8, graph(0.5, 0.5))));
  }

  @Test
  void capacityIsTheSourceEquivalentBottleneck() {
    LoadEstimator estimator = new LoadEstimator(0.05);
    Estimate e = estimator.update(snapshot(0, 0, JobState.RUNNING, 8, graph(0.5, 0.8)));
    // source: 400,000 / 0.5 = 800,000; filter: 400,000 / 0.5 = 800,000;
    // sink: 100,000 / 0.8 = 125,000 records/s at input ratio 0.25 = 500,000 source events/s.
    assertEquals(500_000, e.capacity(), 1e-6);
    assertEquals("sink", e.bottleneck());
    OperatorRate sink = e.operators().get(2);
    assertEquals(0.25, sink.inputRatio(), 1e-12);
    assertEquals(125_000.0 / 4, sink.ratePerSubtask(), 1e-9);
    assertTrue(sink.measured());
  }

  @Test
  void idleOperatorsCarryTheirLastGoodRateAndUnknownOnesAreSkipped() {
    LoadEstimator estimator = new LoadEstimator(0.05);
    // The sink is idle from the start: never measured, so it does not bound the capacity.
    Estimate e0 = estimator.update(snapshot(0, 0, JobState.RUNNING, 8, graph(0.5, 0.01)));
    assertFalse(e0.operators().get(2).known());
    assertEquals(800_000, e0.capacity(), 1e-6);

    estimator.update(snapshot(1, 0, JobState.RUNNING, 8, graph(0.5, 0.8)));
    // The sink goes idle again: its rate from tick 1 is carried, not measured.
    Estimate e2 = estimator.update(snapshot(2, 0, JobState.RUNNING, 8, graph(0.5, 0.0)));
    OperatorRate sink = e2.operators().get(2);
    assertFalse(sink.measured());
    assertTrue(sink.known());
    assertEquals(500_000, e2.capacity(), 1e-6);

    // While the job restarts nothing is measured; the last good figures are carried.
    Estimate restarting =
        estimator.update(snapshot(3, 1e6, JobState.RESTARTING, 8, graph(0.0, 0.0)));
    assertTrue(restarting.operators().stream().noneMatch(OperatorRate::measured));
    assertEquals(500_000, restarting.capacity(), 1e-6);
  }

  @Test
  void aFirstSnapshotOfAJobThatIsNotRunningGivesNoDemand() {
    LoadEstimator estimator = new LoadEstimator(0.05);
    Estimate e = estimator.update(snapshot(0, 1e6, JobState.RESTARTING, 8, graph(0.0, 0.0)));
    assertFalse(e.demandUsable());
    assertFalse(e.capacityKnown());
  }
}
