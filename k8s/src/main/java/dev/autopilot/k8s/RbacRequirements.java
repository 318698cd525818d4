package dev.autopilot.k8s;

import java.util.List;
import java.util.Objects;

/**
 * Every Kubernetes API permission the runtime uses, and nothing more. The shipped RBAC manifests
 * grant exactly these ({@code ManifestsTest}), and the KubernetesPlatform's tests record the
 * requests it makes against the mock API server and check that each one is listed here.
 *
 * <p>Beyond the list the platform needs three read permissions, all it takes to observe and
 * drain without cluster-wide pod access:
 *
 * <ul>
 *   <li>{@code pods list} in the namespace (platform): the TaskManager pods of a FlinkDeployment
 *       (labels {@code app=<name>,component=taskmanager}) for their node, allocation and restarts,
 *       and the managed pipelines' pods on a node being drained (only those are evicted);
 *   <li>{@code metrics.k8s.io pods list} in the namespace: container CPU and memory usage of the
 *       TaskManagers, where the metrics API is served (absent otherwise: metrics marked absent);
 *   <li>{@code metrics.k8s.io nodes get}, cluster-scoped: usage of the TaskManagers' nodes.
 * </ul>
 */
public final class RbacRequirements {

  /**
   * One permission.
   *
   * @param apiGroup the API group ("" for the core group)
   * @param resource the resource, with its subresource after a slash ("pods/eviction")
   * @param verb the RBAC verb (get, list, watch, create, update, patch, delete)
   * @param clusterScoped whether it needs a ClusterRole (nodes) rather than the namespace's Role
   * @param user who needs it: "bootstrap" (Pekko cluster bootstrap) or "platform"
   *     (KubernetesPlatform)
   */
  public record Permission(
      String apiGroup, String resource, String verb, boolean clusterScoped, String user) {
    public Permission {
      Objects.requireNonNull(apiGroup, "apiGroup");
      Objects.requireNonNull(resource, "resource");
      Objects.requireNonNull(verb, "verb");
      Objects.requireNonNull(user, "user");
    }
  }

  /** The permissions, in manifest order. */
  public static final List<Permission> PERMISSIONS =
      List.of(
          new Permission("", "pods", "get", false, "bootstrap"),
          new Permission("", "pods", "list", false, "bootstrap"),
          new Permission("", "pods", "watch", false, "bootstrap"),
          new Permission("flink.apache.org", "flinkdeployments", "get", false, "platform"),
          new Permission("flink.apache.org", "flinkdeployments", "list", false, "platform"),
          new Permission("flink.apache.org", "flinkdeployments", "watch", false, "platform"),
          new Permission("flink.apache.org", "flinkdeployments", "patch", false, "platform"),
          new Permission("apps", "deployments/scale", "get", false, "platform"),
          new Permission("apps", "deployments/scale", "patch", false, "platform"),
          new Permission("", "pods", "list", false, "platform"),
          new Permission("", "pods/eviction", "create", false, "platform"),
          new Permission("metrics.k8s.io", "pods", "list", false, "platform"),
          new Permission("", "nodes", "get", true, "platform"),
          new Permission("", "nodes", "patch", true, "platform"),
          new Permission("metrics.k8s.io", "nodes", "get", true, "platform"));

  private RbacRequirements() {}
}
