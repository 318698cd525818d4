package dev.autopilot.agents.meta.policy;

import static dev.autopilot.agents.meta.policy.Fixtures.PIPELINE;
import static dev.autopilot.agents.meta.policy.Fixtures.SETTINGS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.agents.meta.policy.Verification.Sample;
import dev.autopilot.agents.meta.policy.Verification.Status;
import dev.autopilot.api.ExpectedEffect;
import dev.autopilot.api.JobMetrics.JobState;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VerificationTest {
  private static final int WINDOW = SETTINGS.verification().windowTicks();
  private final Verification verification = new Verification(SETTINGS.verification());
  private static final ExpectedEffect PREDICTED = new ExpectedEffect(0.1, -0.1, 1000, 100, 1);

  private static List<Sample> samples(int n, double throughput, double latency, double demand) {
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Sample(i, throughput, latency, demand, JobState.RUNNING));
    }
    return out;
  }

  @Test
  void windowIsEighteenTicks() {
    assertEquals(18, WINDOW);
    assertEquals(
        Status.PENDING,
        verification.evaluate(PREDICTED, samples(WINDOW - 1, 1000, 100, 2000)).status());
    assertEquals(
        Status.PASSED, verification.evaluate(PREDICTED, samples(WINDOW, 1000, 100, 2000)).status());
  }

  @ParameterizedTest(name = "throughput {0}/s, p99 {1} ms -> {2}")
  @CsvSource({
    "850, 100, PASSED", // exactly 15 % under the prediction
    "849, 100, FAILED", // just past it
    "1000, 125, PASSED", // exactly 25 % over the predicted latency
    "1000, 125.2, FAILED", // just past it
    "849, 126, FAILED"
  })
  void thresholds(double throughput, double latency, Status expected) {
    Verification.Result r =
        verification.evaluate(PREDICTED, samples(WINDOW, throughput, latency, 5000));
    assertEquals(expected, r.status(), r.reason());
    assertTrue(!r.reason().isBlank());
  }

  @Test
  void throughputExpectationFollowsFallenDemand() {
    // Demand fell to 600/s: 600/s processed is all there was, not a 40 % shortfall.
    Verification.Result r = verification.evaluate(PREDICTED, samples(WINDOW, 600, 100, 600));
    assertEquals(Status.PASSED, r.status(), r.reason());
    assertEquals(600, r.expectedThroughput(), 1e-9);
    // The same throughput against an unchanged demand of 2000/s fails.
    assertEquals(
        Status.FAILED, verification.evaluate(PREDICTED, samples(WINDOW, 600, 100, 2000)).status());
    // Demand 600/s but only 500/s processed: 16.7 % under the demand -> fails.
    assertEquals(
        Status.FAILED, verification.evaluate(PREDICTED, samples(WINDOW, 500, 100, 600)).status());
  }

  @Test
  void demandIsSourceRecordsInPlusLagGrowth() {
    TelemetrySnapshot s = Snapshots.builder(PIPELINE, 5).throughput(1000).lag(21_000).build();
    double tickSeconds = SETTINGS.verification().tickSeconds();
    // Lag grew by 20 000 records in 10 s: 2 000/s offered on top of the 1 000/s consumed.
    assertEquals(3000, Sample.of(s, 1_000, tickSeconds).demand(), 1e-9);
    // Lag shrank (catch-up): demand is below consumption.
    assertEquals(500, Sample.of(s, 26_000, tickSeconds).demand(), 1e-9);
    // Unknown previous lag: consumption only.
    assertEquals(1000, Sample.of(s, Double.NaN, tickSeconds).demand(), 1e-9);
  }

  @Test
  void failedJobRollsBackAtOnce() {
    List<Sample> window = samples(3, 1000, 100, 1000);
    window.add(new Sample(3, 0, 0, 1000, JobState.FAILED));
    Verification.Result r = verification.evaluate(PREDICTED, window);
    assertEquals(Status.FAILED, r.status());
    assertTrue(r.reason().contains("FAILED"));
  }

  @Test
  void missingPredictionsAreNotChecked() {
    ExpectedEffect none = new ExpectedEffect(0, 0, 0, 0, 0);
    assertEquals(
        Status.PASSED, verification.evaluate(none, samples(WINDOW, 1, 1e6, 1000)).status());
  }

  // ------------------------------------------------------------------ the window's start gate

  private static final long APPLIED = 100;
  private static final int SETTLE = 3;
  private static final double LAG_BEFORE = 10_000;
  private static final double DEMAND = 100_000;

  /** Lag ceiling of the caught-up test for the constants above, from the settings. */
  private static double ceiling() {
    return LAG_BEFORE * (1 + SETTINGS.verification().catchUpLagBand())
        + DEMAND * SETTINGS.verification().catchUpLagSlackSeconds();
  }

  private Verification.Gate gate(long tick, JobState state, double lag) {
    return verification.windowStart(tick, APPLIED, SETTLE, state, lag, LAG_BEFORE, DEMAND);
  }

  @Test
  void gateDefaultsAreTheDocumentedOnes() {
    assertEquals(30, SETTINGS.verification().maxCatchUpTicks());
    assertEquals(0.2, SETTINGS.verification().catchUpLagBand(), 1e-12);
    assertEquals(0.02, SETTINGS.verification().catchUpLagSlackSeconds(), 1e-12);
  }

  @Test
  void windowWaitsForTheSettleTicks() {
    for (long t = APPLIED; t <= APPLIED + SETTLE; t++) {
      Verification.Gate g = gate(t, JobState.RUNNING, 0);
      assertFalse(g.open(), "tick " + t + ": " + g.reason());
    }
    Verification.Gate g = gate(APPLIED + SETTLE + 1, JobState.RUNNING, 0);
    assertTrue(g.open(), g.reason());
    assertFalse(g.timedOut());
  }

  @Test
  void windowWaitsWhileTheJobRestarts() {
    // Lag is low, but the job is not running yet: the restart transient is not measured.
    for (JobState state : List.of(JobState.RESTARTING, JobState.CREATED, JobState.FAILING)) {
      assertFalse(gate(APPLIED + SETTLE + 1, state, 0).open(), state.name());
    }
  }

  @ParameterizedTest(name = "lag {0} x the ceiling -> open {1}")
  @CsvSource({"0, true", "0.5, true", "1.0, true", "1.001, false", "3, false", "40, false"})
  void windowWaitsForTheBacklogToBeCaughtUp(double lagOverCeiling, boolean open) {
    Verification.Gate g = gate(APPLIED + SETTLE + 5, JobState.RUNNING, ceiling() * lagOverCeiling);
    assertEquals(open, g.open(), g.reason());
    assertFalse(g.timedOut());
  }

  @Test
  void windowStartsAnywayAfterTheMaximumCatchUpWait() {
    int wait = SETTINGS.verification().maxCatchUpTicks();
    long last = APPLIED + SETTLE + wait;
    Verification.Gate before = gate(last, JobState.RUNNING, ceiling() * 10);
    assertFalse(before.open(), before.reason());
    Verification.Gate after = gate(last + 1, JobState.RUNNING, ceiling() * 10);
    assertTrue(after.open(), after.reason());
    assertTrue(after.timedOut());
    // Also when the job never got back to RUNNING.
    assertTrue(gate(last + 1, JobState.RESTARTING, 0).timedOut());
  }

  @Test
  void unknownLagBeforeChecksTheJobStateOnly() {
    Verification.Gate g =
        verification.windowStart(
            APPLIED + SETTLE + 1, APPLIED, SETTLE, JobState.RUNNING, 1e9, Double.NaN, DEMAND);
    assertTrue(g.open(), g.reason());
    assertFalse(g.timedOut());
  }

  @Test
  void aChangeThatNeverCatchesUpFails() {
    // Catch-up wait ran out with p99 still far over the prediction: the window measures it.
    int wait = SETTINGS.verification().maxCatchUpTicks();
    Verification.Gate g = gate(APPLIED + SETTLE + wait + 1, JobState.RUNNING, ceiling() * 5);
    assertTrue(g.open() && g.timedOut(), g.reason());
    Verification.Result r = verification.evaluate(PREDICTED, samples(WINDOW, 1000, 900, 1000));
    assertEquals(Status.FAILED, r.status(), r.reason());
  }
}
