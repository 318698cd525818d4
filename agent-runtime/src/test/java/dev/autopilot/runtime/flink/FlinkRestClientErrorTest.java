package dev.autopilot.runtime.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.api.Action;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.PlatformException.Kind;
import dev.autopilot.api.retry.Retrier;
import dev.autopilot.api.retry.RetryPolicy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the REST client and the platform map what a (fake) JobManager answers: each failure gets its
 * kind, only the retryable ones are retried, only on safe calls, and the per-minute budget bounds
 * the retries of all calls together.
 */
class FlinkRestClientErrorTest {

  private static final String JOB = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

  private HttpServer server;
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private final List<Duration> waits = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private FlinkRestSettings settings;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    route("/jobs/overview", 200, "{\"jobs\":[]}");
    route(
        "/jobs/missing",
        404,
        "{\"errors\":[\"org.apache.flink.runtime.rest.NotFoundException: Job missing not found\\n"
            + "\\tat x\"]}");
    route("/jobs/bad", 400, "{\"errors\":[\"Bad request\"]}");
    route("/jobs/broken", 500, "{\"errors\":[\"Internal server error.\"]}");
    route("/jobs/garbage", 200, "{\"jid\": \"oops\", ");
    route("/jobs/forbidden", 403, "");
    route("/jobs/conflict", 409, "{\"errors\":[\"conflict\"]}");
    server.createContext(
        "/jobs/slow",
        ex -> {
          count(ex);
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          respond(ex, 200, "{}");
        });
    server.start();
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    settings =
        FlinkRestSettings.create(ConfigFactory.load())
            .withBaseUrl(url)
            .withRequestTimeout(Duration.ofSeconds(10))
            .withRetry(
                new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.0, 30));
  }

  @AfterEach
  void stopServer() {
    release.countDown();
    server.stop(0);
  }

  @Test
  void aMissingJobIsNotFoundAndNotRetried() {
    FlinkRestClient client = client(settings.retry());
    PlatformException e = assertThrows(PlatformException.class, () -> client.job("missing"));
    assertEquals(Kind.NOT_FOUND, e.kind());
    assertEquals(404, e.httpStatus());
    assertTrue(e.getMessage().contains("Job missing not found"), e.getMessage());
    assertEquals(1, hits("/jobs/missing"));
    assertEquals(0, client.retrier().retries());
  }

  @Test
  void aBadRequestIsRejectedAndNotRetried() {
    FlinkRestClient client = client(settings.retry());
    PlatformException e = assertThrows(PlatformException.class, () -> client.job("bad"));
    assertEquals(Kind.REJECTED, e.kind());
    assertEquals(400, e.httpStatus());
    assertEquals(1, hits("/jobs/bad"));
  }

  @Test
  void forbiddenAndConflictKeepTheirKinds() {
    FlinkRestClient client = client(settings.retry());
    assertEquals(
        Kind.FORBIDDEN,
        assertThrows(PlatformException.class, () -> client.job("forbidden")).kind());
    assertEquals(
        Kind.CONFLICT, assertThrows(PlatformException.class, () -> client.job("conflict")).kind());
    assertEquals(1, hits("/jobs/forbidden"));
    assertEquals(1, hits("/jobs/conflict"));
  }

  @Test
  void aServerErrorIsUnavailableAndRetriedWithBackoff() {
    FlinkRestClient client = client(settings.retry());
    PlatformException e = assertThrows(PlatformException.class, () -> client.job("broken"));
    assertEquals(Kind.UNAVAILABLE, e.kind());
    assertEquals(500, e.httpStatus());
    assertEquals(3, hits("/jobs/broken"), "three attempts");
    assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200)), waits);
  }

  @Test
  void garbageJsonIsMalformedAndRetried() {
    FlinkRestClient client = client(settings.retry());
    PlatformException e = assertThrows(PlatformException.class, () -> client.job("garbage"));
    assertEquals(Kind.MALFORMED_RESPONSE, e.kind());
    assertEquals(3, hits("/jobs/garbage"));
  }

  @Test
  void aSlowAnswerTimesOutAndIsRetried() {
    FlinkRestSettings impatient = settings.withRequestTimeout(Duration.ofMillis(300));
    FlinkRestClient client = new FlinkRestClient(impatient, retrier(impatient.retry()));
    PlatformException e = assertThrows(PlatformException.class, () -> client.job("slow"));
    assertEquals(Kind.TIMEOUT, e.kind());
    assertEquals(3, hits("/jobs/slow"));
  }

  @Test
  void anUnreachableClusterIsUnavailable() throws IOException {
    int port;
    try (var socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    FlinkRestClient client =
        new FlinkRestClient(
            settings.withBaseUrl(URI.create("http://127.0.0.1:" + port)),
            retrier(RetryPolicy.NONE));
    PlatformException e = assertThrows(PlatformException.class, client::jobsOverview);
    assertEquals(Kind.UNAVAILABLE, e.kind());
  }

  @Test
  void cancelIsNeverRetried() {
    route("/jobs/" + JOB, 500, "{\"errors\":[\"boom\"]}");
    FlinkRestClient client = client(settings.retry());
    PlatformException e = assertThrows(PlatformException.class, () -> client.cancel(JOB));
    assertEquals(Kind.UNAVAILABLE, e.kind());
    assertEquals(1, hits("/jobs/" + JOB));
  }

  @Test
  void theResourceRequirementsPutAndTriggersWithATriggerIdAreRetried() {
    route("/jobs/" + JOB + "/resource-requirements", 503, "");
    route("/jobs/" + JOB + "/savepoints", 502, "");
    FlinkRestClient client = client(settings.retry());
    assertEquals(
        Kind.UNAVAILABLE,
        assertThrows(
                PlatformException.class, () -> client.putResourceRequirements(JOB, Map.of("v1", 2)))
            .kind());
    assertEquals(3, hits("/jobs/" + JOB + "/resource-requirements"));
    assertThrows(
        PlatformException.class,
        () ->
            client.triggerSavepoint(
                JOB, java.util.Optional.empty(), "00000000000000000000000000000001"));
    assertEquals(3, hits("/jobs/" + JOB + "/savepoints"));
  }

  @Test
  void thePerMinuteBudgetBoundsRetriesAcrossCalls() {
    RetryPolicy tight =
        new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.0, 4);
    FlinkRestClient client = client(tight);
    for (int i = 0; i < 5; i++) {
      assertEquals(
          Kind.UNAVAILABLE,
          assertThrows(PlatformException.class, () -> client.job("broken")).kind());
    }
    // 5 first attempts, and only 4 retries in the minute instead of 10
    assertEquals(9, hits("/jobs/broken"));
    assertEquals(4, client.retrier().retries());
    assertTrue(client.retrier().refused() >= 3, "refused " + client.retrier().refused());
  }

  @Test
  void thePlatformReportsAMissingJobUnknownPipelinesAndWhatRestCannotDo() {
    FlinkRestPlatform platform =
        new FlinkRestPlatform(
            settings, client(settings.retry()), Map.of("p1", "taxi"), null, Clock.systemUTC());
    PlatformException noJob = assertThrows(PlatformException.class, () -> platform.observe("p1"));
    assertEquals(Kind.NOT_FOUND, noJob.kind());
    assertTrue(noJob.getMessage().contains("taxi"), noJob.getMessage());
    assertEquals(
        Kind.UNKNOWN_PIPELINE,
        assertThrows(PlatformException.class, () -> platform.observe("p2")).kind());
    for (Action.RecoveryAction a :
        List.of(
            new Action.Reconnect("kafka"),
            new Action.Redistribute("node-3"),
            new Action.DrainNode("node-3"),
            new Action.Failover())) {
      PlatformException e =
          assertThrows(PlatformException.class, () -> platform.recover("p1", "a-" + a, a));
      assertEquals(Kind.REJECTED, e.kind(), a.describe());
      assertTrue(e.getMessage().contains("KubernetesPlatform"), e.getMessage());
    }
  }

  // ------------------------------------------------------------------------------ helpers

  private FlinkRestClient client(RetryPolicy policy) {
    return new FlinkRestClient(settings.withRetry(policy), retrier(policy));
  }

  /** A retrier on a frozen clock that records its waits instead of sleeping. */
  private Retrier retrier(RetryPolicy policy) {
    Clock frozen = Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);
    return new Retrier(policy, frozen, waits::add, () -> 0.5);
  }

  private void route(String path, int status, String body) {
    server.createContext(
        path,
        ex -> {
          count(ex);
          respond(ex, status, body);
        });
  }

  private void count(HttpExchange ex) {
    hits.computeIfAbsent(ex.getRequestURI().getPath(), k -> new AtomicInteger()).incrementAndGet();
  }

  private static void respond(HttpExchange ex, int status, String body) throws IOException {
    ex.getRequestBody().readAllBytes();
    ex.getResponseHeaders().add("Connection", "close");
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      ex.getResponseBody().write(bytes);
    }
    ex.close();
  }

  private int hits(String path) {
    AtomicInteger n = hits.get(path);
    return n == null ? 0 : n.get();
  }
}
