package dev.autopilot.runtime.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.api.OperatorMetrics;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.SnapshotValidator;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.SimulatedTime;
import dev.autopilot.k8s.FlinkTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The platform's rates through the whole read path: a {@link FakeJobManager} answers with the
 * shapes Flink 1.20 gives (recorded from a MiniCluster), its counters advance between two
 * observations taken a known time apart, and the rates are exactly the counter difference over that
 * time.
 */
class FlinkRestPlatformRateTest {

  private static final String JOB = FakeJobManager.JOB;

  private FakeJobManager jobManager;
  private final SimulatedTime time = new SimulatedTime(Instant.parse("2026-11-21T12:00:00Z"));
  private FlinkRestPlatform platform;

  @BeforeEach
  void start() {
    jobManager = FakeJobManager.start(Clock.systemUTC());
    FlinkRestSettings settings =
        FlinkRestSettings.create(ConfigFactory.load()).withBaseUrl(jobManager.url());
    platform =
        new FlinkRestPlatform(
            settings, FlinkRestClient.create(settings), Map.of("p1", "taxi"), null, time.clock());
  }

  @AfterEach
  void stop() {
    jobManager.close();
  }

  @Test
  void ratesAreCounterDifferencesOverTheTimeBetweenObservations() {
    TelemetrySnapshot first = platform.observe("p1");
    assertTrue(first.operator("source-numbers").isAbsent("recordsInPerSecond"));
    assertTrue(first.operator("enrich").isAbsent("recordsInPerSecond"));
    assertEquals(Optional.empty(), SnapshotValidator.validate(first, Set.of("p1"), Long.MIN_VALUE));

    time.advance(Duration.ofMillis(2_500));
    jobManager.sourceOut.addAndGet(10_000);
    jobManager.mapIn.addAndGet(9_000);
    TelemetrySnapshot second = platform.observe("p1");

    OperatorMetrics source = second.operator("source-numbers");
    OperatorMetrics map = second.operator("enrich");
    assertEquals(10_000 / 2.5, source.recordsInPerSecond(), 1e-9);
    assertEquals(10_000 / 2.5, source.recordsOutPerSecond(), 1e-9);
    assertEquals(9_000 / 2.5, map.recordsInPerSecond(), 1e-9);
    assertEquals(10_000 / 2.5, second.job().throughputPerSecond(), 1e-9);
    assertFalse(source.isAbsent("recordsInPerSecond"));
    assertEquals(first.tick() + 1, second.tick());
    assertEquals(350, source.pendingRecords());
    assertEquals(350, second.job().consumerLag());
    assertEquals(2659, map.stateSizeBytes());
    assertTrue(
        source.isAbsent("stateSizeBytes"), "the source vertex has no entry in the checkpoint");
    assertEquals(Optional.empty(), SnapshotValidator.validate(second, Set.of("p1"), first.tick()));
    assertEquals(Map.of("source-numbers", 1, "enrich", 2), second.config().parallelism());
    assertEquals(2, second.config().checkpointIntervalSeconds());
  }

  @Test
  void kubernetesTelemetryObservesTheOnlyJobOfEachEndpointAndKeepsItsCounters() {
    String endpoint = jobManager.url().toString();
    FlinkRestTelemetry telemetry =
        new FlinkRestTelemetry(FlinkRestSettings.create(ConfigFactory.load()));
    FlinkTelemetry.Target target =
        new FlinkTelemetry.Target("orders", "flink", endpoint, JOB, null);

    TelemetrySnapshot first = telemetry.observe(target);
    assertEquals("orders", first.pipelineId());
    assertEquals(Map.of("source-numbers", 1, "enrich", 2), first.config().parallelism());
    assertTrue(first.operator("enrich").isAbsent("recordsInPerSecond"));

    jobManager.sourceOut.addAndGet(10_000);
    jobManager.mapIn.addAndGet(9_000);
    TelemetrySnapshot second = telemetry.observe(target);
    assertFalse(
        second.operator("enrich").isAbsent("recordsInPerSecond"),
        "the second observation of the same endpoint has counter differences");
    assertEquals(first.tick() + 1, second.tick());
    assertEquals(1, telemetry.platforms());
  }

  @Test
  void kubernetesTelemetryRejectsAnEndpointThatIsNoUrlAndForgetsAMovedOne() {
    FlinkRestTelemetry telemetry =
        new FlinkRestTelemetry(FlinkRestSettings.create(ConfigFactory.load()));
    PlatformException bad =
        assertThrows(
            PlatformException.class,
            () ->
                telemetry.observe(
                    new FlinkTelemetry.Target("orders", "flink", "not a url", JOB, null)));
    assertEquals(PlatformException.Kind.REJECTED, bad.kind());
    assertTrue(bad.getMessage().contains("orders"), bad.getMessage());

    String endpoint = jobManager.url().toString();
    telemetry.observe(new FlinkTelemetry.Target("orders", "flink", endpoint, JOB, null));
    PlatformException moved =
        assertThrows(
            PlatformException.class,
            () ->
                telemetry.observe(
                    new FlinkTelemetry.Target("orders", "flink", "http://127.0.0.1:1", JOB, null)));
    assertTrue(moved.retryable(), "nothing listens on the moved endpoint: " + moved.kind());
    assertEquals(1, telemetry.platforms(), "a moved endpoint replaces the pipeline's old one");
  }
}
