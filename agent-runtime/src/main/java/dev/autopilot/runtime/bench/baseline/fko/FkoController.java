package dev.autopilot.runtime.bench.baseline.fko;

import dev.autopilot.api.Action;
import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.OperatorMetrics;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.runtime.bench.baseline.AlertRecovery;
import dev.autopilot.runtime.bench.baseline.BaselineController;
import dev.autopilot.runtime.bench.baseline.BaselineStep;
import dev.autopilot.runtime.bench.baseline.ParallelismBounds;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.autoscaler.JobAutoScalerContext;
import org.apache.flink.autoscaler.JobAutoScalerImpl;
import org.apache.flink.autoscaler.ScalingExecutor;
import org.apache.flink.autoscaler.ScalingMetricEvaluator;
import org.apache.flink.autoscaler.SimulatedTimeHooks;
import org.apache.flink.autoscaler.state.InMemoryAutoScalerStateStore;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code fko} baseline: the Flink Kubernetes Operator's autoscaler algorithm, the library
 * {@code org.apache.flink:flink-autoscaler:1.10.0} itself ({@link JobAutoScalerImpl} with its
 * {@link ScalingMetricEvaluator}, {@link ScalingExecutor} and {@link
 * InMemoryAutoScalerStateStore}), driven against the simulated platform through the library's own
 * extension points: a {@link SimulatorMetricsCollector} that serves the snapshot's vertex metrics
 * as Flink's REST API would, a {@link SimulatorScalingRealizer} that turns the parallelism
 * overrides into an {@link Action.Reconfigure}, and a {@link CountingEventHandler}.
 *
 * <p><b>Each tick</b> it moves its {@link SimulatedClock} to the snapshot's event time (tick × tick
 * seconds after the scenario's start), feeds the snapshot to the collector and calls {@code
 * scale()} once with the job's status and configuration (the options plus the TaskManagers' process
 * memory and slots), as the operator's reconcile loop would; not while a rescale it asked for is
 * still being deployed (until the job restarted on it), as the operator reconciles a changed spec
 * before it runs the autoscaler again. The library then collects metrics, waits out the
 * stabilization interval after the job became RUNNING and until its metric window is full,
 * evaluates the vertices (true processing rate from busy time, target rate from the source's input
 * rate plus lag growth and catch-up of the backlog, target utilization 0.7 ± 0.3), delays
 * scale-downs by the scale-down interval, keys parallelism to key groups for keyed vertices,
 * records its scaling history, and stores overrides the realizer applies.
 *
 * <p><b>Options</b> ({@link FkoSettings}, {@code autopilot.bench.fko.options}): the library's
 * defaults, except {@code job.autoscaler.enabled = true} (off by default; the baseline is the
 * autoscaler) and {@code job.autoscaler.vertex.min-parallelism = 4} (the platform's tested floor
 * that binds every controller; the library's default is 1). Time-related options (metrics window 15
 * min, stabilization 5 min, scale-down interval 1 h, restart time 5 min, catch-up 30 min) keep
 * their defaults: they are measured on the simulated clock, so they need no change. Each vertex's
 * max parallelism is Flink's default for its initial parallelism (at least 128 key groups).
 *
 * <p><b>Faults.</b> The FKO autoscaler does not recover failures: the rule-based baseline's {@link
 * AlertRecovery}.
 *
 * <p><b>Failures</b> of the library never end the run: an exception it catches itself is reported
 * as an {@code AutoscalerError} event, one that escapes {@code scale()} is caught here; both are
 * logged (the first few escaped ones with their stack trace) and counted in {@link #errors()}, and
 * the tick goes on without a scaling.
 *
 * <p>One instance per pipeline; event time only. Not thread-safe.
 */
public final class FkoController implements BaselineController {

  private static final Logger LOG = LoggerFactory.getLogger(FkoController.class);

  /** Failures logged at WARN with their stack trace; later ones at DEBUG (all are counted). */
  private static final int LOGGED_FAILURES = 3;

  private final String pipelineId;
  private final Configuration configuration;
  private final SimulatedClock clock = new SimulatedClock(Instant.EPOCH);
  private final SimulatorMetricsCollector collector;
  private final SimulatorScalingRealizer realizer;
  private final CountingEventHandler events = new CountingEventHandler();
  private final JobAutoScalerImpl<String, JobAutoScalerContext<String>> autoscaler;
  private final AlertRecovery recovery;
  private final JobID jobId;
  private final UnregisteredMetricsGroup metricGroup = new UnregisteredMetricsGroup();
  private Long lastTick;
  private int escaped;
  private PipelineConfig deploying;
  private long restartsWhenRequested;

  /**
   * @param pipelineId the pipeline this instance scales
   * @param settings the library's options
   * @param graph the pipeline's job graph
   * @param tickSeconds event time per tick, seconds
   * @param bounds the platform's hard bounds on a configuration's size (checked by the realizer)
   * @param recovery the shared alert-and-approve recovery of this pipeline
   */
  public FkoController(
      String pipelineId,
      FkoSettings settings,
      FkoJobGraph graph,
      int tickSeconds,
      ParallelismBounds bounds,
      AlertRecovery recovery) {
    this.pipelineId = Objects.requireNonNull(pipelineId, "pipelineId");
    this.configuration = settings.configuration();
    this.recovery = Objects.requireNonNull(recovery, "recovery");
    this.collector = new SimulatorMetricsCollector(graph, clock, tickSeconds);
    this.realizer = new SimulatorScalingRealizer(collector.vertexIds(), bounds);
    InMemoryAutoScalerStateStore<String, JobAutoScalerContext<String>> store =
        new InMemoryAutoScalerStateStore<>();
    ScalingExecutor<String, JobAutoScalerContext<String>> executor =
        new ScalingExecutor<>(events, store);
    this.autoscaler =
        new JobAutoScalerImpl<>(
            collector, new ScalingMetricEvaluator(), executor, events, realizer, store);
    SimulatedTimeHooks.useClock(autoscaler, executor, clock);
    UUID u =
        UUID.nameUUIDFromBytes(("autopilot-job/" + pipelineId).getBytes(StandardCharsets.UTF_8));
    this.jobId = new JobID(u.getLeastSignificantBits(), u.getMostSignificantBits());
  }

  /** Autoscaler failures so far: caught and reported by the library, or escaped from it. */
  public int errors() {
    return events.errors() + escaped;
  }

  /** The library's events so far, by reason (for example {@code ScalingReport}). */
  public Map<String, Integer> eventCounts() {
    return events.counts();
  }

  @Override
  public BaselineStep onTick(TelemetrySnapshot snapshot) {
    long tick = snapshot.tick();
    if (lastTick != null && tick <= lastTick) {
      return BaselineStep.idle();
    }
    lastTick = tick;
    List<Action> scaling = List.of();
    try {
      clock.set(Instant.ofEpochMilli(snapshot.eventTimeMillis()));
      collector.observe(snapshot);
      realizer.begin(snapshot.config());
      if (deployed(snapshot)) {
        autoscaler.scale(context(snapshot));
        Optional<Action.Reconfigure> change = realizer.pending();
        if (change.isPresent()) {
          deploying = change.get().target();
          restartsWhenRequested = snapshot.job().restartsTotal();
          scaling = List.of(change.get());
        }
      }
    } catch (Exception | LinkageError e) {
      escaped++;
      if (escaped <= LOGGED_FAILURES) {
        LOG.warn(
            "fko {} tick {}: the autoscaler failed, no scaling this tick", pipelineId, tick, e);
      } else {
        LOG.debug(
            "fko {} tick {}: the autoscaler failed again: {}", pipelineId, tick, e.toString());
      }
    }
    return recovery.withScaling(snapshot.pipelineId(), tick, scaling);
  }

  /**
   * Whether the rescale this controller asked for last is deployed, so the autoscaler may run
   * again. A rescale is a redeployment: until the job restarted on it the operator reconciles the
   * changed spec and does not run the autoscaler on the old job's metrics. The wait ends when the
   * job restarts (its restart count grows), when it runs the requested parallelism, or when the
   * pipeline's configuration is no longer the requested one (the platform refused it, or a repair
   * replaced it).
   */
  private boolean deployed(TelemetrySnapshot s) {
    if (deploying == null) {
      return true;
    }
    boolean done =
        !s.config().equals(deploying)
            || s.job().restartsTotal() > restartsWhenRequested
            || runs(s, deploying);
    if (done) {
      deploying = null;
    }
    return done;
  }

  private static boolean runs(TelemetrySnapshot s, PipelineConfig config) {
    for (OperatorMetrics op : s.operators()) {
      Integer wanted = config.parallelism().get(op.operatorId());
      if (wanted != null && wanted != op.parallelism()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The context of one {@code scale()} call: the job's status and its configuration, that is the
   * library's options plus what the deployment spec says of the TaskManagers (process memory and
   * slots, as the operator passes the {@code FlinkDeployment}'s Flink configuration).
   */
  private JobAutoScalerContext<String> context(TelemetrySnapshot s) {
    Configuration conf = new Configuration(configuration);
    conf.set(
        TaskManagerOptions.TOTAL_PROCESS_MEMORY,
        MemorySize.ofMebiBytes(Math.round(s.config().taskManagerMemoryGb() * 1024)));
    conf.set(TaskManagerOptions.NUM_TASK_SLOTS, s.config().slotsPerTaskManager());
    return new JobAutoScalerContext<>(
        pipelineId,
        jobId,
        status(s.job().state()),
        conf,
        metricGroup,
        () -> {
          throw new UnsupportedOperationException("the simulated platform has no Flink REST API");
        });
  }

  private static JobStatus status(JobMetrics.JobState state) {
    return switch (state) {
      case RUNNING -> JobStatus.RUNNING;
      case RESTARTING -> JobStatus.RESTARTING;
      case FAILING -> JobStatus.FAILING;
      case FAILED -> JobStatus.FAILED;
      case CANCELED -> JobStatus.CANCELED;
      case CREATED -> JobStatus.CREATED;
    };
  }
}
