package dev.autopilot.runtime.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.api.OperatorMetrics;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.SnapshotValidator;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.k8s.FlinkTelemetry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The platform's rates through the whole read path: a fake JobManager answers with the shapes Flink
 * 1.20 gives (recorded from a MiniCluster), its counters advance between two observations taken a
 * known time apart, and the rates are exactly the counter difference over that time.
 */
class FlinkRestPlatformRateTest {

  private static final String JOB = "81c743cd6f7f7753a1fc15af1cd33baa";
  private static final String SRC = "ca88eee0095684d687a1b6495617f957";
  private static final String MAP = "9c32e3838cee893dbb2fc90ccad79598";

  private HttpServer server;
  private final AtomicLong sourceOut = new AtomicLong(24_339);
  private final AtomicLong mapIn = new AtomicLong(24_000);
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T12:00:00Z"));
  private FlinkRestPlatform platform;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.start();
    FlinkRestSettings settings =
        FlinkRestSettings.create(ConfigFactory.load())
            .withBaseUrl(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
    platform =
        new FlinkRestPlatform(
            settings, FlinkRestClient.create(settings), Map.of("p1", "taxi"), null, clock);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void ratesAreCounterDifferencesOverTheTimeBetweenObservations() {
    TelemetrySnapshot first = platform.observe("p1");
    assertTrue(first.operator("source-numbers").isAbsent("recordsInPerSecond"));
    assertTrue(first.operator("enrich").isAbsent("recordsInPerSecond"));
    assertEquals(Optional.empty(), SnapshotValidator.validate(first, Set.of("p1"), Long.MIN_VALUE));

    clock.advance(Duration.ofMillis(2_500));
    sourceOut.addAndGet(10_000);
    mapIn.addAndGet(9_000);
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
    String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
    FlinkRestTelemetry telemetry =
        new FlinkRestTelemetry(FlinkRestSettings.create(ConfigFactory.load()));
    FlinkTelemetry.Target target =
        new FlinkTelemetry.Target("orders", "flink", endpoint, JOB, null);

    TelemetrySnapshot first = telemetry.observe(target);
    assertEquals("orders", first.pipelineId());
    assertEquals(Map.of("source-numbers", 1, "enrich", 2), first.config().parallelism());
    assertTrue(first.operator("enrich").isAbsent("recordsInPerSecond"));

    sourceOut.addAndGet(10_000);
    mapIn.addAndGet(9_000);
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

    String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
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

  // ------------------------------------------------------------------------------ fake JobManager

  private void answer(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String query = ex.getRequestURI().getQuery();
    String body =
        switch (path) {
          case "/jobs/overview" ->
              "{\"jobs\":[{\"jid\":\""
                  + JOB
                  + "\",\"name\":\"taxi\",\"start-time\":1,\"state\":\"RUNNING\"}]}";
          case "/jobs/" + JOB ->
              "{\"jid\":\""
                  + JOB
                  + "\",\"name\":\"taxi\",\"state\":\"RUNNING\",\"vertices\":["
                  + "{\"id\":\""
                  + SRC
                  + "\",\"name\":\"Source:"
                  + " numbers\",\"maxParallelism\":64,\"parallelism\":1,\"status\":\"RUNNING\"},"
                  + "{\"id\":\""
                  + MAP
                  + "\",\"name\":\"enrich\",\"maxParallelism\":64,\"parallelism\":2,\"status\":\"RUNNING\"}],"
                  + "\"plan\":{\"nodes\":[{\"id\":\""
                  + SRC
                  + "\"},{\"id\":\""
                  + MAP
                  + "\",\"inputs\":[{\"id\":\""
                  + SRC
                  + "\"}]}]}}";
          case "/jobs/" + JOB + "/vertices/" + SRC + "/subtasks/metrics" ->
              query == null
                  ? "[{\"id\":\"numRecordsOut\"},{\"id\":\"Source__numbers.pendingRecords\"},{\"id\":\"busyTimeMsPerSecond\"}]"
                  : "[{\"id\":\"numRecordsIn\",\"max\":0.0,\"avg\":0.0,\"sum\":0.0},"
                      + "{\"id\":\"numRecordsOut\",\"max\":1,\"avg\":1,\"sum\":"
                      + sourceOut.get()
                      + ".0},{\"id\":\"busyTimeMsPerSecond\",\"max\":\"NaN\",\"avg\":\"NaN\",\"sum\":\"NaN\"},"
                      + "{\"id\":\"idleTimeMsPerSecond\",\"max\":0.0,\"avg\":0.0,\"sum\":0.0},"
                      + "{\"id\":\"backPressuredTimeMsPerSecond\",\"max\":0.0,\"avg\":0.0,\"sum\":0.0},"
                      + "{\"id\":\"Source__numbers.pendingRecords\",\"max\":350.0,\"avg\":350.0,\"sum\":350.0}]";
          case "/jobs/" + JOB + "/vertices/" + MAP + "/subtasks/metrics" ->
              query == null
                  ? "[{\"id\":\"numRecordsIn\"},{\"id\":\"busyTimeMsPerSecond\"}]"
                  : "[{\"id\":\"numRecordsIn\",\"max\":1,\"avg\":1,\"sum\":"
                      + mapIn.get()
                      + ".0},"
                      + "{\"id\":\"numRecordsOut\",\"max\":1,\"avg\":1,\"sum\":"
                      + mapIn.get()
                      + ".0},{\"id\":\"busyTimeMsPerSecond\",\"max\":300.0,\"avg\":250.0,\"sum\":500.0},"
                      + "{\"id\":\"idleTimeMsPerSecond\",\"max\":750.0,\"avg\":750.0,\"sum\":1500.0},"
                      + "{\"id\":\"backPressuredTimeMsPerSecond\",\"max\":0.0,\"avg\":0.0,\"sum\":0.0}]";
          case "/jobs/" + JOB + "/checkpoints" ->
              "{\"counts\":{\"restored\":0,\"total\":5,\"in_progress\":0,\"completed\":5,\"failed\":0},"
                  + "\"latest\":{\"completed\":{\"id\":5,\"end_to_end_duration\":96,\"state_size\":2659,"
                  + "\"external_path\":\"file:/tmp/cp/chk-5\",\"latest_ack_timestamp\":10},"
                  + "\"savepoint\":null,\"failed\":null,\"restored\":null},\"history\":[]}";
          case "/jobs/" + JOB + "/checkpoints/details/5" ->
              "{\"id\":5,\"tasks\":{\"" + MAP + "\":{\"state_size\":2659}}}";
          case "/jobs/" + JOB + "/checkpoints/config" ->
              "{\"mode\":\"exactly_once\",\"interval\":2000,\"externalization\":{\"enabled\":true,\"delete_on_cancellation\":false}}";
          case "/jobs/" + JOB + "/metrics" -> "[{\"id\":\"numRestarts\",\"value\":\"0\"}]";
          case "/jobs/" + JOB + "/exceptions" ->
              "{\"exceptionHistory\":{\"entries\":[],\"truncated\":false}}";
          case "/taskmanagers" ->
              "{\"taskmanagers\":[{\"id\":\"tm-1\",\"path\":\"pekko://flink/user/rpc/taskmanager_0\","
                  + "\"slotsNumber\":4,\"freeSlots\":2,\"totalResource\":{\"cpuCores\":1000000.0,\"networkMemory\":64},"
                  + "\"hardware\":{\"cpuCores\":2,\"physicalMemory\":25276502016},"
                  + "\"memoryConfiguration\":{\"networkMemory\":67108864,\"totalProcessMemory\":2200835194880}}]}";
          case "/taskmanagers/tm-1/metrics" ->
              query == null
                  ? "[{\"id\":\"Status.JVM.Memory.Heap.Used\"},{\"id\":\"Status.JVM.Memory.Heap.Max\"}]"
                  : "[{\"id\":\"Status.JVM.Memory.Heap.Used\",\"value\":\"42251440\"},"
                      + "{\"id\":\"Status.JVM.Memory.Heap.Max\",\"value\":\"2147483648\"}]";
          default -> null;
        };
    ex.getRequestBody().readAllBytes();
    ex.getResponseHeaders().add("Connection", "close");
    byte[] bytes =
        (body == null ? "{\"errors\":[\"Not found: " + path + "\"]}" : body)
            .getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  /** A clock the test moves. */
  private static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
