package dev.autopilot.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.Metric;
import dev.autopilot.api.SnapshotValidator;
import dev.autopilot.api.TaskManagerMetrics;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetricsBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetricsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pod and node state added to the Flink telemetry: values where Kubernetes observes them, absent
 * where it cannot (no pod, no metrics API), never invented.
 */
@EnableKubernetesMockClient(crud = true)
class PodTelemetryTest {
  private static final double GI = 1024.0 * 1024 * 1024;

  /** What a Flink REST source cannot see: container, pod and node figures. */
  private static final List<String> NOT_IN_FLINK =
      List.of(
          "cpu_time_seconds_per_second",
          "container_memory_ratio",
          "container_memory_limit_bytes",
          "pod_restarts_total",
          "node_cpu_ratio",
          "node_memory_ratio",
          "node_pressure");

  KubernetesClient client;
  private KubernetesClient recording;
  private final List<RbacAudit.Request> log = new ArrayList<>();
  private KubernetesPlatform platform;

  @BeforeEach
  void cluster() {
    client = Fixtures.patient(client);
    recording = RbacAudit.recordingClient(client, log);
    Fixtures.create(client, Fixtures.deployment("orders"));
    Fixtures.reconcile(client, "orders");
    FlinkTelemetry flinkRest =
        target -> {
          TelemetrySnapshot s =
              Snapshots.builder(target.pipelineId(), 1).config(target.config()).build();
          List<TaskManagerMetrics> tms = new ArrayList<>();
          for (TaskManagerMetrics tm : s.taskManagers()) {
            double[] v = tm.values().clone();
            NOT_IN_FLINK.forEach(n -> v[Metric.byName(n).orElseThrow().ordinal()] = 0);
            tms.add(new TaskManagerMetrics(tm.taskManagerId(), tm.nodeId(), v, NOT_IN_FLINK));
          }
          return new TelemetrySnapshot(
              s.pipelineId(),
              s.tick(),
              s.eventTimeMillis(),
              tms,
              s.operators(),
              s.checkpoints(),
              s.job(),
              s.config());
        };
    platform =
        new KubernetesPlatform(
            recording,
            Fixtures.settings(),
            flinkRest,
            Fixtures.retrier(Fixtures.settings().retry(), new ArrayList<>()),
            Fixtures.retrier(Fixtures.settings().eviction(), new ArrayList<>()));
    pod("tm-0", 2);
    pod("tm-1", 0);
    client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName("node-a")
                .endMetadata()
                .withNewSpec()
                .endSpec()
                .withNewStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .addNewCondition()
                .withType("MemoryPressure")
                .withStatus("False")
                .endCondition()
                .withAllocatable(Map.of("cpu", new Quantity("32"), "memory", new Quantity("128Gi")))
                .endStatus()
                .build())
        .create();
  }

  @AfterEach
  void everyRequestIsAllowedByTheRbacRequirements() {
    RbacAudit.assertCovered(RbacAudit.take(log));
    recording.close();
    client.close();
  }

  private void pod(String name, int restarts) {
    client
        .pods()
        .inNamespace(Fixtures.NS)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(Map.of("app", "orders", "component", "taskmanager"))
                .endMetadata()
                .withNewSpec()
                .withNodeName("node-a")
                .addNewContainer()
                .withName("flink-main-container")
                .withNewResources()
                .withLimits(Map.of("cpu", new Quantity("4"), "memory", new Quantity("16Gi")))
                .endResources()
                .endContainer()
                .endSpec()
                .withNewStatus()
                .addNewContainerStatus()
                .withName("flink-main-container")
                .withRestartCount(restarts)
                .endContainerStatus()
                .endStatus()
                .build())
        .create();
  }

  private void metricsApi() {
    client
        .resource(
            new NodeMetricsBuilder()
                .withNewMetadata()
                .withName("node-a")
                .endMetadata()
                .withUsage(Map.of("cpu", new Quantity("16"), "memory", new Quantity("64Gi")))
                .build())
        .create();
    client
        .resource(
            new PodMetricsBuilder()
                .withNewMetadata()
                .withName("tm-0")
                .withNamespace(Fixtures.NS)
                .withLabels(Map.of("app", "orders", "component", "taskmanager"))
                .endMetadata()
                .addNewContainer()
                .withName("flink-main-container")
                .withUsage(Map.of("cpu", new Quantity("2"), "memory", new Quantity("8Gi")))
                .endContainer()
                .build())
        .create();
  }

  private static TaskManagerMetrics tm(TelemetrySnapshot s, String id) {
    return s.taskManagers().stream()
        .filter(t -> t.taskManagerId().equals(id))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void podNodeAndMetricsApiFiguresAreAdded() {
    metricsApi();
    TelemetrySnapshot s = platform.observe("orders");
    assertEquals(
        Optional.empty(), SnapshotValidator.validate(s, platform.pipelines(), Long.MIN_VALUE));

    TaskManagerMetrics tm0 = tm(s, "tm-0");
    assertEquals("node-a", tm0.nodeId(), "the pod's node, not the Flink guess");
    assertEquals(4.0, tm0.get(Metric.CPU_CORES));
    assertEquals(16 * GI, tm0.get(Metric.CONTAINER_MEMORY_LIMIT));
    assertEquals(0.5, tm0.get(Metric.CONTAINER_MEMORY_RATIO), 1e-9);
    assertEquals(2.0, tm0.get(Metric.CPU_TIME));
    assertEquals(2.0, tm0.get(Metric.POD_RESTARTS_TOTAL));
    assertEquals(1.0, tm0.get(Metric.NODE_READY));
    assertEquals(0.0, tm0.get(Metric.NODE_PRESSURE));
    assertEquals(0.5, tm0.get(Metric.NODE_CPU_RATIO), 1e-9);
    assertEquals(0.5, tm0.get(Metric.NODE_MEMORY_RATIO), 1e-9);
    assertTrue(tm0.absent().isEmpty(), () -> "" + tm0.absent());

    TaskManagerMetrics tm1 = tm(s, "tm-1");
    assertTrue(tm1.isAbsent(Metric.CPU_TIME), "no pod metrics for tm-1");
    assertTrue(tm1.isAbsent(Metric.CONTAINER_MEMORY_RATIO));
    assertFalse(tm1.isAbsent(Metric.NODE_CPU_RATIO));
    assertEquals(0.0, tm1.get(Metric.POD_RESTARTS_TOTAL));
    assertFalse(tm1.isAbsent(Metric.POD_RESTARTS_TOTAL));

    TaskManagerMetrics tm2 = tm(s, "tm-2");
    assertEquals("node-2", tm2.nodeId(), "no pod: Flink's node id stays");
    assertEquals(4.0, tm2.get(Metric.CPU_CORES), "Flink's own figure is kept");
    for (Metric m :
        List.of(
            Metric.NODE_READY, Metric.NODE_CPU_RATIO, Metric.POD_RESTARTS_TOTAL, Metric.CPU_TIME)) {
      assertTrue(tm2.isAbsent(m), m + " must be absent without a pod");
      assertEquals(0.0, tm2.get(m));
    }
  }

  @Test
  void withoutTheMetricsApiUsageIsAbsentButPodAndNodeStateRemain() {
    TelemetrySnapshot s = platform.observe("orders");
    assertEquals(
        Optional.empty(), SnapshotValidator.validate(s, platform.pipelines(), Long.MIN_VALUE));
    TaskManagerMetrics tm0 = tm(s, "tm-0");
    for (Metric m :
        List.of(
            Metric.CPU_TIME,
            Metric.CONTAINER_MEMORY_RATIO,
            Metric.NODE_CPU_RATIO,
            Metric.NODE_MEMORY_RATIO)) {
      assertTrue(tm0.isAbsent(m), m + " needs metrics.k8s.io");
    }
    assertEquals(1.0, tm0.get(Metric.NODE_READY));
    assertEquals(16 * GI, tm0.get(Metric.CONTAINER_MEMORY_LIMIT));
    assertEquals(2.0, tm0.get(Metric.POD_RESTARTS_TOTAL));
  }
}
