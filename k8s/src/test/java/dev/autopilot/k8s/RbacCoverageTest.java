package dev.autopilot.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autopilot.api.Action;
import dev.autopilot.api.testing.Snapshots;
import dev.autopilot.k8s.RbacRequirements.Permission;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetricsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.KubernetesDeploymentMode;
import org.apache.flink.kubernetes.operator.api.status.Savepoint;
import org.junit.jupiter.api.Test;

/**
 * Every role of the platform in one session (observe with pod and node metrics, apply, standalone
 * scale, every recovery action, a drain): each request it sends is covered by {@link
 * RbacRequirements}, and every "platform" permission listed there is used but {@code
 * flinkdeployments watch} (the platform polls; watch is kept for an informer).
 */
@EnableKubernetesMockClient(crud = true)
class RbacCoverageTest {
  KubernetesMockServer server;
  KubernetesClient client;

  @Test
  void thePlatformUsesExactlyThePlatformPermissionsButWatch() {
    List<RbacAudit.Request> log = new ArrayList<>();
    try (KubernetesClient patient = Fixtures.patient(client);
        KubernetesClient recording = RbacAudit.recordingClient(client, log)) {
      KubernetesClient client = patient;
      FlinkDeployment fd = Fixtures.deployment("orders");
      fd.getSpec().setMode(KubernetesDeploymentMode.STANDALONE);
      Fixtures.create(client, fd);
      Fixtures.reconcile(client, "orders");
      FlinkDeployment withHistory = Fixtures.get(client, "orders");
      Savepoint sp = new Savepoint();
      sp.setTimeStamp(1);
      sp.setLocation("s3://sp/1");
      withHistory.getStatus().getJobStatus().getSavepointInfo().setSavepointHistory(List.of(sp));
      client
          .resources(FlinkDeployment.class)
          .inNamespace(Fixtures.NS)
          .resource(withHistory)
          .update();
      client
          .apps()
          .deployments()
          .inNamespace(Fixtures.NS)
          .resource(
              new DeploymentBuilder()
                  .withMetadata(new ObjectMetaBuilder().withName("orders-taskmanager").build())
                  .withNewSpec()
                  .withReplicas(8)
                  .endSpec()
                  .build())
          .create();
      client
          .nodes()
          .resource(
              new NodeBuilder()
                  .withNewMetadata()
                  .withName("node-a")
                  .endMetadata()
                  .withNewSpec()
                  .endSpec()
                  .build())
          .create();
      client
          .resource(
              new NodeMetricsBuilder()
                  .withNewMetadata()
                  .withName("node-a")
                  .endMetadata()
                  .withUsage(Map.of("cpu", new Quantity("1")))
                  .build())
          .create();
      client
          .pods()
          .inNamespace(Fixtures.NS)
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName("tm-0")
                  .withLabels(Map.of("app", "orders", "component", "taskmanager"))
                  .endMetadata()
                  .withNewSpec()
                  .withNodeName("node-a")
                  .endSpec()
                  .build())
          .create();
      server
          .expect()
          .post()
          .withPath("/api/v1/namespaces/flink/pods/tm-0/eviction")
          .andReply(Responses.pdb(0))
          .always();

      KubernetesPlatform platform =
          new KubernetesPlatform(
              recording,
              Fixtures.settings(),
              new Fixtures.FakeTelemetry(),
              Fixtures.retrier(Fixtures.settings().retry(), new ArrayList<>()),
              Fixtures.retrier(Fixtures.settings().eviction(), new ArrayList<>()));
      platform.pipelines();
      platform.observe("orders");
      platform.apply(
          "orders", Snapshots.defaultConfig().withTaskManagers(10).withNetworkBufferMb(64));
      platform.recover("orders", "1", new Action.RestartTask("parse"));
      platform.recover("orders", "2", new Action.ExpandBuffers(64, 96));
      platform.recover("orders", "3", new Action.RedeployOperator("sink", 4));
      platform.recover("orders", "4", new Action.RestoreCheckpoint(0));
      platform.recover("orders", "5", new Action.FullRestart(null));
      platform.recover("orders", "6", new Action.Failover());
      platform.recover("orders", "7", new Action.Reconnect("kafka"));
      platform.recover("orders", "8", new Action.DrainNode("node-a"));
    }

    Set<RbacAudit.Needed> used = RbacAudit.assertCovered(RbacAudit.take(log));
    Set<String> usedNames =
        used.stream().map(RbacCoverageTest::name).collect(Collectors.toCollection(TreeSet::new));
    Set<String> listed =
        RbacRequirements.PERMISSIONS.stream()
            .filter(p -> p.user().equals("platform"))
            .map(RbacCoverageTest::name)
            .collect(Collectors.toCollection(TreeSet::new));
    listed.remove("flink.apache.org/flinkdeployments:watch");
    assertEquals(listed, usedNames);
  }

  private static String name(RbacAudit.Needed n) {
    return n.apiGroup() + "/" + n.resource() + ":" + n.verb();
  }

  private static String name(Permission p) {
    return p.apiGroup() + "/" + p.resource() + ":" + p.verb();
  }
}
