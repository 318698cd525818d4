package dev.autopilot.runtime.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.api.ActuationResult;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.PlatformException.Kind;
import dev.autopilot.api.testing.RetryStorm;
import dev.autopilot.api.testing.SimulatedTime;
import dev.autopilot.runtime.flink.FakeJobManager.Fault;
import dev.autopilot.runtime.flink.FakeJobManager.Scope;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The platform-fault drill of the Flink REST platform: a {@link FakeJobManager} that is down, slow,
 * stalls or cuts its answers, answers 5xx or 403, or answers 200 with garbage or JSON of the wrong
 * shape. Every fault must come out of the port as a {@link PlatformException} of the right kind
 * with a one-line message naming the call (no stack trace, no hang past the configured timeouts); a
 * sustained outage must not become a retry storm (the retries are spaced by the backoff and bounded
 * per minute, counted at the server over simulated minutes); and once the JobManager heals the
 * platform observes and actuates again.
 *
 * <p>Retries wait on {@link SimulatedTime}, so minutes of backoff cost no wall-clock time; the
 * timeouts are real but short, set through {@code autopilot.flink-rest} like every other knob.
 */
class FlinkRestPlatformFaultTest {
  private static final String P = "p1";

  private final SimulatedTime time = new SimulatedTime();
  private FakeJobManager jobManager;
  private FlinkRestSettings settings;
  private FlinkRestClient client;
  private FlinkRestPlatform platform;

  @BeforeEach
  void start() {
    jobManager = FakeJobManager.start(time.clock());
    settings =
        FlinkRestSettings.create(
                FakeJobManager.restSettings(Duration.ofSeconds(1), Duration.ofSeconds(8), 12)
                    .withFallback(ConfigFactory.load()))
            .withBaseUrl(jobManager.url());
    client = new FlinkRestClient(settings, time.retrier(settings.retry()));
    platform = new FlinkRestPlatform(settings, client, Map.of(P, "taxi"), null, time.clock());
  }

  @AfterEach
  void stop() {
    jobManager.close();
  }

