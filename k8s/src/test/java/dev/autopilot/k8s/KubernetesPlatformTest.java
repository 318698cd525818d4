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
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.PlatformException.Kind;
import dev.autopilot.api.testing.Snapshots;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.KubernetesDeploymentMode;
import org.apache.flink.kubernetes.operator.api.spec.UpgradeMode;
import org.apache.flink.kubernetes.operator.api.status.Savepoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Configuration changes and job-level recovery against fabric8's mock API server in CRUD mode: what
 * is read, what is patched (and that nothing is when nothing differs), the merge patches' contents,
 * standalone scaling, and recovery once per action id. Every request the platform sent must be
 * covered by {@link RbacRequirements}.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesPlatformTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String P = "orders";

  KubernetesClient client;
  private KubernetesClient setup;
  private KubernetesClient recording;
  private KubernetesPlatform platform;
  private final List<RbacAudit.Request> log = new ArrayList<>();
  private final List<RbacAudit.Request> sent = new ArrayList<>();

  @BeforeEach
  void createDeployment() throws InterruptedException {
    setup = Fixtures.patient(client);
    recording = RbacAudit.recordingClient(client, log);
    Fixtures.create(setup, Fixtures.deployment(P));
    Fixtures.reconcile(setup, P);
    platform = newPlatform();
  }

  @AfterEach
  void everyRequestIsAllowedByTheRbacRequirements() throws InterruptedException {
    sent.addAll(RbacAudit.take(log));
    assertFalse(sent.isEmpty());
    RbacAudit.assertCovered(sent);
    recording.close();
    setup.close();
  }

  @Test
  void closingAPlatformLeavesAClientItWasGivenOpen() {
    Set<String> before = platform.pipelines();
    platform.close();
    assertEquals(before, newPlatform().pipelines(), "the given client still answers");
  }

  private KubernetesPlatform newPlatform() {
    return new KubernetesPlatform(
        recording,
        Fixtures.settings(),
        new Fixtures.FakeTelemetry(),
        Fixtures.retrier(Fixtures.settings().retry(), new ArrayList<>()),
        Fixtures.retrier(Fixtures.settings().eviction(), new ArrayList<>()));
  }

  /** The requests the platform sent since the last call. */
  private List<RbacAudit.Request> requests() throws InterruptedException {
    List<RbacAudit.Request> r = RbacAudit.take(log);
    sent.addAll(r);
    return r;
  }

  private static List<RbacAudit.Request> patches(List<RbacAudit.Request> requests) {
    return requests.stream().filter(r -> r.method().equals("PATCH")).toList();
  }

  private FlinkDeployment fd() {
    return Fixtures.get(setup, P);
  }

  @Test
  void observesTheLastReconciledSpecAndDiffsAgainstTheDeclaredOne() {
    FlinkDeployment fd = fd();
    fd.getSpec().getFlinkConfiguration().put("execution.checkpointing.interval", "1 min");
    setup.resources(FlinkDeployment.class).inNamespace(Fixtures.NS).resource(fd).update();

    PipelineConfig observed = platform.observe(P).config();
    assertEquals(Snapshots.defaultConfig(), observed, "the operator has not reconciled yet");
    assertEquals(
        Outcome.UNCHANGED,
        platform.apply(P, observed.withCheckpointIntervalSeconds(60)).outcome(),
        "the spec already declares 60 s");
  }

  @Test
  void theCurrentConfigurationSendsNoPatch() throws InterruptedException {
    ActuationResult r = platform.apply(P, Snapshots.defaultConfig());
    assertEquals(Outcome.UNCHANGED, r.outcome());
    List<RbacAudit.Request> requests = requests();
    assertFalse(requests.isEmpty());
    assertTrue(requests.stream().allMatch(q -> q.method().equals("GET")), () -> "" + requests);
  }

  @Test
  void aRescaleWritesOnlyTheVertexOverrideAndJobParallelism() throws Exception {
    String rv = fd().getMetadata().getResourceVersion();
    ActuationResult r =
        platform.apply(P, Snapshots.defaultConfig().withParallelism(Map.of("parse", 24)));
    assertEquals(Outcome.APPLIED, r.outcome());
    assertEquals(9, r.settleTicks());

    List<RbacAudit.Request> patches = patches(requests());
    assertEquals(1, patches.size());
    assertEquals(
        "/apis/flink.apache.org/v1beta1/namespaces/flink/flinkdeployments/orders",
        patches.get(0).path());
    JsonNode body = JSON.readTree(patches.get(0).body());
    assertEquals(rv, body.at("/metadata/resourceVersion").asText(), "optimistic lock");
    assertEquals(List.of("flinkConfiguration", "job"), names(body.get("spec")));
    assertEquals(24, body.at("/spec/job/parallelism").asInt());
    assertEquals(
        List.of("pipeline.jobvertex-parallelism-overrides"),
        names(body.at("/spec/flinkConfiguration")));

    FlinkDeployment after = fd();
    assertEquals(24, after.getSpec().getJob().getParallelism());
    Map<String, String> conf = after.getSpec().getFlinkConfiguration();
    String overrides = conf.get("pipeline.jobvertex-parallelism-overrides");
    assertTrue(overrides.contains(Fixtures.vertexOf("parse") + ":24"), overrides);
    assertTrue(overrides.contains(Fixtures.vertexOf("source") + ":16"), overrides);
    assertEquals("30 s", conf.get("execution.checkpointing.interval"), "merge keeps other keys");
  }

  @Test
  void resourcesNetworkAndCheckpointsGoInOnePatchAndAreObservedOnceReconciled() throws Exception {
    PipelineConfig desired =
        Snapshots.defaultConfig()
            .withResources(6.0, 24.0)
            .withTaskManagers(10)
            .withNetworkBufferMb(64)
            .withCheckpointIntervalSeconds(60);
    assertEquals(Outcome.APPLIED, platform.apply(P, desired).outcome());

    List<RbacAudit.Request> patches = patches(requests());
    assertEquals(1, patches.size());
    JsonNode spec = JSON.readTree(patches.get(0).body()).get("spec");
    assertEquals(List.of("flinkConfiguration", "taskManager"), names(spec));
    assertEquals(10, spec.at("/taskManager/replicas").asInt());
    assertEquals(6.0, spec.at("/taskManager/resource/cpu").asDouble());
    assertEquals("24576m", spec.at("/taskManager/resource/memory").asText());
    assertEquals(
        List.of(
            "execution.checkpointing.interval",
            "taskmanager.memory.network.max",
            "taskmanager.memory.network.min"),
        names(spec.get("flinkConfiguration")));
    assertEquals("60s", spec.at("/flinkConfiguration/execution.checkpointing.interval").asText());
    assertEquals("64m", spec.at("/flinkConfiguration/taskmanager.memory.network.min").asText());

    assertEquals(Snapshots.defaultConfig(), platform.observe(P).config(), "not reconciled yet");
    Fixtures.reconcile(setup, P);
    assertEquals(desired, platform.observe(P).config());
    assertEquals(Outcome.UNCHANGED, platform.apply(P, desired).outcome());
  }

  @Test
  void operatorsChainedInOneVertexCannotDiverge() throws InterruptedException {
    FlinkDeployment fd = fd();
    String v = Fixtures.vertexOf("source");
    fd.getMetadata()
        .getAnnotations()
        .put("autopilot.dev/operator-vertices", "source=" + v + ",parse=" + v);
    fd.getSpec().getFlinkConfiguration().put("pipeline.jobvertex-parallelism-overrides", v + ":16");
    setup.resources(FlinkDeployment.class).inNamespace(Fixtures.NS).resource(fd).update();
    Fixtures.reconcile(setup, P);
    PipelineConfig current = platform.observe(P).config();
    assertEquals(Map.of("source", 16, "parse", 16), current.parallelism());

    PlatformException e =
        assertThrows(
            PlatformException.class,
            () -> platform.apply(P, current.withParallelism(Map.of("parse", 8))));
    assertEquals(Kind.REJECTED, e.kind());
    assertTrue(e.getMessage().contains("chained"), e.getMessage());
    assertTrue(patches(requests()).isEmpty());
    assertEquals(
        Outcome.APPLIED,
        platform.apply(P, current.withParallelism(Map.of("source", 8, "parse", 8))).outcome());
  }

  @Test
  void aPipelineWithoutTheVertexAnnotationIsOneOperatorNamedJob() {
    FlinkDeployment fd = fd();
    fd.getMetadata().getAnnotations().remove("autopilot.dev/operator-vertices");
    setup.resources(FlinkDeployment.class).inNamespace(Fixtures.NS).resource(fd).update();
    PipelineConfig current = platform.observe(P).config();
    assertEquals(Map.of("job", 16), current.parallelism());
    platform.apply(P, current.withParallelism(Map.of("job", 20)));
    assertEquals(20, fd().getSpec().getJob().getParallelism());
  }

  @Test
  void aRestartBumpsTheNonceOncePerActionIdAcrossRuntimeRestarts() throws Exception {
    Action.RecoveryAction restart = new Action.RestartTask("parse");
    ActuationResult first = platform.recover(P, "act-1", restart);
    assertEquals(Outcome.APPLIED, first.outcome());
    assertEquals(6, first.settleTicks());
    assertEquals(1L, fd().getSpec().getRestartNonce());
    assertEquals(
        "[\"act-1\"]", fd().getMetadata().getAnnotations().get("autopilot.dev/recovery-actions"));
    JsonNode body = JSON.readTree(patches(requests()).get(0).body());
    assertEquals(List.of("restartNonce"), names(body.get("spec")));

    assertEquals(Outcome.DUPLICATE, platform.recover(P, "act-1", restart).outcome());
    KubernetesPlatform restarted = newPlatform();
    assertEquals(Outcome.DUPLICATE, restarted.recover(P, "act-1", restart).outcome());
    assertTrue(patches(requests()).isEmpty(), "a duplicate sends nothing");
    assertEquals(1L, fd().getSpec().getRestartNonce());

    assertEquals(
        Outcome.APPLIED, restarted.recover(P, "act-2", new Action.Reconnect("kafka")).outcome());
    assertEquals(2L, fd().getSpec().getRestartNonce());
    for (int i = 3; i <= 6; i++) {
      restarted.recover(P, "act-" + i, restart);
    }
    assertEquals(
        "[\"act-3\",\"act-4\",\"act-5\",\"act-6\"]",
        fd().getMetadata().getAnnotations().get("autopilot.dev/recovery-actions"),
        "remembers the last 4 (remembered-actions)");
  }

  @Test
  void aFullRestartChangesTheConfigurationAndTheNonceInOnePatch() throws Exception {
    PipelineConfig target = Snapshots.defaultConfig().withCheckpointIntervalSeconds(45);
    assertEquals(
        Outcome.APPLIED, platform.recover(P, "fr-1", new Action.FullRestart(target)).outcome());
    List<RbacAudit.Request> patches = patches(requests());
    assertEquals(1, patches.size());
    JsonNode spec = JSON.readTree(patches.get(0).body()).get("spec");
    assertEquals(1, spec.get("restartNonce").asInt());
    assertEquals("45s", spec.at("/flinkConfiguration/execution.checkpointing.interval").asText());
    Fixtures.reconcile(setup, P);
    assertEquals(target, platform.observe(P).config());
  }

  @Test
  void expandBuffersAndRedeployOperatorAreSpecChanges() {
    assertEquals(
        Outcome.APPLIED, platform.recover(P, "b-1", new Action.ExpandBuffers(32, 48)).outcome());
    assertEquals(
        "48m", fd().getSpec().getFlinkConfiguration().get("taskmanager.memory.network.max"));
    assertEquals(
        Outcome.APPLIED,
        platform.recover(P, "r-1", new Action.RedeployOperator("sink", 4)).outcome());
    Fixtures.reconcile(setup, P);
    PipelineConfig c = platform.observe(P).config();
    assertEquals(48, c.networkBufferMb());
    assertEquals(4, c.parallelismOf("sink"));
    assertEquals(
        Kind.REJECTED,
        assertThrows(
                PlatformException.class,
                () -> platform.recover(P, "r-2", new Action.RedeployOperator("ghost", 4)))
            .kind());
  }

  @Test
  void restoreCheckpointRedeploysFromTheSavepointHistoryOrIsRejected() {
    FlinkDeployment fd = fd();
    List<Savepoint> history = new ArrayList<>();
    for (long t : new long[] {100, 300, 200}) {
      Savepoint s = new Savepoint();
      s.setTimeStamp(t);
      s.setLocation("s3://sp/savepoint-" + t);
      history.add(s);
    }
    fd.getStatus().getJobStatus().getSavepointInfo().setSavepointHistory(history);
    setup.resources(FlinkDeployment.class).inNamespace(Fixtures.NS).resource(fd).update();

    assertEquals(
        Outcome.APPLIED, platform.recover(P, "rc-1", new Action.RestoreCheckpoint(1)).outcome());
    assertEquals("s3://sp/savepoint-200", fd().getSpec().getJob().getInitialSavepointPath());
    assertEquals(1L, fd().getSpec().getJob().getSavepointRedeployNonce());

    PlatformException e =
        assertThrows(
            PlatformException.class,
            () -> platform.recover(P, "rc-2", new Action.RestoreCheckpoint(3)));
    assertEquals(Kind.REJECTED, e.kind());
    assertTrue(e.getMessage().contains("holds 3"), e.getMessage());
  }

  @Test
  void failoverNeedsAStatefulUpgradeMode() {
    assertEquals(Outcome.APPLIED, platform.recover(P, "f-1", new Action.Failover()).outcome());
    assertEquals(1L, fd().getSpec().getRestartNonce());

    FlinkDeployment fd = fd();
    fd.getSpec().getJob().setUpgradeMode(UpgradeMode.STATELESS);
    setup.resources(FlinkDeployment.class).inNamespace(Fixtures.NS).resource(fd).update();
    PlatformException e =
        assertThrows(
            PlatformException.class, () -> platform.recover(P, "f-2", new Action.Failover()));
    assertEquals(Kind.REJECTED, e.kind());
    assertEquals(1L, fd().getSpec().getRestartNonce());
  }

  @Test
  void standaloneModeScalesTheTaskManagerDeployment() throws Exception {
    FlinkDeployment fd = fd();
    fd.getSpec().setMode(KubernetesDeploymentMode.STANDALONE);
    setup.resources(FlinkDeployment.class).inNamespace(Fixtures.NS).resource(fd).update();
    Fixtures.reconcile(setup, P);
    setup
        .apps()
        .deployments()
        .inNamespace(Fixtures.NS)
        .resource(
            new DeploymentBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(P + "-taskmanager").build())
                .withNewSpec()
                .withReplicas(8)
                .endSpec()
                .build())
        .create();
    requests();

    ActuationResult r = platform.apply(P, Snapshots.defaultConfig().withTaskManagers(12));
    assertEquals(Outcome.APPLIED, r.outcome());
    List<RbacAudit.Request> patches = patches(requests());
    RbacAudit.Request scale =
        patches.stream().filter(q -> q.path().endsWith("/scale")).findFirst().orElseThrow();
    assertEquals(
        "/apis/apps/v1/namespaces/flink/deployments/orders-taskmanager/scale", scale.path());
    assertEquals(12, JSON.readTree(scale.body()).at("/spec/replicas").asInt());
    assertEquals(
        12,
        setup
            .apps()
            .deployments()
            .inNamespace(Fixtures.NS)
            .withName(P + "-taskmanager")
            .get()
            .getSpec()
            .getReplicas());
    assertEquals(12, fd().getSpec().getTaskManager().getReplicas(), "the spec agrees");
    assertEquals(12, platform.observe(P).config().taskManagers(), "observed from the Deployment");
    assertEquals(
        Outcome.UNCHANGED,
        platform.apply(P, Snapshots.defaultConfig().withTaskManagers(12)).outcome());
  }

  @Test
  void unmanagedDeploymentsAreUnknownPipelines() {
    FlinkDeployment other = Fixtures.deployment("adhoc");
    other.getMetadata().getLabels().clear();
    Fixtures.create(setup, other);
    assertEquals(java.util.Set.of(P), platform.pipelines());
    PlatformException e = assertThrows(PlatformException.class, () -> platform.observe("adhoc"));
    assertEquals(Kind.UNKNOWN_PIPELINE, e.kind());
    assertTrue(e.getMessage().contains("flink/adhoc"), e.getMessage());
  }

  @Test
  void theTelemetrySourceIsPointedAtTheRestServiceAndJob() {
    Fixtures.FakeTelemetry telemetry = new Fixtures.FakeTelemetry();
    KubernetesPlatform p =
        new KubernetesPlatform(
            recording,
            Fixtures.settings(),
            telemetry,
            Fixtures.retrier(Fixtures.settings().retry(), new ArrayList<>()),
            Fixtures.retrier(Fixtures.settings().eviction(), new ArrayList<>()));
    p.observe(P);
    FlinkTelemetry.Target t = telemetry.targets.get(0);
    assertEquals("http://orders-rest.flink:8081", t.restEndpoint());
    assertEquals("a1b2c3d4e5f60718293a4b5c6d7e8f90", t.jobId());
    assertEquals(Snapshots.defaultConfig(), t.config());
  }

  @Test
  void anUncheckpointedDeploymentIsRejectedWithTheKey() {
    FlinkDeployment fd = fd();
    fd.getSpec().getFlinkConfiguration().remove("execution.checkpointing.interval");
    fd.getStatus().getReconciliationStatus().setLastReconciledSpec(null);
    setup.resources(FlinkDeployment.class).inNamespace(Fixtures.NS).resource(fd).update();
    PlatformException e = assertThrows(PlatformException.class, () -> platform.observe(P));
    assertEquals(Kind.REJECTED, e.kind());
    assertTrue(e.getMessage().contains("execution.checkpointing.interval"), e.getMessage());
    assertNull(fd().getSpec().getRestartNonce());
  }

  private static List<String> names(JsonNode node) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    out.sort(String::compareTo);
    return out;
  }
}
