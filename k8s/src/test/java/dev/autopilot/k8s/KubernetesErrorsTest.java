package dev.autopilot.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.Action;
import dev.autopilot.api.ActuationResult.Outcome;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.PlatformException.Kind;
import dev.autopilot.api.retry.Retrier;
import dev.autopilot.api.retry.RetryPolicy;
import dev.autopilot.api.testing.Snapshots;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP failures of the API server mapped to typed, named failures, and the retries they get: the
 * mock server in expectations mode answers the FlinkDeployment's GET and PATCH with chosen status
 * sequences.
 */
@EnableKubernetesMockClient
class KubernetesErrorsTest {
  private static final String PATH =
      "/apis/flink.apache.org/v1beta1/namespaces/flink/flinkdeployments/orders";
  private static final PipelineConfig CHANGED =
      Snapshots.defaultConfig().withCheckpointIntervalSeconds(60);

  KubernetesMockServer server;
  KubernetesClient client;
  private KubernetesClient recording;
  private final List<RbacAudit.Request> log = new ArrayList<>();
  private final List<Duration> waits = new ArrayList<>();
  private KubernetesPlatform platform;

  @BeforeEach
  void platform() {
    recording = RbacAudit.recordingClient(client, log);
    platform = withRetry(Fixtures.settings().retry());
  }

  private KubernetesPlatform withRetry(RetryPolicy policy) {
    return withRetrier(Fixtures.retrier(policy, waits));
  }

  private KubernetesPlatform withRetrier(Retrier retrier) {
    return new KubernetesPlatform(
        recording,
        Fixtures.settings(),
        new Fixtures.FakeTelemetry(),
        retrier,
        Fixtures.retrier(Fixtures.settings().eviction(), new ArrayList<>()));
  }

  @AfterEach
  void everyRequestIsAllowedByTheRbacRequirements() {
    RbacAudit.assertCovered(RbacAudit.take(log));
    recording.close();
  }

  private static FlinkDeployment deployment() {
    FlinkDeployment fd = Fixtures.deployment("orders");
    fd.getMetadata().setResourceVersion("7");
    return fd;
  }

  private Responses get(Integer... codes) {
    Responses r = new Responses(List.of(codes), deployment(), "get failed");
    server.expect().get().withPath(PATH).andReply(r).always();
    return r;
  }

  private Responses patch(Integer... codes) {
    Responses r = new Responses(List.of(codes), deployment(), "patch failed");
    server.expect().patch().withPath(PATH).andReply(r).always();
    return r;
  }

  private static PlatformException fails(
      Kind kind, int status, org.junit.jupiter.api.function.Executable call) {
    PlatformException e = assertThrows(PlatformException.class, call);
    assertEquals(kind, e.kind(), e.getMessage());
    assertEquals(status, e.httpStatus(), e.getMessage());
    return e;
  }

  @Test
  void forbiddenIsNotRetriedAndNamesTheResource() {
    Responses gets = get(403);
    PlatformException e = fails(Kind.FORBIDDEN, 403, () -> platform.observe("orders"));
    assertTrue(e.getMessage().contains("get flinkdeployments flink/orders"), e.getMessage());
    assertTrue(e.getMessage().contains("RBAC"), e.getMessage());
    assertEquals(1, gets.calls());
  }

  @Test
  void aMissingDeploymentIsAnUnknownPipeline() {
    get(404);
    PlatformException e = fails(Kind.UNKNOWN_PIPELINE, 0, () -> platform.observe("orders"));
    assertTrue(e.getMessage().contains("flink/orders"), e.getMessage());
  }

  @Test
  void aConflictIsRetriedAfterReReadingThenReported() {
    Responses gets = get(200);
    Responses patches = patch(409);
    PlatformException e = fails(Kind.CONFLICT, 409, () -> platform.apply("orders", CHANGED));
    assertEquals(3, patches.calls(), "max-attempts");
    assertEquals(3, gets.calls(), "re-read before every attempt");
    assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200)), waits);
    assertTrue(e.getMessage().contains("flinkdeployments flink/orders"), e.getMessage());
  }

  @Test
  void aConflictThatClearsIsApplied() {
    get(200);
    Responses patches = patch(409, 200);
    assertEquals(Outcome.APPLIED, platform.apply("orders", CHANGED).outcome());
    assertEquals(2, patches.calls());
  }

  @Test
  void unprocessableIsRejectedAtOnce() {
    get(200);
    Responses patches = patch(422);
    fails(
        Kind.REJECTED,
        422,
        () -> platform.recover("orders", "a-1", new Action.RestartTask("parse")));
    assertEquals(1, patches.calls());
  }

  @Test
  void serverErrorsAreRetriedWithBackoffThenUnavailable() {
    Responses gets = get(500);
    fails(Kind.UNAVAILABLE, 500, () -> platform.observe("orders"));
    assertEquals(3, gets.calls());
    assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200)), waits);
  }

  @Test
  void aServerErrorThatClearsIsRetriedToSuccess() {
    Responses gets = get(503, 429, 200);
    assertEquals(CHANGED.withCheckpointIntervalSeconds(30), platform.observe("orders").config());
    assertEquals(3, gets.calls());
  }

  @Test
  void aGatewayTimeoutIsATimeout() {
    get(504);
    fails(Kind.TIMEOUT, 504, () -> platform.observe("orders"));
  }

  @Test
  void retriesAreBoundedPerMinuteAcrossCalls() {
    Retrier retrier =
        Fixtures.retrier(
            new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.0, 2), waits);
    KubernetesPlatform bounded = withRetrier(retrier);
    Responses gets = get(500);
    PlatformException first = fails(Kind.UNAVAILABLE, 500, () -> bounded.observe("orders"));
    assertEquals(3, gets.calls(), first.getMessage());
    fails(Kind.UNAVAILABLE, 500, () -> bounded.observe("orders"));
    assertEquals(4, gets.calls(), "budget spent: the second call is not retried");
    assertEquals(2, retrier.retries());
    assertEquals(1, retrier.refused());
  }

  @Test
  void anUnparseableAnswerIsMalformed() {
    server.expect().get().withPath(PATH).andReturn(200, "{\"spec\": [not json").always();
    fails(Kind.MALFORMED_RESPONSE, 0, () -> platform.observe("orders"));
  }
}
