package dev.autopilot.k8s;

import dev.autopilot.api.PlatformException;
import dev.autopilot.api.PlatformException.Kind;
import dev.autopilot.api.retry.Retrier;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cordons a node ({@code spec.unschedulable}) and evicts the managed pipelines' pods on it through
 * the Eviction API (policy/v1), which honours PodDisruptionBudgets.
 *
 * <p>Only pods of the managed FlinkDeployments (label {@code app=<name>} in the runtime's
 * namespace) are evicted: other tenants' pods are not the autopilot's to move, and leaving them
 * needs no cluster-wide pod permissions. A 429 from an eviction means a PodDisruptionBudget blocks
 * it for now: it is retried with the eviction backoff, bounded per pod and per minute; when the
 * bound is spent the drain fails with {@link Kind#UNAVAILABLE} (HTTP 429) naming the pod, and the
 * node stays cordoned so a later retry can finish. A pod that is already gone counts as evicted.
 * The drain does not wait for the evicted pods to terminate; the settle ticks cover that.
 */
final class NodeDrainer {
  private final KubernetesClient client;
  private final KubeCalls calls;
  private final Retrier evictionRetrier;
  private final String namespace;

  /** What a drain did. */
  record Outcome(boolean cordoned, List<String> evicted, int blockedAttempts) {}

  NodeDrainer(KubernetesClient client, KubeCalls calls, Retrier evictionRetrier, String namespace) {
    this.client = client;
    this.calls = calls;
    this.evictionRetrier = evictionRetrier;
    this.namespace = namespace;
  }

  /** Marks the node unschedulable unless it already is; true when it patched. */
  boolean cordon(String nodeName) {
    Node node = calls.call("get nodes " + nodeName, () -> client.nodes().withName(nodeName).get());
    if (node == null) {
      throw new PlatformException(Kind.NOT_FOUND, 404, "node " + nodeName + " not found", null);
    }
    if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
      return false;
    }
    calls.call(
        "patch nodes " + nodeName + " (cordon)",
        () ->
            client
                .nodes()
                .resource(node)
                .patch(
                    PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"unschedulable\":true}}"));
    return true;
  }

  /** Cordons the node and evicts the pods of the given FlinkDeployments that run on it. */
  Outcome drain(String nodeName, Collection<String> deployments) {
    boolean cordoned = cordon(nodeName);
    List<Pod> victims = new ArrayList<>();
    for (String name : deployments) {
      List<Pod> pods =
          calls.call(
              "list pods " + namespace + "/app=" + name,
              () ->
                  client
                      .pods()
                      .inNamespace(namespace)
                      .withLabels(Map.of("app", name))
                      .list()
                      .getItems());
      for (Pod p : pods) {
        if (p.getSpec() != null
            && nodeName.equals(p.getSpec().getNodeName())
            && p.getMetadata().getDeletionTimestamp() == null) {
          victims.add(p);
        }
      }
    }
    List<String> evicted = new ArrayList<>();
    AtomicInteger blocked = new AtomicInteger();
    for (Pod p : victims) {
      String pod = p.getMetadata().getName();
      evict(nodeName, pod, blocked);
      evicted.add(pod);
    }
    return new Outcome(cordoned, evicted, blocked.get());
  }

  private void evict(String nodeName, String pod, AtomicInteger blocked) {
    String what =
        "create pods/eviction " + namespace + "/" + pod + " (drain of node " + nodeName + ")";
    Eviction eviction =
        new EvictionBuilder()
            .withNewMetadata()
            .withName(pod)
            .withNamespace(namespace)
            .endMetadata()
            .build();
    AtomicInteger attempts = new AtomicInteger();
    try {
      evictionRetrier.call(
          what,
          e -> e.httpStatus() == 429 || e.retryable(),
          () -> {
            attempts.incrementAndGet();
            boolean accepted =
                calls.once(
                    what, () -> client.pods().inNamespace(namespace).withName(pod).evict(eviction));
            if (!accepted) {
              blocked.incrementAndGet();
              throw new PlatformException(
                  Kind.UNAVAILABLE,
                  429,
                  what
                      + ": refused (HTTP 429), a PodDisruptionBudget does not allow the disruption"
                      + " now",
                  null);
            }
            return null;
          });
    } catch (PlatformException e) {
      if (e.kind() == Kind.NOT_FOUND) {
        return; // already gone
      }
      if (e.httpStatus() == 429) {
        throw new PlatformException(
            Kind.UNAVAILABLE,
            429,
            "drain of node "
                + nodeName
                + ": eviction of pod "
                + namespace
                + "/"
                + pod
                + " still blocked by a PodDisruptionBudget after "
                + attempts.get()
                + " attempts; the node stays cordoned, retry the drain later",
            e);
      }
      throw e;
    }
  }
}
