package dev.autopilot.runtime.sim;

import com.typesafe.config.Config;
import dev.autopilot.agents.optimization.cost.CostSettings;
import dev.autopilot.agents.optimization.placement.Resources;
import dev.autopilot.agents.optimization.placement.Strategy;
import dev.autopilot.api.PipelineConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every knob of the simulator, read once from {@code autopilot.simulation} (see the module's {@code
 * reference.conf}, which documents each key). The Java code holds no defaults.
 */
public record SimSettings(
    int tickSeconds,
    long startEpochMillis,
    ClusterSettings cluster,
    TaskManagerSettings taskManager,
    List<OperatorSpec> operators,
    LatencySettings latency,
    CheckpointSettings checkpoint,
    StorageSettings storage,
    ActionSettings actions,
    PipelineConfig initialConfig,
    WorkloadSettings workload,
    FaultSettings faults,
    double telemetryNoise) {

  public SimSettings {
    operators = List.copyOf(operators);
  }

  /** The same settings with another initial configuration of every pipeline. */
  public SimSettings withInitialConfig(PipelineConfig config) {
    return new SimSettings(
        tickSeconds,
        startEpochMillis,
        cluster,
        taskManager,
        operators,
        latency,
        checkpoint,
        storage,
        actions,
        config,
        workload,
        faults,
        telemetryNoise);
  }

  /** Reads {@code autopilot.simulation} from a full configuration. */
  public static SimSettings create(Config root) {
    Config c = root.getConfig("autopilot.simulation");
    List<OperatorSpec> ops = new ArrayList<>();
    for (Config o : c.getConfigList("operators")) {
      ops.add(
          new OperatorSpec(
              o.getString("id"),
              o.getDouble("cost-micros"),
              o.getDouble("selectivity"),
              o.getDouble("state-bytes-per-record"),
              o.getDouble("state-retention-seconds"),
              o.getDouble("record-bytes"),
              o.getDouble("alloc-bytes-per-record")));
    }
    Config ic = c.getConfig("initial-config");
    Map<String, Integer> parallelism = new LinkedHashMap<>();
    for (OperatorSpec op : ops) {
      parallelism.put(op.id(), ic.getInt("parallelism.\"" + op.id() + "\""));
    }
    PipelineConfig initial =
        new PipelineConfig(
            parallelism,
            ic.getInt("network-buffer-mb"),
            ic.getInt("checkpoint-interval-seconds"),
            ic.getInt("task-managers"),
            ic.getDouble("task-manager-cpu"),
            ic.getDouble("task-manager-memory-gb"),
            ic.getInt("slots-per-task-manager"));
    Config cl = c.getConfig("cluster");
    Config tm = c.getConfig("taskmanager");
    Config lat = c.getConfig("latency");
    Config cp = c.getConfig("checkpoint");
    Config st = c.getConfig("storage");
    Config ac = c.getConfig("actions");
    Config wl = c.getConfig("workload");
    Config f = c.getConfig("faults");
    return new SimSettings(
        c.getInt("tick-seconds"),
        Instant.parse(c.getString("start")).toEpochMilli(),
        new ClusterSettings(
            cl.getInt("max-nodes"),
            cl.getInt("min-nodes"),
            cl.getInt("spare-nodes"),
            cl.getDouble("node-cores"),
            cl.getDouble("node-memory-gb"),
            cl.getDouble("node-reserved-cores"),
            cl.getDouble("node-reserved-memory-gb"),
            cl.getDouble("node-disk-gb"),
            cl.getDouble("node-network-gbps"),
            cl.getDouble("on-demand-price-per-hour"),
            cl.getDouble("spot-price-per-hour"),
            cl.getDouble("network-price-per-gb"),
            cl.getDouble("spot-share"),
            cl.getDuration("latency-tolerant-min-p99-bound").toNanos() / 1e6,
            cl.getDouble("spot-withdrawals-per-day"),
            cl.getDuration("spot-withdrawal-notice").toMillis() / 1000.0,
            Strategy.parse(cl.getString("placement")),
            cl.getDouble("idle-node-removal-seconds"),
            range(cl, "node-provision-seconds")),
        new TaskManagerSettings(
            range(tm, "pod-start-seconds"),
            tm.getDouble("heap-fraction"),
            tm.getDouble("heap-base-ratio"),
            tm.getDouble("young-gen-fraction"),
            tm.getDouble("young-pause-ms"),
            tm.getDouble("old-gc-max-ms-per-second"),
            tm.getDouble("old-gc-onset-ratio"),
            tm.getDouble("oom-ratio"),
            tm.getDouble("file-descriptor-limit"),
            tm.getDouble("base-file-descriptors"),
            tm.getDouble("base-threads"),
            tm.getDouble("threads-per-subtask"),
            tm.getDouble("upload-mb-per-second"),
            tm.getDouble("restore-mb-per-second"),
            tm.getDouble("snapshot-mb-per-second"),
            tm.getDouble("disk-gb"),
            tm.getDouble("network-gbps"),
            tm.getDouble("net-latency-ms")),
        ops,
        new LatencySettings(
            lat.getDouble("base-ms"),
            lat.getDouble("congestion-ms"),
            lat.getDouble("max-utilisation"),
            lat.getDouble("source-fetch-seconds")),
        new CheckpointSettings(
            cp.getDouble("timeout-seconds"), cp.getDouble("base-ms"), cp.getInt("retained")),
        new StorageSettings(
            st.getDouble("ssd-price-per-gb-month"),
            st.getDouble("block-price-per-gb-month"),
            st.getDouble("object-price-per-gb-month"),
            st.getDuration("ssd-max-age").toMillis() / 1000.0,
            st.getDuration("block-max-age").toMillis() / 1000.0,
            st.getDuration("savepoint-interval").toMillis() / 1000.0,
            st.getInt("savepoint-retention-days")),
        new ActionSettings(
            range(ac, "task-restart-seconds"),
            range(ac, "job-restart-seconds"),
            range(ac, "full-restart-seconds"),
            range(ac, "failover-seconds"),
            range(ac, "reconnect-seconds")),
        initial,
        new WorkloadSettings(
            wl.getDouble("average-rate"),
            wl.getDouble("diurnal-peak-to-trough"),
            wl.getDouble("diurnal-sharpness"),
            wl.getDouble("peak-hour"),
            wl.getDouble("weekend-factor"),
            wl.getDouble("events-per-month"),
            range(wl, "event-factor"),
            range(wl, "event-hours"),
            range(wl, "month-end-factor"),
            range(wl, "month-end-days"),
            wl.getDouble("noise")),
        new FaultSettings(
            f.getInt("count"),
            f.getDouble("cascade-share"),
            f.getDouble("first-fault-hours"),
            f.getInt("ramp-ticks"),
            range(f, "cascade-delay-ticks"),
            range(f, "network-heal-minutes"),
            range(f, "external-heal-minutes"),
            range(f, "leak-fill-minutes"),
            f.getDouble("skew-capacity-share"),
            f.getDouble("degraded-speed"),
            f.getDouble("noisy-neighbour-cpu-share"),
            f.getDouble("crash-alive-share"),
            f.getDouble("bug-drop-share"),
            f.getDouble("external-speed"),
            f.getDouble("misconfig-speed"),
            f.getInt("misconfig-buffer-mb"),
            f.getInt("node-loss-ticks"),
            signatures(f.getConfig("signature"))),
        c.getDouble("telemetry.noise"));
  }

  private static SignatureSettings signatures(Config g) {
    return new SignatureSettings(
        g.getDouble("checkpoint-timeout-slowdown"),
        g.getDouble("checkpoint-failure-probability"),
        g.getDouble("partition-p99-ms"),
        g.getDouble("partition-net-latency-ms"),
        g.getDouble("partition-retransmits"),
        g.getDouble("partition-connection-failures"),
        g.getDouble("external-p99-ms"),
        g.getDouble("external-call-latency-ms"),
        g.getDouble("external-calls-per-record"),
        g.getDouble("external-error-share"),
        g.getDouble("external-timeout-share"),
        g.getDouble("disk-write-stall-ms"),
        g.getDouble("noisy-neighbour-throttled"),
        g.getDouble("noisy-neighbour-steal"),
        g.getDouble("exhausted-threads"),
        g.getDouble("crash-exceptions"),
        g.getDouble("corruption-deserialization-errors"),
        g.getDouble("version-serialization-errors"),
        g.getDouble("bug-exceptions"),
        g.getDouble("misconfig-log-errors"));
  }

  private static Range range(Config c, String prefix) {
    return new Range(c.getDouble(prefix + "-min"), c.getDouble(prefix + "-max"));
  }

  /** Ticks per simulated day. */
  public long ticksPerDay() {
    return 86_400L / tickSeconds;
  }

  /** The cost policy's settings: the spot share and tolerance of the cluster, the storage tiers. */
  public CostSettings costSettings() {
    return new CostSettings(
        cluster.spotShare(),
        cluster.latencyTolerantMinP99BoundMs(),
        storage.ssdPricePerGbMonth(),
        storage.blockPricePerGbMonth(),
        storage.objectPricePerGbMonth(),
        storage.ssdMaxAgeSeconds(),
        storage.blockMaxAgeSeconds());
  }

  /** Ids of the operators, in job-graph order. */
  public List<String> operatorIds() {
    return operators.stream().map(OperatorSpec::id).toList();
  }

  /** A closed interval of doubles; {@link #draw} picks uniformly inside it. */
  public record Range(double min, double max) {
    public double draw(java.util.SplittableRandom rnd) {
      return max <= min ? min : min + rnd.nextDouble() * (max - min);
    }
  }

  /**
   * The node pool, its markets and its scheduler.
   *
   * @param spotShare share of a latency-tolerant pipeline's TaskManagers on spot nodes
   * @param networkPricePerGb price of the bytes the TaskManagers send, dollars per GB
   * @param latencyTolerantMinP99BoundMs a pipeline whose SLA p99 bound is at least this is
   *     latency-tolerant (may use spot)
   * @param spotWithdrawalsPerDay mean rate of spot reclaims (one spot node each), per day
   * @param spotWithdrawalNoticeSeconds notice between a reclaim's announcement and the node going
   * @param placement how the scheduler picks a node for a TaskManager pod
   */
  public record ClusterSettings(
      int maxNodes,
      int minNodes,
      int spareNodes,
      double nodeCores,
      double nodeMemoryGb,
      double reservedCores,
      double reservedMemoryGb,
      double nodeDiskGb,
      double nodeNetworkGbps,
      double onDemandPricePerHour,
      double spotPricePerHour,
      double networkPricePerGb,
      double spotShare,
      double latencyTolerantMinP99BoundMs,
      double spotWithdrawalsPerDay,
      double spotWithdrawalNoticeSeconds,
      Strategy placement,
      double idleNodeRemovalSeconds,
      Range nodeProvisionSeconds) {

    public ClusterSettings {
      if (nodeCores <= reservedCores || nodeMemoryGb <= reservedMemoryGb) {
        throw new IllegalArgumentException(
            "autopilot.simulation.cluster: a node needs more cores and memory than it reserves");
      }
      if (!(nodeDiskGb > 0) || !(nodeNetworkGbps > 0)) {
        throw new IllegalArgumentException(
            "autopilot.simulation.cluster: node-disk-gb and node-network-gbps must be > 0");
      }
      if (!(networkPricePerGb >= 0)) {
        throw new IllegalArgumentException(
            "autopilot.simulation.cluster: network-price-per-gb must be >= 0");
      }
      if (!(spotWithdrawalsPerDay >= 0) || !(spotWithdrawalNoticeSeconds >= 0)) {
        throw new IllegalArgumentException(
            "autopilot.simulation.cluster: spot-withdrawals-per-day and spot-withdrawal-notice"
                + " must be >= 0");
      }
    }

    /** What a node offers TaskManagers: cores and memory less the reservation, disk, network. */
    public Resources allocatable() {
      return new Resources(
          nodeCores - reservedCores, nodeMemoryGb - reservedMemoryGb, nodeDiskGb, nodeNetworkGbps);
    }
  }

  /** TaskManager pods and their JVMs. */
  public record TaskManagerSettings(
      Range podStartSeconds,
      double heapFraction,
      double heapBaseRatio,
      double youngGenFraction,
      double youngPauseMs,
      double oldGcMaxMsPerSecond,
      double oldGcOnsetRatio,
      double oomRatio,
      double fileDescriptorLimit,
      double baseFileDescriptors,
      double baseThreads,
      double threadsPerSubtask,
      double uploadMbPerSecond,
      double restoreMbPerSecond,
      double snapshotMbPerSecond,
      double diskGb,
      double networkGbps,
      double netLatencyMs) {}

  /** One operator of the job graph. */
  public record OperatorSpec(
      String id,
      double costMicros,
      double selectivity,
      double stateBytesPerRecord,
      double stateRetentionSeconds,
      double recordBytes,
      double allocBytesPerRecord) {}

  /** The p99 latency model. */
  public record LatencySettings(
      double baseMs, double congestionMs, double maxUtilisation, double sourceFetchSeconds) {}

  /** Checkpointing. */
  public record CheckpointSettings(double timeoutSeconds, double baseMs, int retained) {}

  /**
   * Checkpoint storage tiers (SSD, block, object storage by age) and the savepoints kept in them.
   *
   * @param ssdMaxAgeSeconds data younger than this is on SSD
   * @param blockMaxAgeSeconds data up to this age is on block storage, older on object storage
   * @param savepointIntervalSeconds a retained savepoint is taken this often
   * @param savepointRetentionDays savepoints older than this are deleted
   */
  public record StorageSettings(
      double ssdPricePerGbMonth,
      double blockPricePerGbMonth,
      double objectPricePerGbMonth,
      double ssdMaxAgeSeconds,
      double blockMaxAgeSeconds,
      double savepointIntervalSeconds,
      int savepointRetentionDays) {

    public StorageSettings {
      if (!(savepointIntervalSeconds > 0) || savepointRetentionDays < 0) {
        throw new IllegalArgumentException(
            "autopilot.simulation.storage: savepoint-interval must be > 0 and"
                + " savepoint-retention-days >= 0");
      }
    }
  }

  /** Latencies of recovery actions. */
  public record ActionSettings(
      Range taskRestartSeconds,
      Range jobRestartSeconds,
      Range fullRestartSeconds,
      Range failoverSeconds,
      Range reconnectSeconds) {}

  /**
   * The generated workload.
   *
   * @param diurnalSharpness exponent k of the diurnal shape {@code 1 + (r - 1) c^k}, with {@code c
   *     = (1 + cos(2 pi (h - peak) / 24)) / 2}: 1 is a plain cosine, larger values give a shorter,
   *     sharper daily peak over a longer flat trough (taxi-like)
   */
  public record WorkloadSettings(
      double averageRate,
      double diurnalPeakToTrough,
      double diurnalSharpness,
      double peakHour,
      double weekendFactor,
      double eventsPerMonth,
      Range eventFactor,
      Range eventHours,
      Range monthEndFactor,
      Range monthEndDays,
      double noise) {

    public WorkloadSettings {
      if (!(averageRate > 0) || !(diurnalPeakToTrough >= 1) || !(diurnalSharpness >= 1)) {
        throw new IllegalArgumentException(
            "autopilot.simulation.workload: average-rate must be > 0, diurnal-peak-to-trough and"
                + " diurnal-sharpness >= 1");
      }
    }
  }

  /** Fault generation and fault physics. */
  public record FaultSettings(
      int count,
      double cascadeShare,
      double firstFaultHours,
      int rampTicks,
      Range cascadeDelayTicks,
      Range networkHealMinutes,
      Range externalHealMinutes,
      Range leakFillMinutes,
      double skewCapacityShare,
      double degradedSpeed,
      double noisyNeighbourCpuShare,
      double crashAliveShare,
      double bugDropShare,
      double externalSpeed,
      double misconfigSpeed,
      int misconfigBufferMb,
      int nodeLossTicks,
      SignatureSettings signature) {}

  /** Magnitudes of the fault signatures at full severity. */
  public record SignatureSettings(
      double checkpointTimeoutSlowdown,
      double checkpointFailureProbability,
      double partitionP99Ms,
      double partitionNetLatencyMs,
      double partitionRetransmits,
      double partitionConnectionFailures,
      double externalP99Ms,
      double externalCallLatencyMs,
      double externalCallsPerRecord,
      double externalErrorShare,
      double externalTimeoutShare,
      double diskWriteStallMs,
      double noisyNeighbourThrottled,
      double noisyNeighbourSteal,
      double exhaustedThreads,
      double crashExceptions,
      double corruptionDeserializationErrors,
      double versionSerializationErrors,
      double bugExceptions,
      double misconfigLogErrors) {}
}
