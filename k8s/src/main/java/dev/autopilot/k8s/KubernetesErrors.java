package dev.autopilot.k8s;

import dev.autopilot.api.PlatformException;
import dev.autopilot.api.PlatformException.Kind;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeoutException;

/**
 * Maps a Kubernetes API failure onto a typed {@link PlatformException} that names the resource and
 * the operation:
 *
 * <table>
 *   <caption>HTTP status to kind</caption>
 *   <tr><th>status</th><th>kind</th><th>retried by the platform</th></tr>
 *   <tr><td>401, 403</td><td>FORBIDDEN (a missing RBAC verb)</td><td>no</td></tr>
 *   <tr><td>404</td><td>NOT_FOUND (UNKNOWN_PIPELINE for the FlinkDeployment itself)</td><td>no</td></tr>
 *   <tr><td>409</td><td>CONFLICT</td><td>yes, after re-reading the object (bounded)</td></tr>
 *   <tr><td>400, 422</td><td>REJECTED</td><td>no</td></tr>
 *   <tr><td>429, 500, 502, 503</td><td>UNAVAILABLE</td><td>yes, with backoff</td></tr>
 *   <tr><td>504, client timeouts</td><td>TIMEOUT</td><td>yes, with backoff</td></tr>
 *   <tr><td>no status, I/O failure</td><td>UNAVAILABLE</td><td>yes, with backoff</td></tr>
 *   <tr><td>unparseable answer</td><td>MALFORMED_RESPONSE</td><td>yes, with backoff</td></tr>
 * </table>
 */
final class KubernetesErrors {

  private KubernetesErrors() {}

  /**
   * @param what the operation and resource, e.g. {@code "patch flinkdeployments ns/name"}
   */
  static PlatformException map(String what, KubernetesClientException e) {
    int code = e.getCode();
    String reason = reasonOf(e);
    Kind kind = kindOf(code, e);
    String message =
        what
            + " failed: "
            + (code <= 0 ? "" : "HTTP " + code + " ")
            + describe(kind)
            + " — "
            + reason;
    return new PlatformException(kind, Math.max(code, 0), message, e);
  }

  static Kind kindOf(int code, Throwable e) {
    switch (code) {
      case 401:
      case 403:
        return Kind.FORBIDDEN;
      case 404:
        return Kind.NOT_FOUND;
      case 409:
        return Kind.CONFLICT;
      case 400:
      case 422:
        return Kind.REJECTED;
      case 504:
        return Kind.TIMEOUT;
      default:
        // no HTTP status (fabric8 reports 0 or -1): a transport or parsing failure
        return code <= 0 ? transportKind(e) : Kind.UNAVAILABLE;
    }
  }

  private static Kind transportKind(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientTimeoutException
          || t instanceof TimeoutException
          || t instanceof InterruptedIOException) {
        return Kind.TIMEOUT;
      }
      if (t instanceof com.fasterxml.jackson.core.JsonProcessingException) {
        return Kind.MALFORMED_RESPONSE;
      }
    }
    return Kind.UNAVAILABLE;
  }

  private static String describe(Kind kind) {
    switch (kind) {
      case FORBIDDEN:
        return "forbidden (check the runtime's RBAC Role/ClusterRole)";
      case NOT_FOUND:
        return "not found";
      case CONFLICT:
        return "conflict (the object changed concurrently)";
      case REJECTED:
        return "rejected by the API server";
      case TIMEOUT:
        return "timed out";
      case MALFORMED_RESPONSE:
        return "unparseable answer";
      default:
        return "API server unavailable";
    }
  }

  private static String reasonOf(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      return e.getStatus().getMessage();
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return String.valueOf(root.getMessage() == null ? root : root.getMessage());
  }
}
