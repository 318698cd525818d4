package dev.autopilot.k8s;

import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.retry.Retrier;
import dev.autopilot.api.retry.RetryPolicy;
import dev.autopilot.api.testing.Snapshots;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.FlinkDeploymentSpec;
import org.apache.flink.kubernetes.operator.api.spec.JobSpec;
import org.apache.flink.kubernetes.operator.api.spec.Resource;
import org.apache.flink.kubernetes.operator.api.spec.TaskManagerSpec;
import org.apache.flink.kubernetes.operator.api.spec.UpgradeMode;
import org.apache.flink.kubernetes.operator.api.status.FlinkDeploymentStatus;

/** FlinkDeployments, settings, retriers and a fake operator and telemetry for the tests. */
final class Fixtures {
  static final String NS = "flink";
  static final Map<String, String> LABELS = Map.of("autopilot.dev/managed", "true");

  private Fixtures() {}

  static KubernetesSettings settings() {
    return new KubernetesSettings(
        NS,
        LABELS,
        "autopilot.dev/operator-vertices",
        "autopilot.dev/recovery-actions",
        4,
        "http://{name}-rest.{namespace}:8081",
        "flink-main-container",
        new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.0, 30),
        new RetryPolicy(4, Duration.ofSeconds(5), Duration.ofSeconds(60), 2.0, 0.0, 20),
        new KubernetesSettings.SettleTicks(9, 6, 6, 12));
  }

  /**
   * A client like the mock's with generous connection and request timeouts: on a loaded test
   * machine the mock server can take seconds to accept, and a fixture's timeout is no finding.
   */
  static KubernetesClient patient(KubernetesClient mockClient) {
    return new io.fabric8.kubernetes.client.KubernetesClientBuilder()
        .withConfig(
            new io.fabric8.kubernetes.client.ConfigBuilder(mockClient.getConfiguration())
                .withConnectionTimeout(120_000)
                .withRequestTimeout(120_000)
                .build())
        .build();
  }

  /** A retrier that records its waits instead of sleeping. */
  static Retrier retrier(RetryPolicy policy, List<Duration> waits) {
    return new Retrier(policy, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), waits::add, () -> 0.0);
  }

  /** The vertex id of an operator (each operator its own vertex). */
  static String vertexOf(String op) {
    return String.format("%032x", Math.abs((long) op.hashCode()));
  }

  /**
   * A FlinkDeployment declaring {@link Snapshots#defaultConfig()}: 8 operators at 16, 32 MB
   * network, 30 s checkpoints, 8 TaskManagers of 4 cores / 16 GB with 4 slots.
   */
  static FlinkDeployment deployment(String name) {
    StringBuilder vertices = new StringBuilder();
    StringBuilder overrides = new StringBuilder();
    for (String op : Snapshots.OPERATORS) {
      vertices
          .append(vertices.length() == 0 ? "" : ",")
          .append(op)
          .append('=')
          .append(vertexOf(op));
      overrides.append(overrides.length() == 0 ? "" : ",").append(vertexOf(op)).append(":16");
    }
    FlinkDeployment fd = new FlinkDeployment();
    fd.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(NS)
            .withLabels(new HashMap<>(LABELS))
            .withAnnotations(
                new HashMap<>(Map.of("autopilot.dev/operator-vertices", vertices.toString())))
            .build());
    FlinkDeploymentSpec spec = new FlinkDeploymentSpec();
    spec.setImage("flink:1.20");
    JobSpec job = new JobSpec();
    job.setJarURI("local:///opt/flink/usrlib/job.jar");
    job.setParallelism(16);
    job.setUpgradeMode(UpgradeMode.LAST_STATE);
    spec.setJob(job);
    TaskManagerSpec tm = new TaskManagerSpec();
    Resource res = new Resource();
    res.setCpu(4.0);
    res.setMemory("16g");
    tm.setResource(res);
    tm.setReplicas(8);
    spec.setTaskManager(tm);
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("taskmanager.numberOfTaskSlots", "4");
    conf.put("execution.checkpointing.interval", "30 s");
    conf.put("taskmanager.memory.network.min", "32mb");
    conf.put("taskmanager.memory.network.max", "32mb");
    conf.put("pipeline.jobvertex-parallelism-overrides", overrides.toString());
    spec.setFlinkConfiguration(conf);
    fd.setSpec(spec);
    return fd;
  }

  static FlinkDeployment create(KubernetesClient setup, FlinkDeployment fd) {
    return setup.resources(FlinkDeployment.class).inNamespace(NS).resource(fd).create();
  }

  static FlinkDeployment get(KubernetesClient setup, String name) {
    return setup.resources(FlinkDeployment.class).inNamespace(NS).withName(name).get();
  }

  /** What the operator does once it reconciled: the spec becomes the last reconciled spec. */
  static void reconcile(KubernetesClient setup, String name) {
    FlinkDeployment fd = get(setup, name);
    FlinkDeploymentStatus status =
        fd.getStatus() == null ? new FlinkDeploymentStatus() : fd.getStatus();
    status.getReconciliationStatus().serializeAndSetLastReconciledSpec(fd.getSpec(), fd);
    status.getJobStatus().setJobId("a1b2c3d4e5f60718293a4b5c6d7e8f90");
    status.getJobStatus().setState(JobStatus.RUNNING);
    fd.setStatus(status);
    setup.resources(FlinkDeployment.class).inNamespace(NS).resource(fd).update();
  }

  /**
   * A Flink REST stand-in: a healthy snapshot of the target's configuration, recording the targets
   * it was asked for.
   */
  static final class FakeTelemetry implements FlinkTelemetry {
    final List<Target> targets = new ArrayList<>();
    private final AtomicLong tick = new AtomicLong();

    @Override
    public TelemetrySnapshot observe(Target target) {
      targets.add(target);
      return Snapshots.builder(target.pipelineId(), tick.incrementAndGet())
          .config(target.config())
          .build();
    }
  }
}
