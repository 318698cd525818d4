package dev.autopilot.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.api.ActuationResult.Outcome;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.PlatformException.Kind;
import dev.autopilot.api.retry.Retrier;
import dev.autopilot.api.testing.RetryStorm;
import dev.autopilot.api.testing.SimulatedTime;
import dev.autopilot.api.testing.Snapshots;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The platform-fault drill of the Kubernetes platform: fabric8's mock API server in expectations
 * mode answers the FlinkDeployment's GET and PATCH with 5xx, 403, or only after the client's
 * request timeout. Every fault must come out of the port as a {@link PlatformException} of the
 * right kind with a one-line message naming the operation and never the client's bearer token; a
 * sustained outage must not become a retry storm (retries spaced by the backoff and bounded per
 * minute, counted at the server over simulated minutes); once the server heals, observing and
 * actuating work again.
 *
 * <p>The platform is built as the runtime builds it ({@link KubernetesPlatform#clientBuilder}:
 * fabric8's own retries off), its retry policy read from {@code autopilot.kubernetes.retry}, and
 * its retries wait on {@link SimulatedTime}, so minutes of backoff cost no wall-clock time.
 */
@EnableKubernetesMockClient
class KubernetesPlatformFaultTest {
  private static final String P = "orders";
  private static final String PATH =
      "/apis/flink.apache.org/v1beta1/namespaces/flink/flinkdeployments/" + P;
  private static final String TOKEN = "sha256~drill-bearer-token-0123456789";
  private static final PipelineConfig CHANGED =
      Snapshots.defaultConfig().withCheckpointIntervalSeconds(60);

  KubernetesMockServer server;
  KubernetesClient client;

  private final SimulatedTime time = new SimulatedTime();
  private final KubernetesSettings settings =
      KubernetesSettings.create(
          ConfigFactory.parseString(
                  "autopilot.kubernetes { namespace = flink\n"
                      + RetryStorm.retrySettings(Duration.ofSeconds(1), Duration.ofSeconds(8), 12)
                      + "\n}")
              .withFallback(ConfigFactory.defaultReference())
              .resolve());
  private final Retrier apiRetrier = time.retrier(settings.retry());
  private KubernetesClient withToken;
  private KubernetesPlatform platform;

  @BeforeEach
  void platform() {
    withToken = client(120_000);
    platform = platform(withToken);
  }

  @AfterEach
  void close() {
    withToken.close();
  }

  /** A client as the runtime builds it, with a bearer token and the given request timeout. */
  private KubernetesClient client(int requestTimeoutMillis) {
    return KubernetesPlatform.clientBuilder(
            new ConfigBuilder(client.getConfiguration())
                .withOauthToken(TOKEN)
                .withConnectionTimeout(120_000)
                .withRequestTimeout(requestTimeoutMillis)
                .build())
        .build();
  }

  private KubernetesPlatform platform(KubernetesClient c) {
    return new KubernetesPlatform(
        c, settings, new Fixtures.FakeTelemetry(), apiRetrier, time.retrier(settings.eviction()));
  }

  private static FlinkDeployment deployment() {
    FlinkDeployment fd = Fixtures.deployment(P);
    fd.getMetadata().setResourceVersion("7");
    return fd;
  }

  private Responses get(Integer... codes) {
    Responses r =
        new Responses(List.of(codes), deployment(), "etcdserver: request timed out")
            .stampedBy(time.clock());
    server.expect().get().withPath(PATH).andReply(r).always();
    return r;
  }

  private Responses patch(Integer... codes) {
    Responses r =
        new Responses(List.of(codes), deployment(), "flinkdeployments is forbidden")
            .stampedBy(time.clock());
    server.expect().patch().withPath(PATH).andReply(r).always();
    return r;
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {500, 502, 503})
  void serverErrorsAreUnavailableAfterBackedOffRetriesAndHealingRestoresTheObservation(int code) {
    Responses gets = get(code);

    PlatformException e = fails(Kind.UNAVAILABLE, () -> platform.observe(P));
    assertEquals(code, e.httpStatus());
    assertTrue(
        e.getMessage()
            .startsWith(
                "get flinkdeployments flink/"
                    + P
                    + " failed: HTTP "
                    + code
                    + " API server unavailable"),
        e.getMessage());
    assertClear(e);
    assertEquals(settings.retry().maxAttempts(), gets.calls());
    assertEquals(List.of(Duration.ofMillis(900), Duration.ofMillis(1800)), time.waits());

    gets.answer(200);
    assertEquals(Snapshots.defaultConfig(), platform.observe(P).config());
  }

  @Test
  void forbiddenIsReportedAtOnceWithTheRbacHintAndNothingIsPatched() {
    get(200);
    Responses patches = patch(403);

    PlatformException e = fails(Kind.FORBIDDEN, () -> platform.apply(P, CHANGED));
    assertEquals(403, e.httpStatus());
    assertTrue(e.getMessage().contains("patch flinkdeployments flink/" + P), e.getMessage());
    assertTrue(e.getMessage().contains("RBAC"), e.getMessage());
    assertClear(e);
    assertEquals(1, patches.calls(), "a 403 is not retried");
    assertTrue(time.waits().isEmpty());

    patches.answer(200);
    assertEquals(Outcome.APPLIED, platform.apply(P, CHANGED).outcome());
  }

  @Test
  void anAnswerDelayedPastTheRequestTimeoutIsATimeout() {
    server
        .expect()
        .get()
        .delay(5, TimeUnit.SECONDS)
        .withPath(PATH)
        .andReturn(200, deployment())
        .times(settings.retry().maxAttempts());
    server.expect().get().withPath(PATH).andReturn(200, deployment()).always();
    try (KubernetesClient impatient = client(300)) {
      KubernetesPlatform p = platform(impatient);

      PlatformException e = fails(Kind.TIMEOUT, () -> p.observe(P));
      assertTrue(
          e.getMessage().startsWith("get flinkdeployments flink/" + P + " failed: timed out"),
          e.getMessage());
      assertClear(e);
      assertEquals(settings.retry().maxAttempts() - 1, time.waits().size(), "retried");
    }
    assertEquals(Snapshots.defaultConfig(), platform.observe(P).config(), "answered in time");
  }

  /**
   * An API server (here a JDK HttpServer stub) that sends the headers and the start of the body,
   * then nothing: the request timeout covers the body too, so the call times out instead of holding
   * the caller for as long as the server stalls.
   */
  @Test
  void anAnswerStalledInTheMiddleOfTheBodyIsATimeout() throws IOException {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger requests = new AtomicInteger();
    ExecutorService threads = Executors.newCachedThreadPool();
    HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    stub.setExecutor(threads);
    stub.createContext(
        "/",
        ex -> {
          requests.incrementAndGet();
          byte[] start =
              "{\"apiVersion\":\"flink.apache.org/v1beta1\",\"kind\":\"FlinkDeployment\",\"metadata\":{"
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(200, start.length * 4L);
          ex.getResponseBody().write(start);
          ex.getResponseBody().flush();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ex.close();
        });
    stub.start();
    try (KubernetesClient stalled =
        KubernetesPlatform.clientBuilder(
                new ConfigBuilder(Config.empty())
                    .withMasterUrl("http://127.0.0.1:" + stub.getAddress().getPort())
                    .withOauthToken(TOKEN)
                    .withConnectionTimeout(1_000)
                    .withRequestTimeout(300)
                    .build())
            .build()) {
      PlatformException e = fails(Kind.TIMEOUT, () -> platform(stalled).observe(P));
      assertTrue(
          e.getMessage().startsWith("get flinkdeployments flink/" + P + " failed: timed out"),
          e.getMessage());
      assertClear(e);
      assertEquals(settings.retry().maxAttempts(), requests.get());
    } finally {
      release.countDown();
      stub.stop(0);
      threads.shutdownNow();
    }
  }

  /**
   * Five simulated minutes of an API server answering 503: the collector observes every 10 s and
   * the actuator retries its change 5 s later. Without a bound that is 12 calls and 36 requests a
   * minute; the retries stay within {@code max-retries-per-minute} (12) in every sliding minute.
   */
  @Test
  void aSustainedOutageIsNoRetryStorm() {
    Responses gets = get(503);
    RetryStorm storm =
        RetryStorm.run(
            "Kubernetes API, 5 simulated minutes of HTTP 503",
            time,
            apiRetrier,
            settings.retry(),
            Duration.ofMinutes(5),
            Duration.ofSeconds(10),
            List.of(
                () -> fails(Kind.UNAVAILABLE, () -> platform.observe(P)),
                () -> fails(Kind.UNAVAILABLE, () -> platform.apply(P, CHANGED))),
            0,
            first -> gets.stamps().subList(first, gets.stamps().size()));
    System.out.println(storm);
    storm.assertBounded(settings.retry());

    gets.answer(200);
    patch(200);
    assertEquals(Outcome.APPLIED, platform.apply(P, CHANGED).outcome());
  }

  // ------------------------------------------------------------------------------ helpers

  private static PlatformException fails(Kind kind, Executable call) {
    PlatformException e = assertThrows(PlatformException.class, call);
    assertEquals(kind, e.kind(), e.getMessage());
    return e;
  }

  /** One line naming the operation, no stack trace, no credentials. */
  private static void assertClear(PlatformException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertFalse(String.valueOf(t.getMessage()).contains(TOKEN), "token in " + t);
    }
    String m = e.getMessage();
    assertFalse(m.contains("\n"), m);
    assertFalse(m.contains("\tat "), m);
    assertTrue(m.length() <= 400, m);
  }
}
