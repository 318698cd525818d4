package dev.autopilot.agents.meta.policy;

import static dev.autopilot.agents.meta.policy.Fixtures.PIPELINE;
import static dev.autopilot.agents.meta.policy.Fixtures.SETTINGS;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
