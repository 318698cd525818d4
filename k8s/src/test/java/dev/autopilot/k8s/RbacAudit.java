package dev.autopilot.k8s;

import static org.junit.jupiter.api.Assertions.fail;

import dev.autopilot.k8s.RbacRequirements.Permission;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Records every request the platform's client sends (an interceptor on its HTTP client, so test
 * fixtures' own requests are not counted), turns each into the RBAC permission it needs (API group,
 * resource/subresource, verb, scope) as the API server's authorizer does, and checks them against
 * {@link RbacRequirements#PERMISSIONS}.
 */
final class RbacAudit {

  /** One request of the platform. */
  record Request(String method, String path, String body) {}

  /** The permission one request needs. */
  record Needed(String apiGroup, String resource, String verb, boolean clusterScoped) {}

  private RbacAudit() {}

  /** A client like {@code base} that appends every request it sends to {@code log}. */
  static KubernetesClient recordingClient(KubernetesClient base, List<Request> log) {
    List<Request> sync = Collections.synchronizedList(log);
    Interceptor recorder =
        new Interceptor() {
          @Override
          public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            String query = request.uri().getRawQuery();
            sync.add(
                new Request(
                    request.method(),
                    request.uri().getRawPath() + (query == null ? "" : "?" + query),
                    request.bodyString()));
          }
        };
    // a generous request timeout: on a loaded test machine a mock answer can take seconds, and a
    // client-side timeout would turn an expected HTTP failure into a TIMEOUT
    return KubernetesPlatform.clientBuilder(
            new io.fabric8.kubernetes.client.ConfigBuilder(base.getConfiguration())
                .withRequestTimeout(120_000)
                .withConnectionTimeout(120_000)
                .build())
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("rbac-audit", recorder))
        .build();
  }

  /** Takes (and clears) what a log recorded so far. */
  static List<Request> take(List<Request> log) {
    synchronized (log) {
      List<Request> out = new ArrayList<>(log);
      log.clear();
      return out;
    }
  }

  /** The permission a request needs, or fails for a request that is no resource request. */
  static Needed permissionOf(String method, String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
    String[] parts = path.replaceAll("^/+", "").split("/");
    String group;
    int i;
    if (parts.length >= 2 && parts[0].equals("api")) {
      group = "";
      i = 2;
    } else if (parts.length >= 3 && parts[0].equals("apis")) {
      group = parts[1];
      i = 3;
    } else {
      throw new AssertionError("not a resource request: " + method + " " + pathAndQuery);
    }
    boolean namespaced =
        parts.length > i + 1 && parts[i].equals("namespaces") && parts.length > i + 2;
    if (namespaced) {
      i += 2;
    }
    if (parts.length <= i) {
      throw new AssertionError("no resource in " + pathAndQuery);
    }
    String resource = parts[i];
    String name = parts.length > i + 1 ? parts[i + 1] : null;
    String sub = parts.length > i + 2 ? parts[i + 2] : null;
    String verb;
    switch (method) {
      case "GET":
        verb = name != null ? "get" : query.contains("watch=true") ? "watch" : "list";
        break;
      case "POST":
        verb = "create";
        break;
      case "PUT":
        verb = "update";
        break;
      case "PATCH":
        verb = "patch";
        break;
      case "DELETE":
        verb = name != null ? "delete" : "deletecollection";
        break;
      default:
        throw new AssertionError("unexpected method " + method);
    }
    return new Needed(group, sub == null ? resource : resource + "/" + sub, verb, !namespaced);
  }

  static boolean covered(Needed n) {
    for (Permission p : RbacRequirements.PERMISSIONS) {
      if (p.apiGroup().equals(n.apiGroup())
          && p.resource().equals(n.resource())
          && p.verb().equals(n.verb())
          && p.clusterScoped() == n.clusterScoped()
          && p.user().equals("platform")) {
        return true;
      }
    }
    return false;
  }

  /** Fails naming every request no platform permission covers; returns the permissions used. */
  static Set<Needed> assertCovered(List<Request> requests) {
    Set<Needed> used = new LinkedHashSet<>();
    List<String> uncovered = new ArrayList<>();
    for (Request r : requests) {
      Needed n = permissionOf(r.method(), r.path());
      used.add(n);
      if (!covered(n)) {
        uncovered.add(r.method() + " " + r.path() + " needs " + n);
      }
    }
    if (!uncovered.isEmpty()) {
      fail(
          "requests not covered by RbacRequirements.PERMISSIONS:\n  "
              + String.join("\n  ", uncovered));
    }
    return used;
  }
}
