package dev.autopilot.k8s;

import dev.autopilot.api.Metric;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.TaskManagerMetrics;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.ContainerMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Kubernetes knows of a pipeline's TaskManagers, added to the Flink telemetry: the hosting
 * node, the pod's allocation and restarts, the node's readiness and pressure, and, where the
 * metrics API (metrics.k8s.io) is served, container and node usage.
 *
 * <p>A metric this source cannot observe (metrics API absent or forbidden, no matching pod, no
 * limit set) keeps the Flink telemetry's value when that one observed it, and is otherwise marked
 * absent: nothing is invented. TaskManagers are matched to pods by name (Flink's native Kubernetes
 * integration uses the pod name as the TaskManager id).
 */
final class PodTelemetry {
  private static final Logger LOG = LoggerFactory.getLogger(PodTelemetry.class);

  /** The metrics this source owns. */
  static final List<Metric> OWNED =
      List.of(
          Metric.CPU_CORES,
          Metric.CPU_TIME,
          Metric.CONTAINER_MEMORY_LIMIT,
          Metric.CONTAINER_MEMORY_RATIO,
          Metric.POD_RESTARTS_TOTAL,
          Metric.NODE_READY,
          Metric.NODE_PRESSURE,
          Metric.NODE_CPU_RATIO,
          Metric.NODE_MEMORY_RATIO);

  private static final Set<String> PRESSURE =
      Set.of("MemoryPressure", "DiskPressure", "PIDPressure");

  private final KubernetesClient client;
  private final KubeCalls calls;
  private final KubernetesSettings settings;

  PodTelemetry(KubernetesClient client, KubeCalls calls, KubernetesSettings settings) {
    this.client = client;
    this.calls = calls;
    this.settings = settings;
  }

  /** The TaskManager pods of one FlinkDeployment (labels app=<name>, component=taskmanager). */
  List<Pod> taskManagerPods(String name) {
    String ns = settings.namespace();
    return calls.call(
        "list pods " + ns + "/app=" + name + ",component=taskmanager",
        () ->
            client
                .pods()
                .inNamespace(ns)
                .withLabels(Map.of("app", name, "component", "taskmanager"))
                .list()
                .getItems());
  }

  /** The Flink telemetry's TaskManagers with pod and node state added. */
  List<TaskManagerMetrics> enrich(String name, List<TaskManagerMetrics> taskManagers) {
    if (taskManagers.isEmpty()) {
      return taskManagers;
    }
    Map<String, Pod> pods = new HashMap<>();
    Map<String, PodMetrics> podMetrics = new HashMap<>();
    Map<String, Node> nodes = new HashMap<>();
    Map<String, NodeMetrics> nodeMetrics = new HashMap<>();
    optional("TaskManager pods of " + name, () -> taskManagerPods(name))
        .ifPresent(list -> list.forEach(p -> pods.put(p.getMetadata().getName(), p)));
    if (!pods.isEmpty()) {
      String ns = settings.namespace();
      optional(
              "pod metrics of " + name,
              () ->
                  calls.call(
                      "list metrics.k8s.io pods " + ns + "/app=" + name,
                      () ->
                          client
                              .top()
                              .pods()
                              .inNamespace(ns)
                              .withLabels(Map.of("app", name, "component", "taskmanager"))
                              .metrics()
                              .getItems()))
          .ifPresent(list -> list.forEach(m -> podMetrics.put(m.getMetadata().getName(), m)));
      Set<String> nodeNames = new LinkedHashSet<>();
      pods.values()
          .forEach(p -> Optional.ofNullable(p.getSpec().getNodeName()).ifPresent(nodeNames::add));
      for (String node : nodeNames) {
        optional(
                "node " + node,
                () -> calls.call("get nodes " + node, () -> client.nodes().withName(node).get()))
            .ifPresent(n -> nodes.put(node, n));
        optional(
                "node metrics of " + node,
                () ->
                    calls.call(
                        "get metrics.k8s.io nodes " + node,
                        () -> client.top().nodes().metrics(node)))
            .ifPresent(m -> nodeMetrics.put(node, m));
      }
    }
    List<TaskManagerMetrics> out = new ArrayList<>(taskManagers.size());
    for (TaskManagerMetrics tm : taskManagers) {
      Pod pod = pods.get(tm.taskManagerId());
      Map<Metric, Double> seen = new HashMap<>();
      String nodeId = tm.nodeId();
      if (pod != null) {
        if (pod.getSpec().getNodeName() != null) {
          nodeId = pod.getSpec().getNodeName();
        }
        observePod(pod, podMetrics.get(tm.taskManagerId()), seen);
        Node node = nodes.get(nodeId);
        if (node != null) {
          observeNode(node, nodeMetrics.get(nodeId), seen);
        }
      }
      out.add(merge(tm, nodeId, seen));
    }
    return out;
  }

