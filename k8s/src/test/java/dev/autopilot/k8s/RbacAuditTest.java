package dev.autopilot.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.k8s.RbacAudit.Needed;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The request-to-permission mapping the RBAC audit of the platform tests relies on. */
class RbacAuditTest {

  @Test
  void requestsMapToTheirRbacVerbAndResource() {
    assertEquals(
        new Needed("flink.apache.org", "flinkdeployments", "get", false),
        RbacAudit.permissionOf(
            "GET", "/apis/flink.apache.org/v1beta1/namespaces/ns/flinkdeployments/p"));
    assertEquals(
        new Needed("flink.apache.org", "flinkdeployments", "list", false),
        RbacAudit.permissionOf(
            "GET",
            "/apis/flink.apache.org/v1beta1/namespaces/ns/flinkdeployments?labelSelector=a%3Db"));
    assertEquals(
        new Needed("flink.apache.org", "flinkdeployments", "watch", false),
        RbacAudit.permissionOf(
            "GET", "/apis/flink.apache.org/v1beta1/namespaces/ns/flinkdeployments?watch=true"));
    assertEquals(
        new Needed("apps", "deployments/scale", "patch", false),
        RbacAudit.permissionOf(
            "PATCH", "/apis/apps/v1/namespaces/ns/deployments/p-taskmanager/scale"));
    assertEquals(
        new Needed("", "pods/eviction", "create", false),
        RbacAudit.permissionOf("POST", "/api/v1/namespaces/ns/pods/p/eviction"));
    assertEquals(
        new Needed("", "nodes", "patch", true), RbacAudit.permissionOf("PATCH", "/api/v1/nodes/n"));
    assertEquals(
        new Needed("metrics.k8s.io", "nodes", "get", true),
        RbacAudit.permissionOf("GET", "/apis/metrics.k8s.io/v1beta1/nodes/n"));
    assertThrows(AssertionError.class, () -> RbacAudit.permissionOf("GET", "/version"));
  }

  @Test
  void whatThePlatformMustNotDoIsNotCovered() {
    // fabric8's scale(int) would PUT the scale and GET the Deployment: neither is granted
    assertFalse(
        RbacAudit.covered(
            RbacAudit.permissionOf("PUT", "/apis/apps/v1/namespaces/ns/deployments/d/scale")));
    assertFalse(
        RbacAudit.covered(
            RbacAudit.permissionOf("GET", "/apis/apps/v1/namespaces/ns/deployments/d")));
    assertFalse(
        RbacAudit.covered(
            RbacAudit.permissionOf("GET", "/api/v1/pods?fieldSelector=spec.nodeName%3Dn")));
    assertFalse(
        RbacAudit.covered(RbacAudit.permissionOf("DELETE", "/api/v1/namespaces/ns/pods/p")));
    assertThrows(
        AssertionError.class,
        () ->
            RbacAudit.assertCovered(
                List.of(new RbacAudit.Request("PUT", "/api/v1/namespaces/ns/pods/p", ""))));
    assertTrue(
        RbacAudit.covered(
            RbacAudit.permissionOf("GET", "/api/v1/namespaces/ns/pods?labelSelector=app%3Dp")));
  }
}
