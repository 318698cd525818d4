package dev.autopilot.runtime.flink;

import dev.autopilot.api.PlatformException;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.k8s.FlinkTelemetry;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Flink side of the {@link dev.autopilot.k8s.KubernetesPlatform}'s telemetry: each
 * FlinkDeployment's job observed over its own REST endpoint by a {@link FlinkRestPlatform} that
 * only observes (no launcher: the Flink Kubernetes Operator owns the job, and the Kubernetes
 * platform acts through the FlinkDeployment).
 *
 * <p>One observing platform per pipeline and endpoint is kept, because rates are counter
 * differences between successive observations of the same job. A FlinkDeployment runs one job in
 * application mode, so the job is matched with {@link FlinkRestPlatform#ANY_JOB}.
 */
public final class FlinkRestTelemetry implements FlinkTelemetry {

  private record Key(String pipelineId, String endpoint) {}

  private final FlinkRestSettings settings;
  private final Map<Key, FlinkRestPlatform> platforms = new ConcurrentHashMap<>();

  /**
   * @param settings the Flink REST settings; their base URL is replaced by each target's endpoint
   */
  public FlinkRestTelemetry(FlinkRestSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public TelemetrySnapshot observe(Target target) {
    Objects.requireNonNull(target, "target");
    Key key = new Key(target.pipelineId(), target.restEndpoint());
    FlinkRestPlatform platform = platforms.get(key);
    if (platform == null) {
      // A pipeline whose endpoint changed (a redeployed FlinkDeployment) starts afresh.
      platforms.keySet().removeIf(k -> k.pipelineId().equals(key.pipelineId()));
      platform = platforms.computeIfAbsent(key, this::platformFor);
    }
    return platform.observe(target.pipelineId());
  }

  /** Observing platforms kept (one per pipeline and endpoint seen). */
  public int platforms() {
    return platforms.size();
  }

  private FlinkRestPlatform platformFor(Key key) {
    URI endpoint;
    try {
      endpoint = URI.create(key.endpoint());
    } catch (IllegalArgumentException e) {
      throw new PlatformException(
          PlatformException.Kind.REJECTED,
          key.pipelineId() + ": Flink REST endpoint '" + key.endpoint() + "' is not a URL",
          e);
    }
    FlinkRestSettings forTarget;
    try {
      forTarget = settings.withBaseUrl(endpoint);
    } catch (IllegalArgumentException e) {
      throw new PlatformException(
          PlatformException.Kind.REJECTED, key.pipelineId() + ": " + e.getMessage(), e);
    }
    return FlinkRestPlatform.create(
        forTarget, Map.of(key.pipelineId(), FlinkRestPlatform.ANY_JOB), null);
  }
}
