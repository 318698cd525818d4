package dev.autopilot.runtime.flink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autopilot.api.Action;
import dev.autopilot.api.ActuationResult;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.Platform;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.PlatformException.Kind;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.runtime.flink.FlinkSnapshotMapper.Counters;
import dev.autopilot.runtime.flink.FlinkSnapshotMapper.Mapped;
import dev.autopilot.runtime.flink.FlinkSnapshotMapper.Reading;
import dev.autopilot.runtime.flink.FlinkSnapshotMapper.TaskManagerReading;
import dev.autopilot.runtime.flink.FlinkSnapshotMapper.VertexReading;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.JobID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives a real Flink cluster (1.17 or later) through the JobManager's REST API (DESIGN.md section
 * 5). Each pipeline is one Flink job, found by its job name; when several jobs carry the name, the
 * newest that is not terminal is the pipeline's.
 *
 * <p><b>Observe</b> reads the job and its vertices, per-vertex subtask metrics (records in and out
 * as counters, busy, backpressured and idle time, the source's {@code pendingRecords}), the
 * checkpoint statistics and configuration, and the TaskManagers and their metrics, and maps them
 * with {@link FlinkSnapshotMapper} (rates from counter differences; what REST does not give is
 * marked absent). Flink's REST metric values come from a store its JobManager refreshes on demand,
 * asynchronously, at most once per {@code metrics.fetcher.update-interval}; an observation starts a
 * refresh with its first metrics request and waits {@code metrics-fetch-wait} before reading.
 *
 * <p><b>Apply</b> is declarative: it reads the running configuration, does nothing when it equals
 * the desired one, and otherwise realizes the difference. A parallelism change goes to the adaptive
 * scheduler ({@code PUT /jobs/:jid/resource-requirements} listing every vertex; the cluster needs
 * {@code jobmanager.scheduler: adaptive}). A checkpoint interval change needs a new submission:
 * stop-with-savepoint and resubmit through the {@link FlinkJobLauncher}. TaskManager count, CPU,
 * memory, slots and network buffers are cluster settings: they are applied the same way only when
 * the launcher {@linkplain FlinkJobLauncher#provisionsTaskManagers() provisions TaskManagers}, and
 * rejected otherwise. Without a launcher the platform does not own the job and rejects whatever
 * needs a resubmission.
 *
 * <p><b>Recover</b> runs each action id once (repeats answer DUPLICATE; the last {@code
 * remembered-actions} ids are kept). Savepoint and stop triggers carry a {@code triggerId} derived
 * from the action, so a repeated trigger joins the same Flink operation. What REST can do:
 *
 * <table>
 *   <caption>Recovery actions on Flink REST</caption>
 *   <tr><th>action</th><th>what happens</th><th>needs</th></tr>
 *   <tr><td>RestartTask(op)</td><td>cancel the job and resubmit it from its latest retained
 *       checkpoint (or newer savepoint); REST cannot restart single tasks, and Flink's own
 *       failover already restarts failed regions</td><td>launcher, retained checkpoints</td></tr>
 *   <tr><td>RedeployOperator(op, p)</td><td>rescale that vertex to p through the adaptive
 *       scheduler (a restart from the latest checkpoint inside the job)</td><td>adaptive
 *       scheduler</td></tr>
 *   <tr><td>RestoreCheckpoint(n)</td><td>cancel and resubmit from the completed checkpoint n
 *       before the latest, if Flink still retains it</td><td>launcher, retained checkpoints</td></tr>
 *   <tr><td>FullRestart(config)</td><td>stop-with-savepoint (cancel and latest checkpoint when the
 *       job is not running) and resubmit with the given or current configuration</td>
 *       <td>launcher</td></tr>
 *   <tr><td>ExpandBuffers(from, to)</td><td>apply the configuration with {@code to} MB of network
 *       buffers</td><td>a launcher that provisions TaskManagers</td></tr>
 *   <tr><td>Reconnect, Redistribute, DrainNode, Failover</td><td>REJECTED: REST has no handle on
 *       connections, nodes or standby clusters; the KubernetesPlatform does these</td><td>-</td></tr>
 * </table>
 *
 * <p>Failures are {@link PlatformException}s (see {@link FlinkRestClient} for the HTTP mapping):
 * UNKNOWN_PIPELINE for a pipeline this platform does not run, NOT_FOUND when no job carries its
 * name, REJECTED for a configuration or action it cannot realize. Calls on one pipeline are
 * serialized.
 */
public final class FlinkRestPlatform implements Platform {

  private static final Logger log = LoggerFactory.getLogger(FlinkRestPlatform.class);

  /** What the platform keeps per pipeline between calls. */
  private static final class PipelineState {
    long tick;
    Optional<Counters> counters = Optional.empty();
    Optional<PipelineConfig> lastConfig = Optional.empty();
    Optional<String> ownedJobId = Optional.empty();
    Optional<String> pendingRestore = Optional.empty();
    final Map<String, Optional<String>> pendingMetric = new HashMap<>();
    final Map<String, List<String>> taskManagerMetricNames = new HashMap<>();
    final LinkedHashSet<String> completedActions = new LinkedHashSet<>();
  }

  /** The job a pipeline runs as, from the jobs overview. */
  private record JobRef(String jobId, String status) {}

  /**
   * Job name that matches whatever job the cluster runs: for a cluster that runs one pipeline's job
   * only (a Flink Kubernetes Operator deployment in application mode). A running job beats a
   * finished one, and among equals the newest.
   */
  public static final String ANY_JOB = "*";

  private final FlinkRestSettings settings;
  private final FlinkRestClient client;
  private final Map<String, String> jobNames;
  private final FlinkJobLauncher launcher;
  private final Clock clock;
  private final Map<String, PipelineState> states = new ConcurrentHashMap<>();

  /**
   * @param settings the platform's settings
   * @param client the REST client (its retrier bounds all calls)
   * @param jobNames Flink job name of each pipeline, by pipeline id
   * @param launcher submits the pipelines' jobs; null when the platform does not own them
   * @param clock wall clock of observations (rates divide by its differences)
   */
  public FlinkRestPlatform(
      FlinkRestSettings settings,
      FlinkRestClient client,
      Map<String, String> jobNames,
      FlinkJobLauncher launcher,
      Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.client = Objects.requireNonNull(client, "client");
    this.jobNames = Map.copyOf(Objects.requireNonNull(jobNames, "jobNames"));
    if (this.jobNames.isEmpty()) {
      throw new IllegalArgumentException("a Flink REST platform runs at least one pipeline");
    }
    this.launcher = launcher;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.jobNames.keySet().forEach(p -> states.put(p, new PipelineState()));
  }

  /**
   * A platform on the system clock with its own REST client.
   *
   * @param jobNames Flink job name of each pipeline, by pipeline id
   * @param launcher submits the pipelines' jobs, or null to only observe, rescale and take
   *     savepoints
   */
  public static FlinkRestPlatform create(
      FlinkRestSettings settings, Map<String, String> jobNames, FlinkJobLauncher launcher) {
    return new FlinkRestPlatform(
        settings, FlinkRestClient.create(settings), jobNames, launcher, Clock.systemUTC());
  }

  /** The REST client (its retrier counts retries and refusals). */
  public FlinkRestClient client() {
    return client;
  }

  @Override
  public Set<String> pipelines() {
    return jobNames.keySet();
  }

  // ------------------------------------------------------------------------------ observe

  @Override
  public TelemetrySnapshot observe(String pipelineId) {
    PipelineState st = state(pipelineId);
    synchronized (st) {
      JobRef job = findJob(pipelineId, st);
      Reading reading = read(pipelineId, st, job, st.tick + 1, true);
      Mapped mapped = FlinkSnapshotMapper.map(reading, st.counters);
      TelemetrySnapshot snapshot = mapped.snapshot();
      PipelineConfig config = provisioned(FlinkSnapshotMapper.config(reading, st.lastConfig));
      if (!config.equals(snapshot.config())) {
        snapshot =
            new TelemetrySnapshot(
                snapshot.pipelineId(),
                snapshot.tick(),
                snapshot.eventTimeMillis(),
                snapshot.taskManagers(),
                snapshot.operators(),
                snapshot.checkpoints(),
                snapshot.job(),
                config);
      }
      st.tick = reading.tick();
      st.counters = Optional.of(mapped.counters());
      st.lastConfig = Optional.of(snapshot.config());
      return snapshot;
    }
  }

  // ------------------------------------------------------------------------------ apply

  /**
   * The configuration with the TaskManager count the launcher provisions, when it knows one: the
   * REST API lists the TaskManagers that are registered, so a lost one would otherwise vanish from
   * the configuration too and nothing could tell it is missing.
   */
  private PipelineConfig provisioned(PipelineConfig c) {
    if (launcher == null) {
      return c;
    }
    OptionalInt n = launcher.provisionedTaskManagers();
    return n.isPresent() && n.getAsInt() > 0 && n.getAsInt() != c.taskManagers()
        ? c.withTaskManagers(n.getAsInt())
        : c;
  }

  @Override
  public ActuationResult apply(String pipelineId, PipelineConfig desired) {
    PipelineState st = state(pipelineId);
    Objects.requireNonNull(desired, "desired");
    List<String> errors = desired.structuralErrors();
    if (!errors.isEmpty()) {
      throw rejected(
          "configuration of " + pipelineId + " is invalid: " + String.join("; ", errors));
    }
    synchronized (st) {
      JobRef job = findJob(pipelineId, st);
      if (FlinkSnapshotMapper.terminal(job.status())) {
        return resubmitTerminated(pipelineId, st, job, desired, "apply");
      }
      Reading reading = read(pipelineId, st, job, st.tick, false);
      PipelineConfig current = provisioned(FlinkSnapshotMapper.config(reading, st.lastConfig));
      if (current.equals(desired)) {
        return ActuationResult.unchanged(
            "job " + job.jobId() + " already runs " + desired.summary());
      }
      checkOperators(pipelineId, current, desired, reading);
      boolean taskManagersChanged =
          current.taskManagers() != desired.taskManagers()
              || current.slotsPerTaskManager() != desired.slotsPerTaskManager()
              || current.networkBufferMb() != desired.networkBufferMb()
              || Double.compare(current.taskManagerCpu(), desired.taskManagerCpu()) != 0
              || Double.compare(current.taskManagerMemoryGb(), desired.taskManagerMemoryGb()) != 0;
      boolean intervalChanged =
          current.checkpointIntervalSeconds() != desired.checkpointIntervalSeconds();
      if (taskManagersChanged && (launcher == null || !launcher.provisionsTaskManagers())) {
        throw rejected(
            "TaskManager count, CPU, memory, slots and network buffers of "
                + pipelineId
                + " are cluster settings the Flink REST API cannot change (wanted "
                + desired.summary()
                + ", running "
                + current.summary()
                + "); use the KubernetesPlatform or a FlinkJobLauncher that provisions"
                + " TaskManagers");
      }
      if (taskManagersChanged || intervalChanged) {
        requireLauncher(pipelineId, "a checkpoint interval or TaskManager change");
        String trigger = triggerId("apply", job.jobId(), desired.toString());
        return redeploy(pipelineId, st, job, desired, trigger, "apply " + desired.summary());
      }
      return rescale(job, reading, desired);
    }
  }

  private ActuationResult rescale(JobRef job, Reading reading, PipelineConfig desired) {
    List<String> ids =
        FlinkSnapshotMapper.operatorIds(
            reading.vertices().stream().map(VertexReading::name).toList());
    Map<String, Integer> requirements = new LinkedHashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      requirements.put(reading.vertices().get(i).vertexId(), desired.parallelismOf(ids.get(i)));
    }
    JsonNode requested = client.resourceRequirements(job.jobId());
    boolean alreadyRequested = true;
    for (Map.Entry<String, Integer> e : requirements.entrySet()) {
      JsonNode upper = requested.path(e.getKey()).path("parallelism").path("upperBound");
      alreadyRequested &= upper.isNumber() && upper.asInt() == e.getValue();
    }
    if (alreadyRequested) {
      return ActuationResult.unchanged(
          "rescale to " + desired.parallelism() + " already requested from the adaptive scheduler");
    }
    client.putResourceRequirements(job.jobId(), requirements);
    log.info("rescaled job {} to {}", job.jobId(), desired.parallelism());
    return ActuationResult.applied(
        "rescale to " + desired.parallelism() + " through the adaptive scheduler",
        settings.rescaleSettleTicks());
  }

  private void checkOperators(
      String pipelineId, PipelineConfig current, PipelineConfig desired, Reading reading) {
    Set<String> unknown = new LinkedHashSet<>(desired.parallelism().keySet());
    unknown.removeAll(current.parallelism().keySet());
    Set<String> missing = new LinkedHashSet<>(current.parallelism().keySet());
    missing.removeAll(desired.parallelism().keySet());
    if (!unknown.isEmpty() || !missing.isEmpty()) {
      throw rejected(
          pipelineId
              + ": the job's operators are "
              + current.parallelism().keySet()
              + (unknown.isEmpty() ? "" : "; unknown operators " + unknown)
              + (missing.isEmpty() ? "" : "; missing operators " + missing));
    }
    List<String> ids =
        FlinkSnapshotMapper.operatorIds(
            reading.vertices().stream().map(VertexReading::name).toList());
    for (int i = 0; i < ids.size(); i++) {
      int max = reading.vertices().get(i).maxParallelism();
      int p = desired.parallelismOf(ids.get(i));
      if (max > 0 && p > max) {
        throw rejected(
            pipelineId
                + ": parallelism "
                + p
                + " of "
                + ids.get(i)
                + " exceeds its max parallelism "
                + max);
      }
    }
  }

  // ------------------------------------------------------------------------------ savepoint

  /**
   * Takes a savepoint of the pipeline's running job and waits for it. Idempotent per {@code
   * requestId}: the trigger id is derived from the job and the request, so a repeated request (or a
   * retried trigger) joins the same Flink operation and returns the same location while Flink still
   * holds its result ({@code rest.async.store-duration}).
   *
   * @return the savepoint's location
   */
  public String savepoint(String pipelineId, String requestId) {
    PipelineState st = state(pipelineId);
    Objects.requireNonNull(requestId, "requestId");
    synchronized (st) {
      JobRef job = findJob(pipelineId, st);
      if (FlinkSnapshotMapper.terminal(job.status())) {
        throw new PlatformException(
            Kind.CONFLICT, pipelineId + ": job " + job.jobId() + " is " + job.status());
      }
      String trigger = triggerId("savepoint", job.jobId(), requestId);
      client.triggerSavepoint(job.jobId(), settings.savepointDirectory(), trigger);
      return awaitSavepoint(job.jobId(), trigger);
    }
  }

  // ------------------------------------------------------------------------------ recover

  @Override
  public ActuationResult recover(String pipelineId, String actionId, Action.RecoveryAction action) {
    PipelineState st = state(pipelineId);
    Objects.requireNonNull(actionId, "actionId");
    Objects.requireNonNull(action, "action");
    synchronized (st) {
      if (st.completedActions.contains(actionId)) {
        return ActuationResult.duplicate("action " + actionId + " was already executed");
      }
      ActuationResult result = execute(pipelineId, st, actionId, action);
      st.completedActions.add(actionId);
      while (st.completedActions.size() > settings.rememberedActions()) {
        st.completedActions.remove(st.completedActions.iterator().next());
      }
      return result;
    }
  }

  private ActuationResult execute(
      String pipelineId, PipelineState st, String actionId, Action.RecoveryAction action) {
    if (action instanceof Action.Reconnect
        || action instanceof Action.Redistribute
        || action instanceof Action.DrainNode
        || action instanceof Action.Failover) {
      throw rejected(
          "'"
              + action.describe()
              + "' cannot be done through the Flink REST API (it has no handle"
              + " on connections, nodes or standby clusters); the KubernetesPlatform does it");
    }
    JobRef job = findJob(pipelineId, st);
    Reading reading = read(pipelineId, st, job, st.tick, false);
    PipelineConfig current = provisioned(FlinkSnapshotMapper.config(reading, st.lastConfig));
    if (action instanceof Action.RedeployOperator r) {
      if (!current.parallelism().containsKey(r.operatorId())) {
        throw rejected(
            pipelineId
                + ": unknown operator "
                + r.operatorId()
                + "; the job has "
                + current.parallelism().keySet());
      }
      return apply(pipelineId, current.withParallelism(Map.of(r.operatorId(), r.parallelism())));
    }
    if (action instanceof Action.ExpandBuffers b) {
      return apply(pipelineId, current.withNetworkBufferMb(b.toMb()));
    }
    if (action instanceof Action.RestartTask r) {
      if (!current.parallelism().containsKey(r.operatorId())) {
        throw rejected(
            pipelineId
                + ": unknown operator "
                + r.operatorId()
                + "; the job has "
                + current.parallelism().keySet());
      }
      requireLauncher(pipelineId, "a restart from the latest checkpoint");
      return restartFrom(pipelineId, st, job, current, 0, action.describe());
    }
    if (action instanceof Action.RestoreCheckpoint r) {
      requireLauncher(pipelineId, "a restore from an older checkpoint");
      return restartFrom(
          pipelineId, st, job, current, Math.max(0, r.checkpointsBack()), action.describe());
    }
    if (action instanceof Action.FullRestart r) {
      requireLauncher(pipelineId, "a full restart");
      PipelineConfig target = r.config() == null ? current : r.config();
      List<String> errors = target.structuralErrors();
      if (!errors.isEmpty()) {
        throw rejected(
            "full restart of "
                + pipelineId
                + " with an invalid configuration: "
                + String.join("; ", errors));
      }
      if (!FlinkSnapshotMapper.terminal(job.status()) && job.status().equals("RUNNING")) {
        return redeploy(
            pipelineId,
            st,
            job,
            target,
            triggerId("recover", job.jobId(), actionId),
            action.describe());
      }
      return restartFrom(pipelineId, st, job, target, 0, action.describe());
    }
    throw rejected("unsupported recovery action " + action.describe());
  }

  // ------------------------------------------------------------------------------ realizing

  /** Stop-with-savepoint, then resubmit {@code target} from the savepoint. */
  private ActuationResult redeploy(
      String pipelineId,
      PipelineState st,
      JobRef job,
      PipelineConfig target,
      String triggerId,
      String what) {
    client.stopWithSavepoint(job.jobId(), settings.savepointDirectory(), triggerId);
    String location = awaitSavepoint(job.jobId(), triggerId);
    // kept until the resubmission succeeds: a repeated call finds the job stopped and uses it
    st.pendingRestore = Optional.of(location);
    JobID submitted = submit(pipelineId, st, target, location);
    return ActuationResult.applied(
        what
            + ": stopped job "
            + job.jobId()
            + " with savepoint "
            + location
            + ", resubmitted as "
            + submitted,
        settings.restartSettleTicks());
  }

  /**
   * Cancels the job (when it still runs) and resubmits {@code target} from the completed checkpoint
   * {@code back} before the latest (0: the newest retained checkpoint or savepoint).
   */
  private ActuationResult restartFrom(
      String pipelineId,
      PipelineState st,
      JobRef job,
      PipelineConfig target,
      int back,
      String what) {
    JsonNode cpConfig = client.checkpointConfig(job.jobId()).orElse(null);
    if (cpConfig == null) {
      throw rejected(pipelineId + ": checkpointing is off; there is no checkpoint to restart from");
    }
    JsonNode ext = cpConfig.path("externalization");
    if (!ext.path("enabled").asBoolean(false)
        || ext.path("delete_on_cancellation").asBoolean(true)) {
      throw rejected(
          pipelineId
              + ": checkpoints are deleted when the job is cancelled; set"
              + " execution.checkpointing.externalized-checkpoint-retention:"
              + " RETAIN_ON_CANCELLATION to restart from them");
    }
    // checked before cancelling (no restore point: reject and leave the job alone), read again
    // after: a checkpoint completed meanwhile subsumes, and may delete, the one seen before
    String path = restorePath(pipelineId, client.checkpoints(job.jobId()), back);
    if (!FlinkSnapshotMapper.terminal(job.status())) {
      client.cancel(job.jobId());
      awaitTerminal(job.jobId());
      path = restorePath(pipelineId, client.checkpoints(job.jobId()), back);
      st.pendingRestore = Optional.of(path);
    }
    JobID submitted = submit(pipelineId, st, target, path);
    return ActuationResult.applied(
        what + ": restarted job " + job.jobId() + " from " + path + " as " + submitted,
        settings.restartSettleTicks());
  }

  /** A job found terminated (stopped by an interrupted call, failed): resubmit it. */
  private ActuationResult resubmitTerminated(
      String pipelineId, PipelineState st, JobRef job, PipelineConfig target, String what) {
    requireLauncher(pipelineId, "restarting its " + job.status() + " job " + job.jobId());
    if (st.pendingRestore.isPresent()) {
      String path = st.pendingRestore.get();
      JobID submitted = submit(pipelineId, st, target, path);
      return ActuationResult.applied(
          what + ": resubmitted " + pipelineId + " from " + path + " as " + submitted,
          settings.restartSettleTicks());
    }
    return restartFrom(pipelineId, st, job, target, 0, what);
  }

  /** A place to restore from, ordered by when it was taken. */
  private record Candidate(long order, String path) {}

  private String restorePath(String pipelineId, JsonNode checkpoints, int back) {
    List<Candidate> candidates = new ArrayList<>();
    if (back == 0) {
      JsonNode latest = checkpoints.path("latest");
      addCandidate(candidates, latest.path("completed"), "latest_ack_timestamp");
      addCandidate(candidates, latest.path("savepoint"), "latest_ack_timestamp");
      addCandidate(candidates, latest.path("restored"), "restore_timestamp");
      candidates.sort(Comparator.comparingLong(Candidate::order).reversed());
      if (candidates.isEmpty()) {
        throw rejected(pipelineId + ": no retained checkpoint or savepoint to restart from yet");
      }
      return candidates.get(0).path();
    }
    List<JsonNode> completed = new ArrayList<>();
    for (JsonNode h : checkpoints.path("history")) {
      if ("COMPLETED".equals(h.path("status").asText())) {
        completed.add(h);
      }
    }
    completed.sort(Comparator.comparingLong((JsonNode h) -> h.path("id").asLong()).reversed());
    if (back >= completed.size()) {
      throw rejected(
          pipelineId
              + ": Flink's history has "
              + completed.size()
              + " completed checkpoints; none is "
              + back
              + " before the latest");
    }
    JsonNode chosen = completed.get(back);
    String path = chosen.path("external_path").asText("");
    if (chosen.path("discarded").asBoolean(false) || !usablePath(path)) {
      throw rejected(
          pipelineId
              + ": checkpoint "
              + chosen.path("id").asLong()
              + " is no longer retained (raise state.checkpoints.num-retained to restore older"
              + " ones)");
    }
    return path;
  }

  private static void addCandidate(List<Candidate> out, JsonNode n, String timeField) {
    if (!n.isObject() || n.path("discarded").asBoolean(false)) {
      return;
    }
    String path = n.path("external_path").asText("");
    if (usablePath(path)) {
      out.add(new Candidate(n.path(timeField).asLong(0), path));
    }
  }

  private static boolean usablePath(String path) {
    return !path.isBlank() && !path.startsWith("<") && !path.equals("null");
  }

  private JobID submit(String pipelineId, PipelineState st, PipelineConfig target, String restore) {
    JobID id;
    try {
      id = launcher.submit(pipelineId, target, Optional.ofNullable(restore));
    } catch (PlatformException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformException(Kind.UNAVAILABLE, pipelineId + ": submission interrupted", e);
    } catch (Exception e) {
      throw new PlatformException(
          Kind.UNAVAILABLE,
          pipelineId
              + ": submitting the job failed ("
              + e
              + ")"
              + (restore == null ? "" : "; it can be resubmitted from " + restore),
          e);
    }
    st.pendingRestore = Optional.empty();
    st.ownedJobId = Optional.of(id.toHexString());
    st.counters = Optional.empty();
    log.info("submitted {} as job {} from {}", pipelineId, id, restore);
    return id;
  }

  private String awaitSavepoint(String jobId, String triggerId) {
    long deadline = clock.millis() + settings.operationTimeout().toMillis();
    while (true) {
      FlinkRestClient.SavepointStatus status = client.savepointStatus(jobId, triggerId);
      if (status.completed()) {
        if (status.location().isPresent()) {
          return status.location().get();
        }
        throw new PlatformException(
            Kind.UNAVAILABLE,
            "savepoint "
                + triggerId
                + " of job "
                + jobId
                + " failed: "
                + status.failure().orElse("unknown cause"));
      }
      pause(deadline, "savepoint " + triggerId + " of job " + jobId);
    }
  }

  private void awaitTerminal(String jobId) {
    long deadline = clock.millis() + settings.operationTimeout().toMillis();
    while (!FlinkSnapshotMapper.terminal(client.job(jobId).path("state").asText())) {
      pause(deadline, "cancellation of job " + jobId);
    }
  }

  private static void pauseFor(Duration d) {
    if (d.isZero()) {
      return;
    }
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformException(Kind.UNAVAILABLE, "observation interrupted", e);
    }
  }

  private void pause(long deadline, String what) {
    if (clock.millis() >= deadline) {
      throw new PlatformException(
          Kind.TIMEOUT, what + " did not complete within " + settings.operationTimeout());
    }
    try {
      Thread.sleep(settings.pollInterval().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformException(Kind.UNAVAILABLE, what + ": interrupted", e);
    }
  }

  // ------------------------------------------------------------------------------ reading

  private JobRef findJob(String pipelineId, PipelineState st) {
    String name = jobNames.get(pipelineId);
    JsonNode jobs = client.jobsOverview().path("jobs");
    if (!jobs.isArray()) {
      throw new PlatformException(Kind.MALFORMED_RESPONSE, 200, "jobs overview without jobs", null);
    }
    JsonNode best = null;
    for (JsonNode j : jobs) {
      if (!ANY_JOB.equals(name) && !name.equals(j.path("name").asText())) {
        continue;
      }
      if (st.ownedJobId.isPresent() && st.ownedJobId.get().equals(j.path("jid").asText())) {
        best = j;
        break;
      }
      if (best == null || better(j, best)) {
        best = j;
      }
    }
    if (best == null) {
      throw new PlatformException(
          Kind.NOT_FOUND,
          404,
          pipelineId
              + (ANY_JOB.equals(name)
                  ? ": the cluster runs no job"
                  : ": no Flink job named '" + name + "'"),
          null);
    }
    return new JobRef(best.path("jid").asText(), best.path("state").asText());
  }

  /** A running job beats a terminal one; among equals, the newer start wins. */
  private static boolean better(JsonNode a, JsonNode b) {
    boolean aLive = !FlinkSnapshotMapper.terminal(a.path("state").asText());
    boolean bLive = !FlinkSnapshotMapper.terminal(b.path("state").asText());
    if (aLive != bLive) {
      return aLive;
    }
    return a.path("start-time").asLong() > b.path("start-time").asLong();
  }

  /**
   * Reads the job. With {@code metrics} false only what the configuration needs (vertices,
   * checkpoint interval, TaskManagers).
   */
  private Reading read(
      String pipelineId, PipelineState st, JobRef ref, long tick, boolean metrics) {
    long at = clock.millis();
    String jobId = ref.jobId();
    JsonNode job = client.job(jobId);
    JsonNode vertices = job.path("vertices");
    if (!vertices.isArray()) {
      throw new PlatformException(
          Kind.MALFORMED_RESPONSE, 200, "job " + jobId + " without a vertex list", null);
    }
    if (vertices.isEmpty()) {
      throw new PlatformException(
          Kind.UNAVAILABLE,
          pipelineId
              + ": job "
              + jobId
              + " is "
              + job.path("state").asText()
              + " and shows no"
              + " vertices yet");
    }
    Set<String> sources = sources(job);
    OptionalDouble restarts = OptionalDouble.empty();
    if (metrics) {
      // Flink refreshes its metric store on demand, asynchronously, at most once per
      // metrics.fetcher.update-interval: this first metrics request starts the refresh, and the
      // reads below wait metrics-fetch-wait for it instead of seeing the previous request's values.
      Double r = client.jobMetrics(jobId, List.of("numRestarts")).get("numRestarts");
      if (r != null && r >= 0) {
        restarts = OptionalDouble.of(r);
      }
      pauseFor(settings.metricsFetchWait());
    }
    JsonNode checkpoints = metrics ? client.checkpoints(jobId) : null;
    Map<String, Double> stateSizes = metrics ? stateSizes(jobId, checkpoints) : Map.of();
    List<VertexReading> vs = new ArrayList<>();
    for (JsonNode v : vertices) {
      String vid = v.path("id").asText();
      Map<String, JsonNode> values = Map.of();
      Optional<String> pending = Optional.empty();
      if (metrics) {
        pending = pendingMetric(st, jobId, vid);
        List<String> names = new ArrayList<>(FlinkSnapshotMapper.VERTEX_METRICS);
        pending.ifPresent(names::add);
        values = client.vertexMetrics(jobId, vid, names);
      }
      Double size = stateSizes.get(vid);
      vs.add(
          new VertexReading(
              vid,
              v.path("name").asText(vid),
              v.path("parallelism").asInt(1),
              v.path("maxParallelism").asInt(0),
              sources.isEmpty() ? vs.isEmpty() : sources.contains(vid),
              values,
              pending,
              size == null ? OptionalDouble.empty() : OptionalDouble.of(size)));
    }
    OptionalDouble interval =
        client
            .checkpointConfig(jobId)
            .map(c -> c.path("interval"))
            .filter(JsonNode::isNumber)
            .map(n -> OptionalDouble.of(n.asDouble()))
            .orElse(OptionalDouble.empty());
    JsonNode exceptionHistory = metrics ? exceptionHistory(jobId) : null;
    List<TaskManagerReading> tms = new ArrayList<>();
    JsonNode tmList = client.taskManagers().path("taskmanagers");
    for (JsonNode tm : tmList) {
      String id = tm.path("id").asText();
      Map<String, Double> tmMetrics = Map.of();
      if (metrics) {
        List<String> names =
            st.taskManagerMetricNames.computeIfAbsent(
                id,
                k ->
                    FlinkSnapshotMapper.taskManagerMetricsToRead(client.taskManagerMetricNames(k)));
        tmMetrics = client.taskManagerMetrics(id, names);
      }
      tms.add(new TaskManagerReading(id, tm, tmMetrics));
    }
    return new Reading(
        pipelineId,
        tick,
        at,
        jobId,
        job.path("state").asText(ref.status()),
        vs,
        checkpoints,
        interval,
        tms,
        restarts,
        exceptionHistory);
  }

  /**
   * The job's failure history, or null when Flink answers it with something that is not one (the
   * failure metrics of this observation are then absent, the rest is still observed).
   */
  private JsonNode exceptionHistory(String jobId) {
    try {
      return client.exceptions(jobId, settings.exceptionHistoryEntries());
    } catch (PlatformException e) {
      if (e.kind() != Kind.MALFORMED_RESPONSE) {
        throw e;
      }
      log.warn(
          "job {}: unreadable failure history, failure metrics absent: {}", jobId, e.getMessage());
      return null;
    }
  }

  /** Vertices without inputs in the job's plan. */
  private static Set<String> sources(JsonNode job) {
    Set<String> sources = new HashSet<>();
    for (JsonNode node : job.path("plan").path("nodes")) {
      JsonNode inputs = node.get("inputs");
      if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
        sources.add(node.path("id").asText());
      }
    }
    return sources;
  }

  private Optional<String> pendingMetric(PipelineState st, String jobId, String vertexId) {
    String key = jobId + "/" + vertexId;
    Optional<String> known = st.pendingMetric.get(key);
    if (known != null && known.isPresent()) {
      return known;
    }
    // Looked up again until found: a source registers its gauge only once it runs.
    Optional<String> found =
        client.vertexMetricNames(jobId, vertexId).stream()
            .filter(n -> n.endsWith(FlinkSnapshotMapper.PENDING_RECORDS_SUFFIX))
            .findFirst();
    st.pendingMetric.put(key, found);
    return found;
  }

  /** Per-vertex state size of the latest completed checkpoint; empty before the first. */
  private Map<String, Double> stateSizes(String jobId, JsonNode checkpoints) {
    JsonNode completed = checkpoints.path("latest").path("completed");
    if (!completed.isObject() || !completed.has("id")) {
      return Map.of();
    }
    JsonNode details;
    try {
      details = client.checkpointDetails(jobId, completed.get("id").asLong());
    } catch (PlatformException e) {
      if (e.kind() == Kind.NOT_FOUND) {
        return Map.of(); // its statistics were evicted from the history
      }
      throw e;
    }
    Map<String, Double> sizes = new HashMap<>();
    details
        .path("tasks")
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode size = e.getValue().path("state_size");
              if (size.isNumber()) {
                sizes.put(e.getKey(), size.asDouble());
              }
            });
    return sizes;
  }

  // ------------------------------------------------------------------------------ helpers

  private PipelineState state(String pipelineId) {
    PipelineState st = pipelineId == null ? null : states.get(pipelineId);
    if (st == null) {
      throw new PlatformException(
          Kind.UNKNOWN_PIPELINE,
          "the Flink REST platform does not run pipeline '" + pipelineId + "'");
    }
    return st;
  }

  private void requireLauncher(String pipelineId, String what) {
    if (launcher == null) {
      throw rejected(
          pipelineId
              + ": "
              + what
              + " needs a new job submission, and this platform was given no"
              + " FlinkJobLauncher (it does not own the job)");
    }
  }

  /** A Flink trigger id (32 hex digits) derived from what the trigger is for. */
  static String triggerId(String... parts) {
    UUID uuid = UUID.nameUUIDFromBytes(String.join("|", parts).getBytes(StandardCharsets.UTF_8));
    return uuid.toString().replace("-", "");
  }

  private static PlatformException rejected(String message) {
    return new PlatformException(Kind.REJECTED, message);
  }

  /** How long an asynchronous operation may take (for callers that wait on the platform). */
  public Duration operationTimeout() {
    return settings.operationTimeout();
  }
}
