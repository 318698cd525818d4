package dev.autopilot.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped manifests parse as Kubernetes objects and agree with each other. */
class ManifestsTest {
  private static final List<HasMetadata> OBJECTS = new ArrayList<>();

  @BeforeAll
  static void load() throws Exception {
    for (String f : List.of("serviceaccount", "rbac", "service", "pdb", "statefulset")) {
      try (InputStream in = ManifestsTest.class.getResourceAsStream("/manifests/" + f + ".yaml")) {
        assertNotNull(in, f);
        Object parsed = Serialization.unmarshal(in);
        if (parsed instanceof KubernetesList list) {
          OBJECTS.addAll(list.getItems());
        } else if (parsed instanceof List<?> list) {
          list.forEach(o -> OBJECTS.add((HasMetadata) o));
        } else {
          OBJECTS.add((HasMetadata) parsed);
        }
      }
    }
  }

  private static <T extends HasMetadata> T one(Class<T> type) {
    List<T> found = OBJECTS.stream().filter(type::isInstance).map(type::cast).toList();
    assertEquals(1, found.size(), type.getSimpleName());
    return found.get(0);
  }

  @Test
  void statefulSetProbesUseManagementHealthEndpoints() {
    StatefulSet sts = one(StatefulSet.class);
    var c = sts.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertEquals("/ready", c.getReadinessProbe().getHttpGet().getPath());
    assertEquals("/alive", c.getLivenessProbe().getHttpGet().getPath());
    assertTrue(c.getEnv().stream().anyMatch(e -> e.getName().equals("AUTOPILOT_DB_URL")));
    assertTrue(c.getEnv().stream().anyMatch(e -> e.getName().equals("AUTOPILOT_PROFILE") && "kubernetes".equals(e.getValue())));
  }

  @Test
  void serviceAccountAndHeadlessServiceMatchTheStatefulSet() {
    StatefulSet sts = one(StatefulSet.class);
    assertEquals(one(ServiceAccount.class).getMetadata().getName(), sts.getSpec().getTemplate().getSpec().getServiceAccountName());
    Service svc = one(Service.class);
    assertEquals("None", svc.getSpec().getClusterIP());
    assertEquals(svc.getMetadata().getName(), sts.getSpec().getServiceName());
    assertEquals(sts.getSpec().getSelector().getMatchLabels(), svc.getSpec().getSelector());
  }

  @Test
  void disruptionBudgetKeepsAMajority() {
    StatefulSet sts = one(StatefulSet.class);
    PodDisruptionBudget pdb = one(PodDisruptionBudget.class);
    int replicas = sts.getSpec().getReplicas();
    assertTrue(pdb.getSpec().getMinAvailable().getIntVal() > replicas / 2);
    assertEquals(sts.getSpec().getSelector().getMatchLabels(), pdb.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void rbacGrantsDiscoveryAndActuation() {
    Role role = one(Role.class);
    assertTrue(role.getRules().stream().anyMatch(r -> r.getResources().contains("pods") && r.getVerbs().contains("list")));
    ClusterRole actuator = one(ClusterRole.class);
    assertTrue(actuator.getRules().stream().anyMatch(r -> r.getResources().contains("flinkdeployments") && r.getVerbs().contains("patch")));
    assertTrue(actuator.getRules().stream().anyMatch(r -> r.getResources().contains("pods/eviction")));
  }
}
