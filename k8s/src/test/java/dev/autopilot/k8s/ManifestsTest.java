package dev.autopilot.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.k8s.RbacRequirements.Permission;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped manifests (every file of {@code /manifests}) parse as Kubernetes objects and agree
 * with each other and with {@link RbacRequirements}. The cross-checks against the runtime's
 * configuration (ports, health paths, the bootstrap's settings as the runtime resolves them) live
 * in agent-runtime's {@code KubernetesDeploymentTest}, which has that configuration on its
 * classpath.
 */
class ManifestsTest {
  private static final Set<Class<?>> KNOWN_KINDS =
      Set.of(
          ServiceAccount.class,
          Role.class,
          RoleBinding.class,
          ClusterRole.class,
          ClusterRoleBinding.class,
          ConfigMap.class,
          Service.class,
          PodDisruptionBudget.class,
          StatefulSet.class);

  private static Path dir;
  private static Map<String, Object> kustomization;
  private static final List<HasMetadata> OBJECTS = new ArrayList<>();

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void load() throws Exception {
    dir =
        Path.of(ManifestsTest.class.getResource("/manifests/kustomization.yaml").toURI())
            .getParent();
    try (InputStream in = Files.newInputStream(dir.resolve("kustomization.yaml"))) {
      kustomization = Serialization.unmarshal(in, Map.class);
    }
    for (String file : resources()) {
      OBJECTS.addAll(parse(dir.resolve(file)));
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> resources() {
    return (List<String>) kustomization.get("resources");
  }

  private static List<HasMetadata> parse(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      Object parsed = Serialization.unmarshal(in);
      assertNotNull(parsed, file.toString());
      if (parsed instanceof KubernetesList list) {
        return list.getItems();
      } else if (parsed instanceof List<?> list) {
        return list.stream().map(o -> (HasMetadata) o).toList();
      }
      return List.of((HasMetadata) parsed);
    }
  }

  private static <T extends HasMetadata> List<T> all(Class<T> type) {
    return OBJECTS.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static <T extends HasMetadata> T one(Class<T> type) {
    List<T> found = all(type);
    assertEquals(1, found.size(), type.getSimpleName());
    return found.get(0);
  }

  private static StatefulSet sts() {
    return one(StatefulSet.class);
  }

  private static PodSpec pod() {
    return sts().getSpec().getTemplate().getSpec();
  }

  private static Container container() {
    List<Container> containers = pod().getContainers();
    assertEquals(1, containers.size());
    return containers.get(0);
  }

  private static Map<String, String> configMapData() {
    return one(ConfigMap.class).getData();
  }

  /** The container port a probe or service port names (by name or by number). */
  private static ContainerPort containerPort(IntOrString port) {
    return container().getPorts().stream()
        .filter(
            p ->
                port.getStrVal() != null
                    ? port.getStrVal().equals(p.getName())
                    : port.getIntVal().equals(p.getContainerPort()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container port " + port));
  }

  private static int containerPort(String name) {
    return containerPort(new IntOrString(name)).getContainerPort();
  }

  private static EnvVar env(String name) {
    return container().getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no env " + name));
  }

  @Test
  void kustomizationListsEveryManifestAndEveryObjectIsAKnownKind() throws IOException {
    Set<String> onDisk;
    try (Stream<Path> files = Files.list(dir)) {
      onDisk =
          files
              .map(p -> p.getFileName().toString())
              .filter(f -> f.endsWith(".yaml") || f.endsWith(".yml"))
              .filter(f -> !f.equals("kustomization.yaml"))
              // Examples (the Secret) are documentation, never applied.
              .filter(f -> !f.endsWith("-example.yaml"))
              .collect(Collectors.toCollection(TreeSet::new));
    }
    assertEquals(onDisk, new TreeSet<>(resources()));
    assertEquals(resources().size(), new HashSet<>(resources()).size(), "duplicate resources");
    assertEquals("autopilot", kustomization.get("namespace"));
    for (HasMetadata o : OBJECTS) {
      assertTrue(
          KNOWN_KINDS.contains(o.getClass()),
          o.getKind() + " " + o.getMetadata().getName() + " parsed as " + o.getClass());
      assertEquals("autopilot", o.getMetadata().getLabels().get("app"), o.getKind());
      // The kustomization sets the namespace; a hard-coded one would fight it.
      assertNull(o.getMetadata().getNamespace(), o.getKind() + " hard-codes a namespace");
    }
    assertEquals(10, OBJECTS.size());
  }

  @Test
  void probesUseTheManagementHealthEndpointsOnADeclaredPort() {
    Container c = container();
    HTTPGetAction ready = c.getReadinessProbe().getHttpGet();
    HTTPGetAction alive = c.getLivenessProbe().getHttpGet();
    HTTPGetAction startup = c.getStartupProbe().getHttpGet();
    assertEquals("/ready", ready.getPath());
    assertEquals("/alive", alive.getPath());
    assertEquals("/alive", startup.getPath());
    for (HTTPGetAction probe : List.of(ready, alive, startup)) {
      assertEquals("management", containerPort(probe.getPort()).getName());
    }
    // The management port the runtime listens on is the one the ConfigMap sets.
    assertEquals(
        Integer.parseInt(configMapData().get("AUTOPILOT_MANAGEMENT_PORT")),
        containerPort("management"));
    assertEquals(
        Integer.parseInt(configMapData().get("AUTOPILOT_REMOTE_PORT")), containerPort("remoting"));
    // Liveness must not kill a node that is still starting: the startup probe covers the start.
    assertTrue(
        c.getStartupProbe().getPeriodSeconds() * c.getStartupProbe().getFailureThreshold() >= 60);
    assertNotNull(c.getResources().getRequests().get("cpu"));
    assertNotNull(c.getResources().getRequests().get("memory"));
    assertEquals(
        c.getResources().getRequests().get("memory"), c.getResources().getLimits().get("memory"));
  }

  @Test
  void bootstrapWaitsForEveryReplicaAndFindsThePodsByLabel() {
    StatefulSet sts = sts();
    Map<String, String> data = configMapData();
    assertEquals("kubernetes", data.get("AUTOPILOT_PROFILE"));
    assertEquals(
        sts.getSpec().getReplicas(),
        Integer.parseInt(data.get("AUTOPILOT_REQUIRED_CONTACT_POINTS")));
    assertEquals(3, sts.getSpec().getReplicas());
    // kubernetes.conf: pod-label-selector = "app=%s" with the service name.
    assertEquals(
        data.get("AUTOPILOT_SERVICE_NAME"),
        sts.getSpec().getTemplate().getMetadata().getLabels().get("app"));
    // All contact points must exist before any node is ready: pods start in parallel.
    assertEquals("Parallel", sts.getSpec().getPodManagementPolicy());
    // The pod's environment carries the ConfigMap and the pod IP (canonical hostname).
    assertTrue(
        container().getEnvFrom().stream()
            .anyMatch(
                e ->
                    e.getConfigMapRef() != null
                        && one(ConfigMap.class)
                            .getMetadata()
                            .getName()
                            .equals(e.getConfigMapRef().getName())));
    assertEquals(
        "status.podIP", env("AUTOPILOT_POD_IP").getValueFrom().getFieldRef().getFieldPath());
  }

  @Test
  void serviceAccountIsThePodsAndItsTokenIsMounted() {
    assertEquals(one(ServiceAccount.class).getMetadata().getName(), pod().getServiceAccountName());
    assertFalse(Boolean.FALSE.equals(pod().getAutomountServiceAccountToken()));
    assertFalse(Boolean.FALSE.equals(one(ServiceAccount.class).getAutomountServiceAccountToken()));
  }

  @Test
  void headlessServiceGovernsTheStatefulSetAndClientServiceExposesOnlyMetrics() {
    StatefulSet sts = sts();
    List<Service> services = all(Service.class);
    List<Service> headless =
        services.stream().filter(s -> "None".equals(s.getSpec().getClusterIP())).toList();
    assertEquals(1, headless.size());
    assertEquals(headless.get(0).getMetadata().getName(), sts.getSpec().getServiceName());
    assertTrue(headless.get(0).getSpec().getPublishNotReadyAddresses());
    assertTrue(
        headless.get(0).getSpec().getPorts() == null
            || headless.get(0).getSpec().getPorts().isEmpty(),
        "the headless Service declares no port: remoting, management and admin are in no Service");
    Map<String, String> podLabels = sts.getSpec().getTemplate().getMetadata().getLabels();
    assertEquals(sts.getSpec().getSelector().getMatchLabels(), podLabels);
    Set<Integer> internal =
        Set.of(containerPort("remoting"), containerPort("management"), containerPort("admin"));
    for (Service s : services) {
      assertTrue(
          podLabels.entrySet().containsAll(s.getSpec().getSelector().entrySet()),
          s.getMetadata().getName() + " does not select the pods");
      for (ServicePort p : s.getSpec().getPorts()) {
        ContainerPort target = containerPort(p.getTargetPort());
        assertEquals(target.getContainerPort(), p.getPort(), s.getMetadata().getName());
        assertFalse(
            internal.contains(target.getContainerPort()),
            s.getMetadata().getName() + " exposes " + target.getName());
      }
    }
    List<Service> clientFacing = services.stream().filter(s -> s != headless.get(0)).toList();
    assertEquals(1, clientFacing.size());
    assertEquals(
        List.of("metrics"),
        clientFacing.get(0).getSpec().getPorts().stream().map(ServicePort::getName).toList());
  }

  @Test
  void disruptionBudgetSelectsThePodsAndKeepsAMajority() {
    StatefulSet sts = sts();
    PodDisruptionBudget pdb = one(PodDisruptionBudget.class);
    Map<String, String> podLabels = sts.getSpec().getTemplate().getMetadata().getLabels();
    assertTrue(
        podLabels.entrySet().containsAll(pdb.getSpec().getSelector().getMatchLabels().entrySet()));
    assertTrue(pdb.getSpec().getSelector().getMatchExpressions().isEmpty());
    int replicas = sts.getSpec().getReplicas();
    IntOrString max = pdb.getSpec().getMaxUnavailable();
    IntOrString min = pdb.getSpec().getMinAvailable();
    assertTrue((max == null) != (min == null), "exactly one of minAvailable, maxUnavailable");
    int disruptions = max != null ? max.getIntVal() : replicas - min.getIntVal();
    assertTrue(disruptions >= 1, "a drain must be able to evict one pod");
    assertTrue(replicas - disruptions > replicas / 2, "the split-brain resolver keeps a majority");
  }

  /** The (apiGroup, resource, verb) triples a set of rules grants; wildcards are refused. */
  private static Set<List<String>> granted(List<PolicyRule> rules) {
    Set<List<String>> out = new HashSet<>();
    for (PolicyRule r : rules) {
      assertTrue(r.getResourceNames().isEmpty() && r.getNonResourceURLs().isEmpty());
      for (String g : r.getApiGroups()) {
        for (String res : r.getResources()) {
          for (String v : r.getVerbs()) {
            assertFalse(g.equals("*") || res.equals("*") || v.equals("*"), "wildcard in " + r);
            assertTrue(out.add(List.of(g, res, v)), "granted twice: " + List.of(g, res, v));
          }
        }
      }
    }
    return out;
  }

  private static Set<List<String>> required(boolean clusterScoped) {
    return RbacRequirements.PERMISSIONS.stream()
        .filter(p -> p.clusterScoped() == clusterScoped)
        .map(p -> List.of(p.apiGroup(), p.resource(), p.verb()))
        .collect(Collectors.toSet());
  }

  @Test
  void rbacGrantsExactlyThePermissionsTheCodeUses() {
    assertEquals(
        RbacRequirements.PERMISSIONS.size(),
        new HashSet<Permission>(RbacRequirements.PERMISSIONS).size());
    Role role = one(Role.class);
    ClusterRole clusterRole = one(ClusterRole.class);
    assertEquals(required(false), granted(role.getRules()));
    assertEquals(required(true), granted(clusterRole.getRules()));

    String sa = one(ServiceAccount.class).getMetadata().getName();
    RoleBinding rb = one(RoleBinding.class);
    assertEquals("Role", rb.getRoleRef().getKind());
    assertEquals(role.getMetadata().getName(), rb.getRoleRef().getName());
    assertEquals(1, rb.getSubjects().size());
    Subject s = rb.getSubjects().get(0);
    assertEquals("ServiceAccount", s.getKind());
    assertEquals(sa, s.getName());

    ClusterRoleBinding crb = one(ClusterRoleBinding.class);
    assertEquals("ClusterRole", crb.getRoleRef().getKind());
    assertEquals(clusterRole.getMetadata().getName(), crb.getRoleRef().getName());
    assertEquals(1, crb.getSubjects().size());
    Subject cs = crb.getSubjects().get(0);
    assertEquals("ServiceAccount", cs.getKind());
    assertEquals(sa, cs.getName());
    // A ClusterRoleBinding subject names its namespace: the one the kustomization deploys into.
    assertEquals(kustomization.get("namespace"), cs.getNamespace());
  }

  @Test
  void journalCredentialsComeFromTheSecretOnly() throws IOException {
    Map<String, String> keys =
        Map.of(
            "AUTOPILOT_DB_URL",
            "url",
            "AUTOPILOT_DB_USER",
            "user",
            "AUTOPILOT_DB_PASSWORD",
            "password");
    Set<String> secretNames = new HashSet<>();
    for (Map.Entry<String, String> k : keys.entrySet()) {
      EnvVar e = env(k.getKey());
      assertNull(e.getValue(), k.getKey() + " has a literal value");
      SecretKeySelector ref = e.getValueFrom().getSecretKeyRef();
      assertNotNull(ref, k.getKey() + " is not a secretKeyRef");
      assertEquals(k.getValue(), ref.getKey());
      assertFalse(Boolean.TRUE.equals(ref.getOptional()), "the journal secret is required");
      secretNames.add(ref.getName());
    }
    assertEquals(1, secretNames.size());
    // No credentials in the ConfigMap, and the Secret itself is not deployed by the kustomization.
    assertTrue(configMapData().keySet().stream().noneMatch(k -> k.startsWith("AUTOPILOT_DB_")));
    assertTrue(all(Secret.class).isEmpty());
    // The documented example has exactly the keys the pods read, under the name they read.
    List<HasMetadata> example = parse(dir.resolve("secret-example.yaml"));
    assertEquals(1, example.size());
    Secret secret = (Secret) example.get(0);
    assertEquals(secretNames.iterator().next(), secret.getMetadata().getName());
    assertEquals(kustomization.get("namespace"), secret.getMetadata().getNamespace());
    assertEquals(new HashSet<>(keys.values()), secret.getStringData().keySet());
    assertTrue(secret.getStringData().get("url").startsWith("jdbc:postgresql:"));
  }

  @Test
  void adminTokensComeFromAnOptionalSecretAndTheAdminApiBindsToThePodIp() throws IOException {
    EnvVar tokens = env("AUTOPILOT_ADMIN_TOKENS");
    assertNull(tokens.getValue(), "admin tokens have a literal value");
    SecretKeySelector ref = tokens.getValueFrom().getSecretKeyRef();
    assertNotNull(ref, "AUTOPILOT_ADMIN_TOKENS is not a secretKeyRef");
    assertEquals("tokens", ref.getKey());
    assertTrue(ref.getOptional(), "without the Secret the admin API is read-only, not failing");
    assertTrue(configMapData().keySet().stream().noneMatch(k -> k.startsWith("AUTOPILOT_ADMIN_T")));
    assertEquals(
        "status.podIP",
        env("AUTOPILOT_ADMIN_INTERFACE").getValueFrom().getFieldRef().getFieldPath());
    List<HasMetadata> example = parse(dir.resolve("secret-admin-example.yaml"));
    assertEquals(1, example.size());
    Secret secret = (Secret) example.get(0);
    assertEquals(ref.getName(), secret.getMetadata().getName());
    assertEquals(kustomization.get("namespace"), secret.getMetadata().getNamespace());
    assertEquals(Set.of("tokens"), secret.getStringData().keySet());
  }

  @Test
  void prometheusAnnotationsPointAtTheMetricsPort() {
    Map<String, String> annotations = sts().getSpec().getTemplate().getMetadata().getAnnotations();
    assertEquals("true", annotations.get("prometheus.io/scrape"));
    assertEquals("/metrics", annotations.get("prometheus.io/path"));
    int port = Integer.parseInt(annotations.get("prometheus.io/port"));
    assertEquals(port, containerPort("metrics"));
    assertEquals(port, Integer.parseInt(configMapData().get("AUTOPILOT_METRICS_PORT")));
  }

  @Test
  void podRunsAsNonRootWithAReadOnlyRootFileSystem() {
    assertTrue(pod().getSecurityContext().getRunAsNonRoot());
    assertTrue(pod().getSecurityContext().getRunAsUser() > 0);
    var sc = container().getSecurityContext();
    assertFalse(sc.getAllowPrivilegeEscalation());
    assertTrue(sc.getReadOnlyRootFilesystem());
    assertEquals(List.of("ALL"), sc.getCapabilities().getDrop());
    // Every mount is backed by a declared volume (the writable scratch space).
    Set<String> volumes = new HashSet<>();
    pod().getVolumes().forEach(v -> volumes.add(v.getName()));
    container()
        .getVolumeMounts()
        .forEach(m -> assertTrue(volumes.contains(m.getName()), "no volume " + m.getName()));
    assertTrue(
        container().getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")),
        "/tmp must be writable");
  }

  @Test
  void dockerImageMatchesThePodSpec() throws IOException {
    // Surefire runs in the module directory; the Dockerfile is at the repository root.
    String docker = Files.readString(Path.of("..", "Dockerfile"));
    Matcher user = Pattern.compile("(?m)^USER (\\d+):(\\d+)$").matcher(docker);
    assertTrue(user.find(), "USER uid:gid");
    assertEquals(Long.parseLong(user.group(1)), pod().getSecurityContext().getRunAsUser());
    assertEquals(Long.parseLong(user.group(2)), pod().getSecurityContext().getRunAsGroup());
    Matcher expose = Pattern.compile("(?m)^EXPOSE (.+)$").matcher(docker);
    assertTrue(expose.find());
    assertEquals(
        container().getPorts().stream()
            .map(ContainerPort::getContainerPort)
            .collect(Collectors.toSet()),
        Stream.of(expose.group(1).trim().split("\\s+"))
            .map(Integer::valueOf)
            .collect(Collectors.toSet()));
    // Every directory the image writes to is a mounted volume (the root file system is read-only).
    Set<String> mounts =
        container().getVolumeMounts().stream()
            .map(m -> m.getMountPath())
            .collect(Collectors.toSet());
    Matcher workdir = Pattern.compile("(?m)^WORKDIR (\\S+)$").matcher(docker);
    assertTrue(workdir.find());
    assertTrue(mounts.contains(workdir.group(1)), "WORKDIR " + workdir.group(1));
    Matcher cache = Pattern.compile("AUTOPILOT_CACHE_DIR=(\\S+)").matcher(docker);
    assertTrue(cache.find());
    assertTrue(mounts.contains(cache.group(1)), "AUTOPILOT_CACHE_DIR " + cache.group(1));
    assertTrue(docker.contains("\"-Djava.io.tmpdir=/tmp\"") && mounts.contains("/tmp"));
    assertTrue(docker.contains("\"-Dai.djl.offline=true\""));
    assertTrue(docker.contains("\"-jar\", \"/opt/autopilot/autopilot.jar\""));
    assertTrue(docker.contains("COPY agent-runtime/target/autopilot.jar"));
    assertTrue(docker.contains("CMD [\"serve\"]"));
    assertEquals(List.of("serve"), container().getArgs());
  }
}