  static Stream<Arguments> faults() {
    return Stream.of(
        Arguments.of(Fault.DOWN, Kind.UNAVAILABLE, 0, "cannot connect"),
        Arguments.of(Fault.UNAVAILABLE, Kind.UNAVAILABLE, 503, "Service temporarily unavailable"),
        Arguments.of(Fault.INTERNAL_ERROR, Kind.UNAVAILABLE, 500, "HTTP 500"),
        Arguments.of(Fault.FORBIDDEN, Kind.FORBIDDEN, 403, "HTTP 403"),
        Arguments.of(Fault.SLOW, Kind.TIMEOUT, 0, "no answer within"),
        Arguments.of(Fault.STALLED_BODY, Kind.TIMEOUT, 0, "no complete answer within"),
        Arguments.of(Fault.TRUNCATED, Kind.UNAVAILABLE, 0, "connection failed"),
        Arguments.of(Fault.GARBAGE, Kind.MALFORMED_RESPONSE, 200, "unparseable JSON"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("faults")
  void eachFaultIsATypedFailureWithAClearMessageAndHealingRestoresTheObservation(
      Fault fault, Kind kind, int status, String says) {
    jobManager.fail(fault, Scope.ALL);

    PlatformException e = fails(kind, () -> platform.observe(P));
    assertEquals(status, e.httpStatus(), e.getMessage());
    assertTrue(e.getMessage().startsWith("GET /jobs/overview: "), e.getMessage());
    assertTrue(e.getMessage().contains(says), e.getMessage());
    assertClear(e);
    int attempts = e.retryable() ? settings.retry().maxAttempts() : 1;
    assertEquals(
        fault == Fault.DOWN ? 0 : attempts,
        jobManager.requests().size(),
        "requests received: retryable kinds get max-attempts, the others one");
    assertEquals(attempts - 1, client.retrier().retries());

    jobManager.heal();
    assertEquals(
        Map.of("source-numbers", 1, "enrich", 2), platform.observe(P).config().parallelism());
  }

  static Stream<Arguments> wrongShapes() {
    String job = "/jobs/" + FakeJobManager.JOB;
    return Stream.of(
        Arguments.of("/jobs/overview", "[]"),
        Arguments.of("/jobs/overview", "{\"jobs\":{\"jid\":\"x\"}}"),
        Arguments.of("/jobs/overview", "\"RUNNING\""),
        Arguments.of(job, "{\"jid\":\"x\",\"vertices\":{\"id\":\"v\"}}"),
        Arguments.of(job + "/metrics", "[{\"id\":\"numRestarts\",\"value\":\"many\"}]"),
        Arguments.of(job + "/metrics", "{\"id\":\"numRestarts\"}"),
        Arguments.of(
            job + "/vertices/" + FakeJobManager.MAP + "/subtasks/metrics", "{\"numRecordsIn\":1}"),
        Arguments.of("/taskmanagers/tm-1/metrics", "{\"value\":1}"));
  }

  @ParameterizedTest(name = "{0} answers {1}")
  @MethodSource("wrongShapes")
  void jsonOfTheWrongShapeIsAMalformedResponse(String path, String body) {
    platform.observe(P);
    jobManager.override(path, body);

    PlatformException e = fails(Kind.MALFORMED_RESPONSE, () -> platform.observe(P));
    assertClear(e);

    jobManager.clearOverrides();
    assertEquals(2, platform.observe(P).config().parallelismOf("enrich"));
  }

  @Test
  void aFailedRescaleChangesNothingAndSucceedsOnceTheJobManagerHeals() {
    PipelineConfig current = platform.observe(P).config();
    PipelineConfig wider = current.withParallelism(Map.of("enrich", 3));
    jobManager.fail(Fault.UNAVAILABLE, Scope.WRITES);

    PlatformException e = fails(Kind.UNAVAILABLE, () -> platform.apply(P, wider));
    assertTrue(
        e.getMessage()
            .startsWith("PUT /jobs/" + FakeJobManager.JOB + "/resource-requirements: HTTP 503"),
        e.getMessage());
    assertClear(e);
    assertEquals(2, jobManager.parallelismOf(FakeJobManager.MAP), "nothing changed");
    assertEquals(current, platform.observe(P).config());

    jobManager.heal();
    assertEquals(ActuationResult.Outcome.APPLIED, platform.apply(P, wider).outcome());
    assertEquals(3, jobManager.parallelismOf(FakeJobManager.MAP));
    assertEquals(wider.parallelism(), platform.observe(P).config().parallelism());
    assertEquals(ActuationResult.Outcome.UNCHANGED, platform.apply(P, wider).outcome());
  }

  /**
   * Five simulated minutes of a JobManager answering 503 to everything, called as the runtime calls
   * it: the collector observes every 10 s and the actuator retries its change 5 s later. Without a
   * bound that is 12 calls and 36 requests a minute; the retries stay within {@code
   * max-retries-per-minute} (12) in every sliding minute, and every request is at least the first
   * backoff after the one before it.
   */
  @Test
  void aSustainedOutageIsNoRetryStorm() {
    PipelineConfig wider = platform.observe(P).config().withParallelism(Map.of("enrich", 3));
    int before = jobManager.requests().size();
    jobManager.fail(Fault.UNAVAILABLE, Scope.ALL);

    RetryStorm storm =
        RetryStorm.run(
            "Flink REST, 5 simulated minutes of HTTP 503",
            time,
            client.retrier(),
            settings.retry(),
            Duration.ofMinutes(5),
            Duration.ofSeconds(10),
            List.of(
                () -> fails(Kind.UNAVAILABLE, () -> platform.observe(P)),
                () -> fails(Kind.UNAVAILABLE, () -> platform.apply(P, wider))),
            before,
            first ->
                jobManager.requests().stream()
                    .skip(first)
                    .map(FakeJobManager.Request::at)
                    .toList());
    System.out.println(storm);
    storm.assertBounded(settings.retry());

    jobManager.heal();
    assertEquals(ActuationResult.Outcome.APPLIED, platform.apply(P, wider).outcome());
  }

  // ------------------------------------------------------------------------------ helpers

  private static PlatformException fails(Kind kind, Executable call) {
    PlatformException e = assertThrows(PlatformException.class, call);
    assertEquals(kind, e.kind(), e.getMessage());
    return e;
  }

  /** One line naming the call, no stack trace, not the whole answer. */
  private static void assertClear(PlatformException e) {
    String m = e.getMessage();
    assertFalse(m.contains("\n"), m);
    assertFalse(m.contains("\tat "), m);
    assertTrue(m.length() <= 400, m);
  }
}
