package dev.autopilot.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autopilot.api.Action;
import dev.autopilot.api.ActuationResult;
import dev.autopilot.api.ActuationResult.Outcome;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.PlatformException.Kind;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cordon and drain through the Eviction API against the mock API server (CRUD mode, with the
 * eviction endpoints answering as a PodDisruptionBudget would): only managed pipelines' pods on the
 * node are evicted, a 429 is waited out with bounded backoff, and a drain that stays blocked fails
 * naming the pod, leaves the node cordoned and can be retried under the same action id.
 */
@EnableKubernetesMockClient(crud = true)
class NodeDrainTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  KubernetesMockServer server;
  KubernetesClient client;
  private KubernetesClient recording;
  private final List<RbacAudit.Request> log = new ArrayList<>();
  private final List<RbacAudit.Request> sent = new ArrayList<>();
  private final List<Duration> evictionWaits = new ArrayList<>();
  private KubernetesPlatform platform;

  @BeforeEach
  void cluster() {
    client = Fixtures.patient(client);
    recording = RbacAudit.recordingClient(client, log);
    for (String p : List.of("orders", "payments")) {
      Fixtures.create(client, Fixtures.deployment(p));
      Fixtures.reconcile(client, p);
    }
    for (String n : List.of("node-a", "node-b")) {
      client
          .nodes()
          .resource(
              new NodeBuilder()
                  .withNewMetadata()
                  .withName(n)
                  .endMetadata()
                  .withNewSpec()
                  .endSpec()
                  .build())
          .create();
    }
    pod("orders-taskmanager-1-1", "orders", "node-a");
    pod("orders-taskmanager-1-2", "orders", "node-b");
    pod("payments-taskmanager-1-1", "payments", "node-a");
    pod("unrelated-1", "unrelated", "node-a");
    platform =
        new KubernetesPlatform(
            recording,
            Fixtures.settings(),
            new Fixtures.FakeTelemetry(),
            Fixtures.retrier(Fixtures.settings().retry(), new ArrayList<>()),
            Fixtures.retrier(Fixtures.settings().eviction(), evictionWaits));
  }

  @AfterEach
  void everyRequestIsAllowedByTheRbacRequirements() {
    sent.addAll(RbacAudit.take(log));
    RbacAudit.assertCovered(sent);
    recording.close();
    client.close();
  }

  private void pod(String name, String app, String node) {
    client
        .pods()
        .inNamespace(Fixtures.NS)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(Map.of("app", app, "component", "taskmanager"))
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .addNewContainer()
                .withName("flink-main-container")
                .endContainer()
                .endSpec()
                .build())
        .create();
  }

  private Responses evictions(String pod, Responses answers) {
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/flink/pods/" + pod + "/eviction")
        .andReply(answers)
        .always();
    return answers;
  }

  private List<RbacAudit.Request> evictionRequests() {
    List<RbacAudit.Request> r = RbacAudit.take(log);
    sent.addAll(r);
    return r.stream().filter(q -> q.path().endsWith("/eviction")).toList();
  }

  private boolean cordoned(String node) {
    return Boolean.TRUE.equals(client.nodes().withName(node).get().getSpec().getUnschedulable());
  }

  @Test
  void aDrainWaitsOutAPodDisruptionBudgetThenEvictsTheManagedPods() throws Exception {
    Responses orders = evictions("orders-taskmanager-1-1", Responses.pdb(2));
    Responses payments = evictions("payments-taskmanager-1-1", Responses.pdb(0));

    ActuationResult r = platform.recover("orders", "drain-1", new Action.DrainNode("node-a"));

    assertEquals(Outcome.APPLIED, r.outcome());
    assertEquals(12, r.settleTicks());
    assertTrue(cordoned("node-a"));
    assertFalse(cordoned("node-b"));
    assertEquals(3, orders.calls(), "two refusals, then accepted");
    assertEquals(1, payments.calls());
    assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(10)), evictionWaits);
    assertTrue(r.detail().contains("2 evictions refused"), r.detail());
    List<RbacAudit.Request> posts = evictionRequests();
    assertEquals(4, posts.size(), "nothing else evicted: " + posts);
    JsonNode body = JSON.readTree(posts.get(0).body());
    assertEquals("policy/v1", body.get("apiVersion").asText());
    assertEquals("Eviction", body.get("kind").asText());

    assertEquals(
        Outcome.DUPLICATE,
        platform.recover("orders", "drain-1", new Action.DrainNode("node-a")).outcome());
    assertTrue(evictionRequests().isEmpty());
  }

  @Test
  void aBudgetThatNeverAllowsFailsBoundedAndTheDrainCanBeRetried() {
    Responses blocked = evictions("orders-taskmanager-1-1", Responses.pdbBlocking());
    evictions("payments-taskmanager-1-1", Responses.pdb(0));

    PlatformException e =
        assertThrows(
            PlatformException.class,
            () -> platform.recover("orders", "drain-2", new Action.DrainNode("node-a")));

    assertEquals(Kind.UNAVAILABLE, e.kind());
    assertEquals(429, e.httpStatus());
    assertTrue(e.getMessage().contains("flink/orders-taskmanager-1-1"), e.getMessage());
    assertTrue(e.getMessage().contains("PodDisruptionBudget"), e.getMessage());
    assertEquals(4, blocked.calls(), "eviction max-attempts");
    assertEquals(
        List.of(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20)),
        evictionWaits);
    assertTrue(cordoned("node-a"), "the node stays cordoned");
    assertNull(
        Fixtures.get(client, "orders")
            .getMetadata()
            .getAnnotations()
            .get("autopilot.dev/recovery-actions"),
        "not recorded as executed");

    server.clearExpectations();
    evictions("orders-taskmanager-1-1", Responses.pdb(0));
    evictions("payments-taskmanager-1-1", Responses.pdb(0));
    ActuationResult retry = platform.recover("orders", "drain-2", new Action.DrainNode("node-a"));
    assertEquals(Outcome.APPLIED, retry.outcome());
    assertTrue(retry.detail().contains("already cordoned"), retry.detail());
  }

  @Test
  void redistributeEvictsOnlyThisPipelinesPodsFromTheNode() {
    Responses orders = evictions("orders-taskmanager-1-1", Responses.pdb(0));
    Responses payments = evictions("payments-taskmanager-1-1", Responses.pdb(0));

    assertEquals(
        Outcome.APPLIED,
        platform.recover("orders", "rd-1", new Action.Redistribute("node-a")).outcome());
    assertEquals(1, orders.calls());
    assertEquals(0, payments.calls());
    assertTrue(cordoned("node-a"));

    PlatformException e =
        assertThrows(
            PlatformException.class,
            () -> platform.recover("orders", "rd-2", new Action.Redistribute(null)));
    assertEquals(Kind.REJECTED, e.kind());
  }

  @Test
  void anUnknownNodeIsNotFound() {
    PlatformException e =
        assertThrows(
            PlatformException.class,
            () -> platform.recover("orders", "d-9", new Action.DrainNode("node-z")));
    assertEquals(Kind.NOT_FOUND, e.kind());
    assertTrue(e.getMessage().contains("node-z"), e.getMessage());
  }
}
