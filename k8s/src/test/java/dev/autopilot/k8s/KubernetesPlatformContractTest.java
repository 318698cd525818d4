package dev.autopilot.k8s;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.autopilot.api.Platform;
import dev.autopilot.api.testing.PlatformContractTest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * The platform contract against fabric8's mock API server in CRUD mode, with a fake Flink REST
 * source built from the deployment's configuration; time passing is the operator reconciling (spec
 * copied to status.lastReconciledSpec). Every request the platform sent must be covered by {@link
 * RbacRequirements}.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesPlatformContractTest extends PlatformContractTest {
  KubernetesClient client;
  private KubernetesClient setup;
  private KubernetesClient recording;
  private final List<RbacAudit.Request> log = new ArrayList<>();

  @Override
  protected Platform createPlatform() {
    setup = Fixtures.patient(client);
    recording = RbacAudit.recordingClient(client, log);
    Fixtures.create(setup, Fixtures.deployment(pipelineId()));
    Fixtures.reconcile(setup, pipelineId());
    return new KubernetesPlatform(
        recording,
        Fixtures.settings(),
        new Fixtures.FakeTelemetry(),
        Fixtures.retrier(Fixtures.settings().retry(), new ArrayList<>()),
        Fixtures.retrier(Fixtures.settings().eviction(), new ArrayList<>()));
  }

  @Override
  protected String pipelineId() {
    return "orders";
  }

  @Override
  protected void advanceTime() {
    Fixtures.reconcile(setup, pipelineId());
  }

  @AfterEach
  void everyRequestIsAllowedByTheRbacRequirements() throws InterruptedException {
    List<RbacAudit.Request> sent = RbacAudit.take(log);
    assertFalse(sent.isEmpty());
    RbacAudit.assertCovered(sent);
    recording.close();
    setup.close();
  }
}