  private void observePod(Pod pod, PodMetrics metrics, Map<Metric, Double> seen) {
    Container main =
        pod.getSpec().getContainers().stream()
            .filter(c -> settings.taskManagerContainer().equals(c.getName()))
            .findFirst()
            .orElse(null);
    Double memoryLimit = null;
    if (main != null && main.getResources() != null) {
      Quantity cpu = limitOrRequest(main, "cpu");
      if (cpu != null) {
        seen.put(Metric.CPU_CORES, cpu.getNumericalAmount().doubleValue());
      }
      Quantity mem = limitOrRequest(main, "memory");
      if (mem != null) {
        memoryLimit = Quantity.getAmountInBytes(mem).doubleValue();
        seen.put(Metric.CONTAINER_MEMORY_LIMIT, memoryLimit);
      }
    }
    if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
      double restarts = 0;
      for (ContainerStatus cs : pod.getStatus().getContainerStatuses()) {
        restarts += cs.getRestartCount() == null ? 0 : cs.getRestartCount();
      }
      seen.put(Metric.POD_RESTARTS_TOTAL, restarts);
    }
    if (metrics != null && metrics.getContainers() != null) {
      for (ContainerMetrics cm : metrics.getContainers()) {
        if (!settings.taskManagerContainer().equals(cm.getName()) || cm.getUsage() == null) {
          continue;
        }
        Quantity cpu = cm.getUsage().get("cpu");
        if (cpu != null) {
          seen.put(Metric.CPU_TIME, cpu.getNumericalAmount().doubleValue());
        }
        Quantity mem = cm.getUsage().get("memory");
        if (mem != null && memoryLimit != null && memoryLimit > 0) {
          seen.put(
              Metric.CONTAINER_MEMORY_RATIO,
              Quantity.getAmountInBytes(mem).doubleValue() / memoryLimit);
        }
      }
    }
  }

  private static Quantity limitOrRequest(Container c, String resource) {
    Map<String, Quantity> limits = c.getResources().getLimits();
    if (limits != null && limits.get(resource) != null) {
      return limits.get(resource);
    }
    Map<String, Quantity> requests = c.getResources().getRequests();
    return requests == null ? null : requests.get(resource);
  }

  private static void observeNode(Node node, NodeMetrics metrics, Map<Metric, Double> seen) {
    if (node.getStatus() != null && node.getStatus().getConditions() != null) {
      boolean ready = false;
      boolean pressure = false;
      for (NodeCondition c : node.getStatus().getConditions()) {
        boolean on = "True".equals(c.getStatus());
        if ("Ready".equals(c.getType())) {
          ready = on;
        } else if (PRESSURE.contains(c.getType())) {
          pressure |= on;
        }
      }
      seen.put(Metric.NODE_READY, ready ? 1.0 : 0.0);
      seen.put(Metric.NODE_PRESSURE, pressure ? 1.0 : 0.0);
    }
    if (metrics == null || metrics.getUsage() == null || node.getStatus() == null) {
      return;
    }
    Map<String, Quantity> allocatable = node.getStatus().getAllocatable();
    if (allocatable == null) {
      return;
    }
    ratio(metrics.getUsage().get("cpu"), allocatable.get("cpu"))
        .ifPresent(r -> seen.put(Metric.NODE_CPU_RATIO, r));
    ratio(metrics.getUsage().get("memory"), allocatable.get("memory"))
        .ifPresent(r -> seen.put(Metric.NODE_MEMORY_RATIO, r));
  }

  private static Optional<Double> ratio(Quantity used, Quantity capacity) {
    if (used == null || capacity == null) {
      return Optional.empty();
    }
    double cap = capacity.getNumericalAmount().doubleValue();
    return cap > 0 ? Optional.of(used.getNumericalAmount().doubleValue() / cap) : Optional.empty();
  }

  private static TaskManagerMetrics merge(
      TaskManagerMetrics tm, String nodeId, Map<Metric, Double> seen) {
    double[] values = tm.values().clone();
    List<String> absent = new ArrayList<>(tm.absent());
    for (Metric m : OWNED) {
      Double v = seen.get(m);
      if (v != null && Double.isFinite(v) && v >= 0) {
        values[m.ordinal()] = v;
        absent.remove(m.metricName());
      } else if (tm.isAbsent(m) || !observedByFlink(tm, m)) {
        values[m.ordinal()] = 0;
        if (!absent.contains(m.metricName())) {
          absent.add(m.metricName());
        }
      }
    }
    return new TaskManagerMetrics(tm.taskManagerId(), nodeId, values, absent);
  }

  /**
   * Whether the Flink telemetry observed a metric Kubernetes owns: node-level figures never come
   * from Flink's REST API, so a value there that Kubernetes could not confirm is not kept.
   */
  private static boolean observedByFlink(TaskManagerMetrics tm, Metric m) {
    return !tm.isAbsent(m) && m.subsystem() != Metric.Subsystem.NODE;
  }

  private <T> Optional<T> optional(String what, java.util.function.Supplier<T> call) {
    try {
      return Optional.ofNullable(call.get());
    } catch (PlatformException e) {
      if (e.kind() == PlatformException.Kind.FORBIDDEN) {
        // a missing RBAC rule should be visible, not just a hole in the metrics
        LOG.warn("{} not observed ({}): marked absent", what, e.getMessage());
      } else {
        LOG.debug("{} not observed ({}): marked absent", what, e.getMessage());
      }
      return Optional.empty();
    }
  }
}
