package dev.autopilot.k8s;

import dev.autopilot.api.PlatformException;
import dev.autopilot.api.PlatformException.Kind;
import dev.autopilot.api.retry.Retrier;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Runs Kubernetes API calls: maps fabric8 failures to typed {@link PlatformException}s naming the
 * operation, bounds every attempt in time, and retries the retryable ones through the shared {@link
 * Retrier}.
 *
 * <p>fabric8's request timeout covers the wait for the response headers only: an API server (or a
 * proxy in front of it) that sends the headers and then stalls the body would hold the call for as
 * long as it stalls. So each attempt runs on a worker thread and the caller waits at most the
 * client's connection timeout plus its request timeout; a late attempt is interrupted and reported
 * as {@link Kind#TIMEOUT}.
 */
final class KubeCalls {
  private static final ExecutorService ATTEMPTS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "kubernetes-call");
            t.setDaemon(true);
            return t;
          });

  private final KubernetesClient client;
  private final Retrier retrier;
  private final long requestTimeoutMillis;
  private final long attemptTimeoutMillis;

  KubeCalls(KubernetesClient client, Retrier retrier) {
    this.client = client;
    this.retrier = retrier;
    Config config = client.getConfiguration();
    this.requestTimeoutMillis = positiveOr(config == null ? null : config.getRequestTimeout());
    this.attemptTimeoutMillis =
        requestTimeoutMillis + positiveOr(config == null ? null : config.getConnectionTimeout());
  }

  private static long positiveOr(Integer millis) {
    return millis == null || millis <= 0 ? 10_000 : millis;
  }

  Retrier retrier() {
    return retrier;
  }

  /**
   * One attempt, failures mapped, bounded by the connection plus the request timeout.
   *
   * @throws PlatformException {@link Kind#TIMEOUT} when the attempt did not finish in time
   */
  <T> T once(String what, Supplier<T> call) {
    Future<T> attempt = ATTEMPTS.submit(() -> unbounded(what, call));
    try {
      return attempt.get(attemptTimeoutMillis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      attempt.cancel(true);
      throw new PlatformException(
          Kind.TIMEOUT,
          what
              + " failed: timed out — no complete answer within "
              + attemptTimeoutMillis
              + " ms (connection and request timeout)",
          e);
    } catch (InterruptedException e) {
      attempt.cancel(true);
      Thread.currentThread().interrupt();
      throw new PlatformException(Kind.UNAVAILABLE, what + " interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new PlatformException(Kind.UNAVAILABLE, what + " failed: " + cause, cause);
    }
  }

  private static <T> T unbounded(String what, Supplier<T> call) {
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

  /** One request (or one bounded {@link #once} inside), bounded, retried on the retryable kinds. */
  <T> T call(String what, Supplier<T> call) {
    return retrier.call(what, () -> once(what, call));
  }

  /**
   * Retried on the retryable kinds and on conflicts; {@code call} must re-read what it writes. It
   * may make several requests, so it is not bounded as a whole: each of its requests must be (made
   * through {@link #once} or {@link #mergePatchRaw}).
   */
  <T> T callRereading(String what, Supplier<T> call) {
    Predicate<PlatformException> retryOn = e -> e.retryable() || e.kind() == Kind.CONFLICT;
    return retrier.call(what, retryOn, () -> unbounded(what, call));
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
