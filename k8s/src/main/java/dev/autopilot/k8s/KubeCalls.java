package dev.autopilot.k8s;

import dev.autopilot.api.PlatformException;
import dev.autopilot.api.PlatformException.Kind;
import dev.autopilot.api.retry.Retrier;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Runs Kubernetes API calls: maps fabric8 failures to typed {@link PlatformException}s naming the
 * operation, and retries the retryable ones through the shared {@link Retrier}.
 */
final class KubeCalls {
  private final KubernetesClient client;
  private final Retrier retrier;
  private final long requestTimeoutMillis;

  KubeCalls(KubernetesClient client, Retrier retrier) {
    this.client = client;
    this.retrier = retrier;
    Integer t =
        client.getConfiguration() == null ? null : client.getConfiguration().getRequestTimeout();
    this.requestTimeoutMillis = t == null || t <= 0 ? 10_000 : t;
  }

  Retrier retrier() {
    return retrier;
  }

  /** One attempt, failures mapped. */
  static <T> T once(String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (KubernetesClientException e) {
      throw KubernetesErrors.map(what, e);
    } catch (IllegalArgumentException | IllegalStateException e) {
      // fabric8 reports unparseable answers this way
      throw new PlatformException(
          Kind.MALFORMED_RESPONSE, what + " failed: unparseable answer — " + e.getMessage(), e);
    }
  }

  /** Retried on the retryable kinds. */
  <T> T call(String what, Supplier<T> call) {
    return retrier.call(what, () -> once(what, call));
  }

  /** Retried on the retryable kinds and on conflicts; {@code call} must re-read what it writes. */
  <T> T callRereading(String what, Supplier<T> call) {
    Predicate<PlatformException> retryOn = e -> e.retryable() || e.kind() == Kind.CONFLICT;
    return retrier.call(what, retryOn, () -> once(what, call));
  }

  /**
   * A JSON merge patch of a subresource fabric8 only updates with PUT (deployments/scale), sent as
   * PATCH so the runtime needs the patch verb only.
   */
  void mergePatchRaw(String what, String apiPath, String json) {
    HttpRequest request =
        client
            .getHttpClient()
            .newHttpRequestBuilder()
            .uri(join(client.getMasterUrl().toString(), apiPath))
            .method("PATCH", "application/merge-patch+json", json)
            .build();
    HttpResponse<String> response;
    try {
      response =
          client
              .getHttpClient()
              .sendAsync(request, String.class)
              .get(requestTimeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformException(Kind.UNAVAILABLE, what + " interrupted", e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new PlatformException(
          Kind.TIMEOUT, what + " timed out after " + requestTimeoutMillis + " ms", e);
    } catch (ExecutionException e) {
      throw KubernetesErrors.map(
          what, new KubernetesClientException(String.valueOf(e.getCause()), e.getCause()));
    }
    int code = response.code();
    if (code >= 200 && code < 300) {
      return;
    }
    Status status = null;
    try {
      status = client.getKubernetesSerialization().unmarshal(response.body(), Status.class);
    } catch (RuntimeException ignored) {
      // not a Status body: the code is enough
    }
    if (status == null) {
      status = new Status();
      status.setCode(code);
      status.setMessage("HTTP " + code);
    }
    status.setCode(code);
    throw KubernetesErrors.map(what, new KubernetesClientException(status));
  }

  private static String join(String base, String path) {
    return base.endsWith("/") ? base + path.substring(1) : base + path;
  }
}
