package dev.autopilot.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autopilot.api.Action;
import dev.autopilot.api.ActuationResult;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.Platform;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.PlatformException.Kind;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.retry.Retrier;
import dev.autopilot.k8s.FlinkSpecs.OperatorVertices;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.FlinkDeploymentSpec;
import org.apache.flink.kubernetes.operator.api.spec.KubernetesDeploymentMode;
import org.apache.flink.kubernetes.operator.api.spec.UpgradeMode;
import org.apache.flink.kubernetes.operator.api.status.Savepoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Platform} of pipelines run by the Flink Kubernetes Operator: one pipeline per
 * FlinkDeployment (its name) in the configured namespace that carries the configured labels.
 *
 * <p><b>Observe.</b> The configuration comes from the FlinkDeployment's last reconciled spec (what
 * the operator runs; the spec before the first reconciliation), read as {@link FlinkSpecs}
 * documents; the metrics from a {@link FlinkTelemetry} source pointed at the deployment's REST
 * endpoint, with pod and node state added by {@link PodTelemetry}.
 *
 * <p><b>Apply.</b> The desired configuration is compared with the one the spec declares, field by
 * field, and only the differing fields are written, in one JSON merge patch of the spec carrying
 * the resourceVersion it was computed from; nothing is sent when nothing differs ({@code
 * UNCHANGED}), as the operator's own scaling realizer does. In <em>standalone</em> mode ({@code
 * spec.mode: standalone}, the operator's standalone FlinkDeployments, typically with the reactive
 * scheduler) the TaskManager count is also set directly on the {@code <name>-taskmanager}
 * Deployment through its scale subresource, and observed from it; plain standalone clusters without
 * a FlinkDeployment are not managed.
 *
 * <p><b>Recover.</b> Each recovery action runs once per action id: executed ids are remembered in
 * an annotation of the FlinkDeployment (written in the same patch as the action when the action is
 * a patch), so a repeated id answers {@code DUPLICATE}, also after a restart of the runtime.
 *
 * <table>
 *   <caption>Recovery actions</caption>
 *   <tr><th>action</th><th>what it does</th></tr>
 *   <tr><td>RestartTask, Reconnect</td><td>bump {@code spec.restartNonce}: the operator restarts
 *       the job from its latest checkpoint/savepoint (per upgradeMode); the operator has no
 *       narrower restart, and a restart reopens every connection</td></tr>
 *   <tr><td>ExpandBuffers</td><td>network memory min = max = toMb (a spec change)</td></tr>
 *   <tr><td>RedeployOperator</td><td>the operator's vertex override (a spec change)</td></tr>
 *   <tr><td>RestoreCheckpoint(n)</td><td>{@code job.initialSavepointPath} = the savepoint n
 *       before the latest in {@code status.jobStatus.savepointInfo.savepointHistory}, and bump
 *       {@code job.savepointRedeployNonce}; REJECTED when the history is shorter (older
 *       checkpoints are only known to Flink's REST API)</td></tr>
 *   <tr><td>Redistribute(node)</td><td>cordon the node and evict this pipeline's pods on it;
 *       REJECTED without a node (the scheduler places pods)</td></tr>
 *   <tr><td>FullRestart(config)</td><td>the config's spec changes and a restartNonce bump, in one
 *       patch</td></tr>
 *   <tr><td>DrainNode(node)</td><td>cordon the node and evict every managed pipeline's pods on it
 *       (see {@link NodeDrainer})</td></tr>
 *   <tr><td>Failover</td><td>bump restartNonce (the operator tears the cluster down and redeploys
 *       from the latest checkpoint); REJECTED for upgradeMode stateless, which would lose the
 *       state</td></tr>
 * </table>
 *
 * <p><b>Errors</b> are typed as {@link KubernetesErrors} lists; 5xx, 429 and timeouts are retried
 * with backoff through a shared {@link Retrier} bounded per call and per minute, and a 409 is
 * retried after re-reading the FlinkDeployment, then reported as {@link Kind#CONFLICT}. Every
 * request is bounded by the client's connection plus request timeout, its body included ({@link
 * KubeCalls}). The permissions it uses are {@link RbacRequirements#PERMISSIONS}' "platform"
 * entries.
 *
 * <p>Thread-safe; calls block (actors call it on a dedicated dispatcher).
 */
public final class KubernetesPlatform implements Platform, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesPlatform.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REMEMBERED_LOCALLY = 10_000;

  private final KubernetesClient client;
  private final KubernetesSettings settings;
  private final FlinkTelemetry telemetry;
  private final KubeCalls calls;
  private final PodTelemetry pods;
  private final NodeDrainer drainer;
  private final Set<String> executed = new LinkedHashSet<>();
  private boolean ownsClient;

  /**
   * A platform with a client of its own, configured as fabric8 finds it (in-cluster service account
   * or kubeconfig) with fabric8's retries off; {@link #close()} closes that client. The runtime
   * connects through this, so no other module touches fabric8.
   */
  public static KubernetesPlatform connect(KubernetesSettings settings, FlinkTelemetry telemetry) {
    KubernetesClient own = clientBuilder().build();
    try {
      KubernetesPlatform platform = new KubernetesPlatform(own, settings, telemetry);
      platform.ownsClient = true;
      return platform;
    } catch (RuntimeException e) {
      own.close();
      throw e;
    }
  }

  /**
   * A client builder for this platform: configured as fabric8 finds it (in-cluster service account
   * or kubeconfig), with fabric8's own request retries off, since the platform retries through its
   * bounded {@link Retrier} and both together would multiply the attempts past the per-minute
   * bound.
   */
  public static KubernetesClientBuilder clientBuilder() {
    return clientBuilder(Config.autoConfigure(null));
  }

  /** A client builder on {@code base} with fabric8's own request retries off. */
  public static KubernetesClientBuilder clientBuilder(Config base) {
    return new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(base).withRequestRetryBackoffLimit(0).build());
  }

  /**
   * A platform on the system clock, retrying as the settings say.
   *
   * @param client a client built by {@link #clientBuilder()} (fabric8's own retries off)
   * @throws IllegalArgumentException when the client retries by itself
   */
  public KubernetesPlatform(
      KubernetesClient client, KubernetesSettings settings, FlinkTelemetry telemetry) {
    this(
        client, settings, telemetry, Retrier.of(settings.retry()), Retrier.of(settings.eviction()));
  }

  /**
   * @param apiRetrier retries of API calls, shared by all calls of this platform
   * @param evictionRetrier retries of evictions refused by a PodDisruptionBudget
   */
  public KubernetesPlatform(
      KubernetesClient client,
      KubernetesSettings settings,
      FlinkTelemetry telemetry,
      Retrier apiRetrier,
      Retrier evictionRetrier) {
    this.client = Objects.requireNonNull(client, "client");
    Integer ownRetries = client.getConfiguration().getRequestRetryBackoffLimit();
    if (ownRetries != null && ownRetries > 0) {
      throw new IllegalArgumentException(
          "the KubernetesClient retries requests itself (requestRetryBackoffLimit="
              + ownRetries
              + "), which would multiply the platform's bounded retries; build it with"
              + " KubernetesPlatform.clientBuilder()");
    }
    this.settings = Objects.requireNonNull(settings, "settings");
    this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    this.calls = new KubeCalls(client, Objects.requireNonNull(apiRetrier, "apiRetrier"));
    this.pods = new PodTelemetry(client, calls, settings);
    this.drainer =
        new NodeDrainer(
            client,
            calls,
            Objects.requireNonNull(evictionRetrier, "evictionRetrier"),
            settings.namespace());
  }

  /**
   * Closes the client when the platform made it ({@link #connect}); a given client is the caller's.
   */
  @Override
  public void close() {
    if (ownsClient) {
      client.close();
    }
  }

  // ------------------------------------------------------------------------------ observe

  @Override
  public Set<String> pipelines() {
    String ns = settings.namespace();
    List<FlinkDeployment> items =
        calls.call(
            "list flinkdeployments " + ns + selectorSuffix(),
            () -> {
              var op = deployments().inNamespace(ns);
              return (settings.labelSelector().isEmpty()
                      ? op
                      : op.withLabels(settings.labelSelector()))
                  .list()
                  .getItems();
            });
    Set<String> names = new TreeSet<>();
    for (FlinkDeployment fd : items) {
      if (managed(fd)) {
        names.add(fd.getMetadata().getName());
      }
    }
    return names;
  }

  @Override
  public TelemetrySnapshot observe(String pipelineId) {
    FlinkDeployment fd = calls.call(getWhat(pipelineId), () -> fetchOnce(pipelineId));
    String what = describe(pipelineId);
    FlinkDeploymentSpec running = runningSpec(what, fd);
    Integer taskManagers = null;
    if (standalone(fd.getSpec())) {
      try {
        taskManagers = calls.call(scaleWhat(pipelineId, "get"), () -> scaleReplicas(pipelineId));
      } catch (PlatformException e) {
        if (e.kind() != Kind.NOT_FOUND) {
          throw e;
        }
        LOG.debug("{}: no TaskManager Deployment yet; TaskManagers from the spec", what);
      }
    }
    PipelineConfig config = FlinkSpecs.configOf(what, running, vertices(what, fd), taskManagers);
    String jobId =
        fd.getStatus() == null || fd.getStatus().getJobStatus() == null
            ? null
            : fd.getStatus().getJobStatus().getJobId();
    FlinkTelemetry.Target target =
        new FlinkTelemetry.Target(
            pipelineId, settings.namespace(), settings.restEndpointOf(pipelineId), jobId, config);
    TelemetrySnapshot s = telemetry.observe(target);
    if (s == null) {
      throw new PlatformException(
          Kind.MALFORMED_RESPONSE, "Flink telemetry of " + what + " returned nothing");
    }
    return new TelemetrySnapshot(
        pipelineId,
        s.tick(),
        s.eventTimeMillis(),
        s.taskManagers() == null ? null : pods.enrich(pipelineId, s.taskManagers()),
        s.operators(),
        s.checkpoints(),
        s.job(),
        config);
  }

  // ------------------------------------------------------------------------------ apply

  @Override
  public ActuationResult apply(String pipelineId, PipelineConfig desired) {
    String what = describe(pipelineId);
    if (desired == null) {
      throw new PlatformException(Kind.REJECTED, "apply to " + what + ": no configuration");
    }
    List<String> errors = desired.structuralErrors();
    if (!errors.isEmpty()) {
      throw new PlatformException(
          Kind.REJECTED, "apply to " + what + " rejected: " + String.join("; ", errors));
    }
    return calls.callRereading("apply to " + what, () -> applyOnce(pipelineId, desired));
  }

  private ActuationResult applyOnce(String pipelineId, PipelineConfig desired) {
    String what = describe(pipelineId);
    FlinkDeployment fd = fetchOnce(pipelineId);
    FlinkDeploymentSpec spec = fd.getSpec();
    OperatorVertices ops = vertices(what, fd);
    PipelineConfig declared = FlinkSpecs.configOf(what, spec, ops, null);
    checkOperators(what, declared, desired);
    Map<String, Object> specPatch = FlinkSpecs.specPatch(what, spec, ops, declared, desired);
    Integer scaled = null;
    if (standalone(spec)) {
      int replicas = calls.once(scaleWhat(pipelineId, "get"), () -> scaleReplicas(pipelineId));
      if (replicas != desired.taskManagers()) {
        scaled = replicas;
      }
    }
    if (specPatch.isEmpty() && scaled == null) {
      return ActuationResult.unchanged(what + " already declares " + desired.summary());
    }
    List<String> changes = new ArrayList<>();
    if (!specPatch.isEmpty()) {
      patchDeployment(fd, specPatch, null);
      changes.add("spec " + specPatch);
    }
    if (scaled != null) {
      scaleTaskManagers(pipelineId, desired.taskManagers());
      changes.add("TaskManager Deployment replicas " + scaled + " -> " + desired.taskManagers());
    }
    int settle = specPatch.isEmpty() ? settings.settle().scale() : settings.settle().specChange();
    return ActuationResult.applied(what + ": " + String.join("; ", changes), settle);
  }

  // ------------------------------------------------------------------------------ recover

  @Override
  public ActuationResult recover(String pipelineId, String actionId, Action.RecoveryAction action) {
    String what = describe(pipelineId);
    if (actionId == null || actionId.isBlank()) {
      throw new PlatformException(Kind.REJECTED, "recover on " + what + ": no action id");
    }
    if (action == null) {
      throw new PlatformException(Kind.REJECTED, "recover on " + what + ": no action");
    }
    String key = pipelineId + "\n" + actionId;
    synchronized (executed) {
      if (executed.contains(key)) {
        return ActuationResult.duplicate(
            action.describe() + " (" + actionId + ") already executed");
      }
    }
    ActuationResult result;
    if (action instanceof Action.DrainNode d) {
      result = drain(pipelineId, actionId, action, d.nodeId(), true);
    } else if (action instanceof Action.Redistribute r) {
      if (r.fromNode() == null || r.fromNode().isBlank()) {
        throw new PlatformException(
            Kind.REJECTED,
            "recover on "
                + what
                + ": redistribute without a node is not supported; the"
                + " Kubernetes scheduler places pods (name the node to move away from)");
      }
      result = drain(pipelineId, actionId, action, r.fromNode(), false);
    } else {
      result =
          calls.callRereading(
              "recover on " + what + ": " + action.describe(),
              () -> recoverByPatch(pipelineId, actionId, action));
    }
    remember(key);
    return result;
  }

  private ActuationResult recoverByPatch(
      String pipelineId, String actionId, Action.RecoveryAction action) {
    String what = describe(pipelineId);
    FlinkDeployment fd = fetchOnce(pipelineId);
    if (remembered(fd, actionId)) {
      return ActuationResult.duplicate(action.describe() + " (" + actionId + ") already executed");
    }
    FlinkDeploymentSpec spec = fd.getSpec();
    OperatorVertices ops = vertices(what, fd);
    PipelineConfig declared = FlinkSpecs.configOf(what, spec, ops, null);
    Map<String, Object> patch = new TreeMap<>();
    int settle = settings.settle().specChange();
    if (action instanceof Action.RestartTask || action instanceof Action.Reconnect) {
      patch.put("restartNonce", nextNonce(spec.getRestartNonce()));
      settle = settings.settle().restart();
    } else if (action instanceof Action.Failover) {
      UpgradeMode mode = spec.getJob().getUpgradeMode();
      if (mode == null || mode == UpgradeMode.STATELESS) {
        throw new PlatformException(
            Kind.REJECTED,
            "recover on "
                + what
                + ": fail over needs upgradeMode savepoint or last-state, the"
                + " deployment is stateless and would restart without its state");
      }
      patch.put("restartNonce", nextNonce(spec.getRestartNonce()));
      settle = settings.settle().restart();
    } else if (action instanceof Action.FullRestart f) {
      if (f.config() != null) {
        List<String> errors = f.config().structuralErrors();
        if (!errors.isEmpty()) {
          throw new PlatformException(
              Kind.REJECTED, "full restart of " + what + " rejected: " + String.join("; ", errors));
        }
        checkOperators(what, declared, f.config());
        patch.putAll(FlinkSpecs.specPatch(what, spec, ops, declared, f.config()));
      }
      patch.put("restartNonce", nextNonce(spec.getRestartNonce()));
      settle = Math.max(settings.settle().restart(), settings.settle().specChange());
    } else if (action instanceof Action.ExpandBuffers b) {
      if (b.toMb() <= 0) {
        throw new PlatformException(
            Kind.REJECTED, "recover on " + what + ": buffers must be > 0 MB, got " + b.toMb());
      }
      patch.putAll(
          FlinkSpecs.specPatch(what, spec, ops, declared, declared.withNetworkBufferMb(b.toMb())));
    } else if (action instanceof Action.RedeployOperator r) {
      if (!declared.parallelism().containsKey(r.operatorId())) {
        throw new PlatformException(
            Kind.REJECTED, "recover on " + what + ": unknown operator " + r.operatorId());
      }
      if (r.parallelism() < 1) {
        throw new PlatformException(
            Kind.REJECTED,
            "recover on " + what + ": parallelism must be >= 1, got " + r.parallelism());
      }
      PipelineConfig target = declared.withParallelism(Map.of(r.operatorId(), r.parallelism()));
      patch.putAll(FlinkSpecs.specPatch(what, spec, ops, declared, target));
    } else if (action instanceof Action.RestoreCheckpoint r) {
      Savepoint sp = savepointBack(what, fd, r.checkpointsBack());
      Map<String, Object> job = FlinkSpecs.child(patch, "job");
      job.put("initialSavepointPath", sp.getLocation());
      job.put("savepointRedeployNonce", nextNonce(spec.getJob().getSavepointRedeployNonce()));
    } else {
      throw new PlatformException(
          Kind.REJECTED, "recover on " + what + ": unsupported action " + action.describe());
    }
    patchDeployment(fd, patch, actionId);
    if (patch.isEmpty()) {
      return ActuationResult.unchanged(what + " already runs what " + action.describe() + " asks");
    }
    return ActuationResult.applied(what + ": " + action.describe() + " via spec " + patch, settle);
  }

  private ActuationResult drain(
      String pipelineId, String actionId, Action.RecoveryAction action, String node, boolean all) {
    String what = describe(pipelineId);
    FlinkDeployment fd = calls.call(getWhat(pipelineId), () -> fetchOnce(pipelineId));
    if (remembered(fd, actionId)) {
      return ActuationResult.duplicate(action.describe() + " (" + actionId + ") already executed");
    }
    List<String> targets = all ? new ArrayList<>(pipelines()) : List.of(pipelineId);
    NodeDrainer.Outcome outcome = drainer.drain(node, targets);
    calls.callRereading(
        "record " + actionId + " on " + what,
        () -> {
          patchDeployment(fetchOnce(pipelineId), Map.of(), actionId);
          return null;
        });
    return ActuationResult.applied(
        what
            + ": "
            + (outcome.cordoned() ? "cordoned" : "already cordoned")
            + " node "
            + node
            + ", evicted "
            + outcome.evicted()
            + (outcome.blockedAttempts() == 0
                ? ""
                : " ("
                    + outcome.blockedAttempts()
                    + " evictions refused by a PodDisruptionBudget and retried)"),
        settings.settle().drain());
  }

  // ------------------------------------------------------------------------------ helpers

  private MixedOperation<
          FlinkDeployment, KubernetesResourceList<FlinkDeployment>, Resource<FlinkDeployment>>
      deployments() {
    return client.resources(FlinkDeployment.class);
  }

  /** One GET of the FlinkDeployment; UNKNOWN_PIPELINE when absent or not managed. */
  private FlinkDeployment fetchOnce(String pipelineId) {
    if (pipelineId == null || pipelineId.isBlank()) {
      throw new PlatformException(Kind.UNKNOWN_PIPELINE, "no pipeline id");
    }
    String what = getWhat(pipelineId);
    FlinkDeployment fd;
    try {
      fd =
          calls.once(
              what,
              () -> deployments().inNamespace(settings.namespace()).withName(pipelineId).get());
    } catch (PlatformException e) {
      if (e.kind() == Kind.NOT_FOUND) {
        fd = null;
      } else {
        throw e;
      }
    }
    if (fd == null || !managed(fd)) {
      throw new PlatformException(
          Kind.UNKNOWN_PIPELINE,
          "unknown pipeline '"
              + pipelineId
              + "': no FlinkDeployment "
              + describe(pipelineId)
              + (settings.labelSelector().isEmpty()
                  ? ""
                  : " labelled " + settings.labelSelectorString()));
    }
    if (fd.getSpec() == null) {
      throw new PlatformException(Kind.MALFORMED_RESPONSE, describe(pipelineId) + " has no spec");
    }
    return fd;
  }

  private boolean managed(FlinkDeployment fd) {
    Map<String, String> labels =
        fd.getMetadata().getLabels() == null ? Map.of() : fd.getMetadata().getLabels();
    return settings.labelSelector().entrySet().stream()
        .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  /** Merge-patches the FlinkDeployment at the resourceVersion it was read at. */
  private void patchDeployment(FlinkDeployment fd, Map<String, Object> specPatch, String actionId) {
    String name = fd.getMetadata().getName();
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("resourceVersion", fd.getMetadata().getResourceVersion());
    if (actionId != null) {
      List<String> ids = rememberedIds(fd);
      ids.remove(actionId);
      ids.add(actionId);
      while (ids.size() > settings.rememberedActions()) {
        ids.remove(0);
      }
      try {
        metadata.put(
            "annotations",
            Map.of(settings.recoveryActionsAnnotation(), JSON.writeValueAsString(ids)));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("metadata", metadata);
    if (!specPatch.isEmpty()) {
      root.put("spec", specPatch);
    }
    String json = client.getKubernetesSerialization().asJson(root);
    calls.once(
        "patch flinkdeployments " + settings.namespace() + "/" + name,
        () ->
            // on the object just read: fabric8 would GET it again for a bare name
            deployments()
                .inNamespace(settings.namespace())
                .resource(fd)
                .patch(PatchContext.of(PatchType.JSON_MERGE), json));
  }

  private boolean remembered(FlinkDeployment fd, String actionId) {
    return rememberedIds(fd).contains(actionId);
  }

  private List<String> rememberedIds(FlinkDeployment fd) {
    Map<String, String> annotations = fd.getMetadata().getAnnotations();
    String value =
        annotations == null ? null : annotations.get(settings.recoveryActionsAnnotation());
    if (value == null || value.isBlank()) {
      return new ArrayList<>();
    }
    try {
      return new ArrayList<>(JSON.readValue(value, new TypeReference<List<String>>() {}));
    } catch (JsonProcessingException e) {
      LOG.warn(
          "{}: annotation {} is not a JSON list of action ids; starting a new one",
          describe(fd.getMetadata().getName()),
          settings.recoveryActionsAnnotation());
      return new ArrayList<>();
    }
  }

  private void remember(String key) {
    synchronized (executed) {
      executed.add(key);
      if (executed.size() > MAX_REMEMBERED_LOCALLY) {
        executed.remove(executed.iterator().next());
      }
    }
  }

  private FlinkDeploymentSpec runningSpec(String what, FlinkDeployment fd) {
    if (fd.getStatus() == null
        || fd.getStatus().getReconciliationStatus() == null
        || fd.getStatus().getReconciliationStatus().getLastReconciledSpec() == null) {
      return fd.getSpec();
    }
    try {
      FlinkDeploymentSpec spec =
          (FlinkDeploymentSpec)
              fd.getStatus().getReconciliationStatus().deserializeLastReconciledSpec();
      return spec == null ? fd.getSpec() : spec;
    } catch (RuntimeException e) {
      throw new PlatformException(
          Kind.MALFORMED_RESPONSE,
          what
              + ": status.reconciliationStatus.lastReconciledSpec is unparseable: "
              + e.getMessage(),
          e);
    }
  }

  private OperatorVertices vertices(String what, FlinkDeployment fd) {
    Map<String, String> annotations = fd.getMetadata().getAnnotations();
    return OperatorVertices.parse(
        what, annotations == null ? null : annotations.get(settings.operatorVerticesAnnotation()));
  }

  private void checkOperators(String what, PipelineConfig declared, PipelineConfig desired) {
    Set<String> unknown = new TreeSet<>(desired.parallelism().keySet());
    unknown.removeAll(declared.parallelism().keySet());
    if (!unknown.isEmpty()) {
      throw new PlatformException(
          Kind.REJECTED,
          what
              + ": unknown operator(s) "
              + unknown
              + "; the deployment runs "
              + declared.parallelism().keySet()
              + " (annotation "
              + settings.operatorVerticesAnnotation()
              + ")");
    }
    Set<String> missing = new TreeSet<>(declared.parallelism().keySet());
    missing.removeAll(desired.parallelism().keySet());
    if (!missing.isEmpty()) {
      throw new PlatformException(
          Kind.REJECTED, what + ": the configuration lacks operator(s) " + missing);
    }
  }

  private static boolean standalone(FlinkDeploymentSpec spec) {
    return spec != null && spec.getMode() == KubernetesDeploymentMode.STANDALONE;
  }

  private int scaleReplicas(String pipelineId) {
    Scale scale =
        client
            .apps()
            .deployments()
            .inNamespace(settings.namespace())
            .withName(taskManagerDeployment(pipelineId))
            .scale();
    if (scale == null || scale.getSpec() == null || scale.getSpec().getReplicas() == null) {
      throw new PlatformException(
          Kind.MALFORMED_RESPONSE, scaleWhat(pipelineId, "get") + ": no spec.replicas");
    }
    return scale.getSpec().getReplicas();
  }

  private void scaleTaskManagers(String pipelineId, int replicas) {
    String path =
        "/apis/apps/v1/namespaces/"
            + settings.namespace()
            + "/deployments/"
            + taskManagerDeployment(pipelineId)
            + "/scale";
    calls.mergePatchRaw(
        scaleWhat(pipelineId, "patch"), path, "{\"spec\":{\"replicas\":" + replicas + "}}");
  }

  private static String taskManagerDeployment(String pipelineId) {
    return pipelineId + "-taskmanager";
  }

  private Savepoint savepointBack(String what, FlinkDeployment fd, int back) {
    List<Savepoint> history = new ArrayList<>();
    if (fd.getStatus() != null
        && fd.getStatus().getJobStatus() != null
        && fd.getStatus().getJobStatus().getSavepointInfo() != null
        && fd.getStatus().getJobStatus().getSavepointInfo().getSavepointHistory() != null) {
      history.addAll(fd.getStatus().getJobStatus().getSavepointInfo().getSavepointHistory());
    }
    history.removeIf(s -> s == null || s.getLocation() == null);
    history.sort(Comparator.comparingLong(Savepoint::getTimeStamp).reversed());
    if (back < 0 || back >= history.size()) {
      throw new PlatformException(
          Kind.REJECTED,
          what
              + ": cannot restore the snapshot "
              + back
              + " before the latest: the operator's"
              + " savepoint history holds "
              + history.size()
              + " (older checkpoints are known only"
              + " to Flink's REST API)");
    }
    return history.get(back);
  }

  private static long nextNonce(Long current) {
    return current == null ? 1L : current + 1;
  }

  private String describe(String name) {
    return "FlinkDeployment " + settings.namespace() + "/" + name;
  }

  private String getWhat(String name) {
    return "get flinkdeployments " + settings.namespace() + "/" + name;
  }

  private String scaleWhat(String pipelineId, String verb) {
    return verb
        + " deployments/scale "
        + settings.namespace()
        + "/"
        + taskManagerDeployment(pipelineId);
  }

  private String selectorSuffix() {
    return settings.labelSelector().isEmpty() ? "" : " labelled " + settings.labelSelectorString();
  }
}
