package dev.autopilot.k8s;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.autopilot.api.retry.RetryPolicy;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of the {@link KubernetesPlatform}, read once from {@code autopilot.kubernetes} (this
 * module's {@code reference.conf} documents every key and holds every default). Impossible values
 * are rejected with the key's name.
 *
 * @param namespace namespace of the managed FlinkDeployments and their pods
 * @param labelSelector labels a FlinkDeployment must carry to be managed (equality, all of them)
 * @param operatorVerticesAnnotation annotation mapping operator ids to JobVertex ids
 * @param recoveryActionsAnnotation annotation remembering executed recovery action ids
 * @param rememberedActions how many action ids that annotation keeps
 * @param restEndpoint Flink REST endpoint template ({name}, {namespace})
 * @param taskManagerContainer name of the Flink container in TaskManager pods
 * @param retry retries of API calls (5xx, 429, timeouts, 409 after a re-read)
 * @param eviction retries of evictions a PodDisruptionBudget refuses
 * @param settle ticks until changes show in telemetry
 */
public record KubernetesSettings(
    String namespace,
    Map<String, String> labelSelector,
    String operatorVerticesAnnotation,
    String recoveryActionsAnnotation,
    int rememberedActions,
    String restEndpoint,
    String taskManagerContainer,
    RetryPolicy retry,
    RetryPolicy eviction,
    SettleTicks settle) {

  /**
   * Ticks until a change is expected to show in telemetry.
   *
   * @param specChange after a FlinkDeployment spec change (the operator upgrades the job)
   * @param scale after scaling a standalone TaskManager Deployment
   * @param restart after a restart through spec.restartNonce
   * @param drain after a node drain
   */
  public record SettleTicks(int specChange, int scale, int restart, int drain) {
    public SettleTicks {
      require(specChange >= 0, "settle-ticks.spec-change must be >= 0, got " + specChange);
      require(scale >= 0, "settle-ticks.scale must be >= 0, got " + scale);
      require(restart >= 0, "settle-ticks.restart must be >= 0, got " + restart);
      require(drain >= 0, "settle-ticks.drain must be >= 0, got " + drain);
    }
  }

  public KubernetesSettings {
    require(namespace != null && !namespace.isBlank(), "namespace must not be blank");
    labelSelector = labelSelector == null ? Map.of() : Map.copyOf(labelSelector);
    require(
        operatorVerticesAnnotation != null && !operatorVerticesAnnotation.isBlank(),
        "operator-vertices-annotation must not be blank");
    require(
        recoveryActionsAnnotation != null && !recoveryActionsAnnotation.isBlank(),
        "recovery-actions-annotation must not be blank");
    require(rememberedActions >= 1, "remembered-actions must be >= 1, got " + rememberedActions);
    require(
        restEndpoint != null && restEndpoint.contains("{name}"),
        "rest-endpoint must contain {name}, got " + restEndpoint);
    require(
        taskManagerContainer != null && !taskManagerContainer.isBlank(),
        "taskmanager-container must not be blank");
    require(retry != null, "retry is required");
    require(eviction != null, "eviction is required");
    require(settle != null, "settle-ticks is required");
  }

  /** Reads {@code autopilot.kubernetes} from the (resolved) root config. */
  public static KubernetesSettings create(Config root) {
    Config c = root.getConfig("autopilot.kubernetes");
    Map<String, String> labels = new LinkedHashMap<>();
    c.getObject("label-selector").forEach((k, v) -> labels.put(k, String.valueOf(v.unwrapped())));
    try {
      return new KubernetesSettings(
          c.getString("namespace"),
          labels,
          c.getString("operator-vertices-annotation"),
          c.getString("recovery-actions-annotation"),
          c.getInt("remembered-actions"),
          c.getString("rest-endpoint"),
          c.getString("taskmanager-container"),
          retryPolicy(c.getConfig("retry"), "retry"),
          retryPolicy(c.getConfig("eviction"), "eviction"),
          new SettleTicks(
              c.getInt("settle-ticks.spec-change"),
              c.getInt("settle-ticks.scale"),
              c.getInt("settle-ticks.restart"),
              c.getInt("settle-ticks.drain")));
    } catch (IllegalArgumentException e) {
      throw new ConfigException.Generic("autopilot.kubernetes: " + e.getMessage(), e);
    }
  }

  /** The REST endpoint of one FlinkDeployment. */
  public String restEndpointOf(String name) {
    return restEndpoint.replace("{name}", name).replace("{namespace}", namespace);
  }

  /** The label selector as Kubernetes writes it ({@code k=v,k2=v2}); empty when none. */
  public String labelSelectorString() {
    StringBuilder sb = new StringBuilder();
    labelSelector.forEach(
        (k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k).append('=').append(v));
    return sb.toString();
  }

  private static RetryPolicy retryPolicy(Config c, String path) {
    try {
      return new RetryPolicy(
          c.getInt("max-attempts"),
          c.getDuration("initial-backoff"),
          c.getDuration("max-backoff"),
          c.getDouble("multiplier"),
          c.getDouble("jitter"),
          c.getInt("max-retries-per-minute"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
