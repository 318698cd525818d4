package dev.autopilot.k8s;

import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.TelemetrySnapshot;

/**
 * The Flink-side telemetry of one FlinkDeployment: job, operator, checkpoint and TaskManager
 * metrics read from the job's REST API. The {@link KubernetesPlatform} composes it with what
 * Kubernetes knows (the configuration from the FlinkDeployment, pod and node state, the metrics
 * API). The runtime wires its Flink REST adapter behind this interface; this module cannot depend
 * on it.
 *
 * <p>Implementations may block (network) and report failures as {@link
 * dev.autopilot.api.PlatformException}.
 */
@FunctionalInterface
public interface FlinkTelemetry {

  /**
   * Where and what to observe.
   *
   * @param pipelineId the pipeline (the FlinkDeployment's name)
   * @param namespace the FlinkDeployment's namespace
   * @param restEndpoint the Flink REST endpoint ({@code http://<name>-rest.<ns>:8081} by default)
   * @param jobId the job id from {@code status.jobStatus.jobId}, or null before the first deploy
   * @param config the configuration the FlinkDeployment runs (from its last reconciled spec)
   */
  record Target(
      String pipelineId,
      String namespace,
      String restEndpoint,
      String jobId,
      PipelineConfig config) {}

  /**
   * One snapshot of the target. Its TaskManager ids are the pod names (as Flink's native Kubernetes
   * integration names them), so the platform can add pod and node state. The platform replaces the
   * snapshot's configuration with {@link Target#config()}.
   */
  TelemetrySnapshot observe(Target target);
}
