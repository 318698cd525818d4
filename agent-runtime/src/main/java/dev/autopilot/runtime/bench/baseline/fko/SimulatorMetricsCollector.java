package dev.autopilot.runtime.bench.baseline.fko;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.OperatorMetrics;
import dev.autopilot.api.TelemetrySnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.autoscaler.JobAutoScalerContext;
import org.apache.flink.autoscaler.ScalingMetricCollector;
import org.apache.flink.autoscaler.metrics.FlinkMetric;
import org.apache.flink.autoscaler.metrics.ScalingHistoryUtils;
import org.apache.flink.autoscaler.state.AutoScalerStateStore;
import org.apache.flink.autoscaler.topology.JobTopology;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.instance.SlotSharingGroupId;
import org.apache.flink.runtime.jobgraph.JobType;
import org.apache.flink.runtime.jobgraph.JobVertexID;
import org.apache.flink.runtime.rest.messages.JobPlanInfo;
import org.apache.flink.runtime.rest.messages.job.JobDetailsInfo;
import org.apache.flink.runtime.rest.messages.job.metrics.AggregatedMetric;
import org.apache.flink.runtime.rest.messages.job.metrics.IOMetricsInfo;
import org.apache.flink.runtime.rest.messages.job.metrics.Metric;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * The FKO autoscaler's metric collector for one simulated pipeline: it serves, from the {@link
 * TelemetrySnapshot}s the {@code fko} controller feeds it, what the library's {@code
 * RestApiMetricsCollector} would fetch from a Flink JobManager's REST API. Nothing is invented:
 * each value is a snapshot figure or the running total of one.
 *
 * <ul>
 *   <li><b>Job details</b> ({@link #getJobDetailsInfo}): the job plan of the {@link FkoJobGraph}
 *       (one vertex per operator, a chain, HASH into keyed operators), each vertex's parallelism as
 *       it runs and its max parallelism, and per vertex the accumulated I/O counters Flink keeps:
 *       records read (0 for the source, which reads no network input, as in Flink), records written
 *       and busy / backpressured / idle time summed over the subtasks, each integrated tick by tick
 *       ({@code rate × tick seconds}). The RUNNING timestamp is the event time the job last became
 *       RUNNING: its first observation, the end of a restart (a non-RUNNING snapshot, a higher
 *       restart count) or a change of the running parallelism (a rescale restarts the job).
 *   <li><b>Topology</b>: the library's own parser reads that plan; the Kafka/Pulsar partition probe
 *       of the REST collector is skipped (the simulated source is not Kafka), so the source has no
 *       partition count.
 *   <li><b>Vertex metrics</b> ({@link #queryAllAggregatedMetrics}): {@code busyTimeMsPerSecond} for
 *       every vertex; for the source also {@code backPressuredTimeMsPerSecond}, the source task's
 *       {@code numRecordsInPerSecond}, {@code numRecordsIn} and {@code numRecordsOut} totals, and
 *       {@code pendingRecords} (the consumer lag) when the snapshot observed it. The simulator
 *       reports subtask averages, so min = max = avg = the average and sum = average × parallelism
 *       (rates and totals: sum = the operator's figure, the others per subtask); it models no skew.
 *   <li><b>JobManager and TaskManager metrics</b>: none (empty), so the slot, heap and GC figures
 *       are NaN; with the default options (memory tuning off, GC and heap thresholds 1.0) they
 *       decide nothing.
 * </ul>
 *
 * <p>Call {@link #observe} with each snapshot, in tick order, before the autoscaler runs.
 */
public final class SimulatorMetricsCollector
    extends ScalingMetricCollector<String, JobAutoScalerContext<String>> {

  /** Vertex metric names as the REST API would list them (see {@link FlinkMetric}). */
  static final String BUSY = "busyTimeMsPerSecond";

  static final String BACKPRESSURED = "backPressuredTimeMsPerSecond";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SlotSharingGroupId SLOT_SHARING_GROUP = new SlotSharingGroupId(1L, 1L);

  private final FkoJobGraph graph;
  private final Map<String, JobVertexID> vertexIds;
  private final SimulatedClock clock;
  private final int tickSeconds;
  private final Map<String, Integer> maxParallelism = new HashMap<>();
  private final Map<String, double[]> totals = new HashMap<>();

  private TelemetrySnapshot last;
  private Map<String, Integer> runningParallelism;
  private long startMillis;
  private long runningSinceMillis;
  private boolean down;
  private long restarts;

  /**
   * @param graph the job graph of the pipeline
   * @param clock the simulated clock the autoscaler runs on (the controller moves it)
   * @param tickSeconds event time per tick, seconds (integrates the rates into totals)
   */
  public SimulatorMetricsCollector(FkoJobGraph graph, SimulatedClock clock, int tickSeconds) {
    if (tickSeconds < 1) {
      throw new IllegalArgumentException("tickSeconds must be >= 1, was " + tickSeconds);
    }
    this.graph = Objects.requireNonNull(graph, "graph");
    this.vertexIds = graph.vertexIds();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.tickSeconds = tickSeconds;
    setClock(clock);
  }

  /** The vertex id of each operator, in job-graph order. */
  public Map<String, JobVertexID> vertexIds() {
    return vertexIds;
  }

  /**
   * Takes in the pipeline's snapshot of this tick: adds the tick's records and busy time to the
   * totals and tracks when the job last became RUNNING.
   *
   * @throws IllegalArgumentException when the snapshot's operators are not the job graph's
   */
  public void observe(TelemetrySnapshot s) {
    List<String> ops = s.operators().stream().map(OperatorMetrics::operatorId).toList();
    if (!ops.equals(graph.operators())) {
      throw new IllegalArgumentException(
          "snapshot operators " + ops + " are not the job graph's " + graph.operators());
    }
    Map<String, Integer> parallelism = new LinkedHashMap<>();
    for (OperatorMetrics op : s.operators()) {
      parallelism.put(op.operatorId(), op.parallelism());
      maxParallelism.computeIfAbsent(
          op.operatorId(),
          k -> KeyGroupRangeAssignment.computeDefaultMaxParallelism(Math.max(1, op.parallelism())));
      double[] t = totals.computeIfAbsent(op.operatorId(), k -> new double[5]);
      t[0] += rate(op, "recordsInPerSecond", op.recordsInPerSecond()) * tickSeconds;
      t[1] += rate(op, "recordsOutPerSecond", op.recordsOutPerSecond()) * tickSeconds;
      double subtaskSeconds = op.parallelism() * (double) tickSeconds;
      t[2] += rate(op, "busyTimeMsPerSecond", op.busyTimeMsPerSecond()) * subtaskSeconds;
      t[3] +=
          rate(op, "backPressuredTimeMsPerSecond", op.backPressuredTimeMsPerSecond())
              * subtaskSeconds;
      t[4] += rate(op, "idleTimeMsPerSecond", op.idleTimeMsPerSecond()) * subtaskSeconds;
    }
    boolean running = s.job().state() == JobMetrics.JobState.RUNNING;
    if (last == null) {
      startMillis = s.eventTimeMillis();
      runningSinceMillis = s.eventTimeMillis();
    } else if (running
        && (down
            || s.job().restartsTotal() > restarts
            || !parallelism.equals(runningParallelism))) {
      runningSinceMillis = s.eventTimeMillis();
    }
    down = !running;
    restarts = s.job().restartsTotal();
    runningParallelism = parallelism;
    last = s;
  }

  private static double rate(OperatorMetrics op, String field, double value) {
    return op.isAbsent(field) ? 0 : value;
  }

  /** When the job last became RUNNING, in event time. */
  public Instant runningSince() {
    return Instant.ofEpochMilli(runningSinceMillis);
  }

  private TelemetrySnapshot current() {
    if (last == null) {
      throw new IllegalStateException("no snapshot observed yet");
    }
    return last;
  }

  // ------------------------------------------------------------------ the library's extension
  // points

  @Override
  public JobDetailsInfo getJobDetailsInfo(JobAutoScalerContext<String> ctx, Duration timeout) {
    TelemetrySnapshot s = current();
    long now = clock.millis();
    List<JobDetailsInfo.JobVertexDetailsInfo> vertices = new ArrayList<>();
    for (OperatorMetrics op : s.operators()) {
      double[] t = totals.get(op.operatorId());
      boolean source = op.operatorId().equals(graph.operators().get(0));
      vertices.add(
          new JobDetailsInfo.JobVertexDetailsInfo(
              vertexIds.get(op.operatorId()),
              SLOT_SHARING_GROUP,
              op.operatorId(),
              maxParallelism.get(op.operatorId()),
              op.parallelism(),
              ExecutionState.RUNNING,
              runningSinceMillis,
              -1,
              now - runningSinceMillis,
              Map.of(ExecutionState.RUNNING, op.parallelism()),
              new IOMetricsInfo(
                  0,
                  true,
                  0,
                  true,
                  source ? 0 : (long) t[0],
                  true,
                  (long) t[1],
                  true,
                  (long) t[3],
                  (long) t[4],
                  t[2])));
    }
    JobStatus status = ctx.getJobStatus() == null ? JobStatus.RUNNING : ctx.getJobStatus();
    return new JobDetailsInfo(
        ctx.getJobID() == null ? new JobID() : ctx.getJobID(),
        s.pipelineId(),
        false,
        status,
        JobType.STREAMING,
        startMillis,
        -1,
        now - startMillis,
        maxParallelism.values().stream().mapToInt(Integer::intValue).max().orElse(1),
        now,
        Map.of(JobStatus.RUNNING, runningSinceMillis, JobStatus.CREATED, startMillis),
        vertices,
        Map.of(ExecutionState.RUNNING, vertices.size()),
        new JobPlanInfo.RawJson(plan(s, ctx)));
  }

  /** The job plan as Flink's REST API gives it: nodes with their inputs and ship strategies. */
  private String plan(TelemetrySnapshot s, JobAutoScalerContext<String> ctx) {
    ObjectNode plan = JSON.createObjectNode();
    plan.put("jid", ctx.getJobID() == null ? "" : ctx.getJobID().toHexString());
    plan.put("name", s.pipelineId());
    plan.put("type", "STREAMING");
    ArrayNode nodes = plan.putArray("nodes");
    String previous = null;
    for (OperatorMetrics op : s.operators()) {
      ObjectNode node = nodes.addObject();
      node.put("id", vertexIds.get(op.operatorId()).toHexString());
      node.put("parallelism", op.parallelism());
      node.put("operator", "");
      node.put("operator_strategy", "");
      node.put("description", op.operatorId());
      if (previous != null) {
        ObjectNode input = node.putArray("inputs").addObject();
        input.put("num", 0);
        input.put("id", vertexIds.get(previous).toHexString());
        input.put("ship_strategy", graph.shipStrategyInto(op.operatorId()));
        input.put("exchange", "pipelined_bounded");
      }
      node.putObject("optimizer_properties");
      previous = op.operatorId();
    }
    return plan.toString();
  }

  /**
   * The library's parse of the job plan, without the REST collector's Kafka/Pulsar partition probe
   * (the simulated source has no partitions to list).
   */
  @Override
  protected JobTopology getJobTopology(
      JobAutoScalerContext<String> ctx,
      AutoScalerStateStore<String, JobAutoScalerContext<String>> stateStore,
      JobDetailsInfo jobDetailsInfo)
      throws Exception {
    JobTopology topology = getJobTopology(jobDetailsInfo);
    ScalingHistoryUtils.updateVertexList(
        stateStore, ctx, clock.instant(), Set.copyOf(topology.getVerticesInTopologicalOrder()));
    return topology;
  }

  @Override
  protected Map<JobVertexID, Map<String, FlinkMetric>> queryFilteredMetricNames(
      JobAutoScalerContext<String> ctx, JobTopology topology) {
    TelemetrySnapshot s = current();
    Map<JobVertexID, Map<String, FlinkMetric>> names = new HashMap<>();
    for (OperatorMetrics op : s.operators()) {
      JobVertexID id = vertexIds.get(op.operatorId());
      Map<String, FlinkMetric> m = new HashMap<>();
      m.put(BUSY, FlinkMetric.BUSY_TIME_PER_SEC);
      if (topology.isSource(id)) {
        String task = "Source__" + op.operatorId();
        m.put(BACKPRESSURED, FlinkMetric.BACKPRESSURE_TIME_PER_SEC);
        m.put(task + ".numRecordsInPerSecond", FlinkMetric.SOURCE_TASK_NUM_RECORDS_IN_PER_SEC);
        m.put(task + ".numRecordsIn", FlinkMetric.SOURCE_TASK_NUM_RECORDS_IN);
        m.put(task + ".numRecordsOut", FlinkMetric.SOURCE_TASK_NUM_RECORDS_OUT);
        if (!op.isAbsent("pendingRecords")) {
          m.put(op.operatorId() + ".pendingRecords", FlinkMetric.PENDING_RECORDS);
        }
      }
      names.put(id, m);
    }
    return names;
  }

  @Override
  protected Map<JobVertexID, Map<FlinkMetric, AggregatedMetric>> queryAllAggregatedMetrics(
      JobAutoScalerContext<String> ctx,
      Map<JobVertexID, Map<String, FlinkMetric>> filteredVertexMetricNames) {
    TelemetrySnapshot s = current();
    Map<JobVertexID, Map<FlinkMetric, AggregatedMetric>> out = new HashMap<>();
    for (OperatorMetrics op : s.operators()) {
      JobVertexID id = vertexIds.get(op.operatorId());
      Map<String, FlinkMetric> wanted = filteredVertexMetricNames.get(id);
      if (wanted == null) {
        continue;
      }
      double[] t = totals.get(op.operatorId());
      int p = Math.max(1, op.parallelism());
      Map<FlinkMetric, AggregatedMetric> m = new HashMap<>();
      wanted.forEach(
          (name, metric) -> {
            AggregatedMetric value =
                switch (metric) {
                  case BUSY_TIME_PER_SEC ->
                      perSubtask(
                          name, observed(op, "busyTimeMsPerSecond", op.busyTimeMsPerSecond()), p);
                  case BACKPRESSURE_TIME_PER_SEC ->
                      perSubtask(
                          name,
                          observed(
                              op,
                              "backPressuredTimeMsPerSecond",
                              op.backPressuredTimeMsPerSecond()),
                          p);
                  case SOURCE_TASK_NUM_RECORDS_IN_PER_SEC ->
                      total(name, observed(op, "recordsInPerSecond", op.recordsInPerSecond()), p);
                  case SOURCE_TASK_NUM_RECORDS_IN -> total(name, Math.floor(t[0]), p);
                  case SOURCE_TASK_NUM_RECORDS_OUT -> total(name, Math.floor(t[1]), p);
                  case PENDING_RECORDS -> total(name, op.pendingRecords(), p);
                  default -> null;
                };
            if (value != null) {
              m.put(metric, value);
            }
          });
      out.put(id, m);
    }
    return out;
  }

  private static double observed(OperatorMetrics op, String field, double value) {
    return op.isAbsent(field) ? Double.NaN : value;
  }

  /** A subtask average: every subtask at it, the sum over the parallelism. */
  private static AggregatedMetric perSubtask(String name, double average, int parallelism) {
    return new AggregatedMetric(name, average, average, average, average * parallelism, 0.0);
  }

  /** An operator total: the sum, spread evenly over the subtasks. */
  private static AggregatedMetric total(String name, double sum, int parallelism) {
    double each = sum / parallelism;
    return new AggregatedMetric(name, each, each, each, sum, 0.0);
  }

  @Override
  protected Map<FlinkMetric, Metric> queryJmMetrics(JobAutoScalerContext<String> ctx) {
    return Map.of();
  }

  @Override
  protected Map<FlinkMetric, AggregatedMetric> queryTmMetrics(JobAutoScalerContext<String> ctx) {
    return Map.of();
  }
}
