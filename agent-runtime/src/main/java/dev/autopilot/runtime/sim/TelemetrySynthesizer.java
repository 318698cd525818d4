package dev.autopilot.runtime.sim;

import dev.autopilot.api.CheckpointMetrics;
import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.Metric;
import dev.autopilot.api.OperatorMetrics;
import dev.autopilot.api.TaskManagerMetrics;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns a pipeline model's tick into a {@link TelemetrySnapshot}: the 162 catalogue metrics of
 * every reported TaskManager, operator, checkpoint and job metrics, and the configuration. Gauges
 * carry multiplicative noise drawn from a stream seeded by (pipeline seed, tick), so observing twice
 * in one tick gives the same snapshot and observing does not disturb the model. Counters carry no
 * noise and never decrease. Nothing of the ground truth (offered load, faults) is copied in.
 */
final class TelemetrySynthesizer {

  private static final double MB = 1024.0 * 1024.0;

  private final SimSettings s;
  private final long seed;

  TelemetrySynthesizer(SimSettings settings, long seed) {
    this.s = settings;
    this.seed = seed;
  }

  TelemetrySnapshot snapshot(PipelineModel m) {
    TickResult r = m.out;
    SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + m.tick);
    double now = m.nowSec();
    List<TaskManagerMetrics> tms = new ArrayList<>(r.taskManagers.size());
    for (TickResult.TmView v : r.taskManagers) {
      tms.add(TaskManagerMetrics.of(v.pod.id, v.pod.node == null ? "unscheduled" : v.pod.node.id, vector(v, m, now, rnd)));
    }
    List<OperatorMetrics> ops = new ArrayList<>(r.operators);
    List<String> ids = m.operatorIds();
    for (int i = 0; i < r.operators; i++) {
      double busy = clamp01(r.busy[i] * noise(rnd, 0.5));
      double bp = clamp01(Math.min(1 - busy, r.backPressured[i] * noise(rnd, 0.5)));
      double idle = Math.max(0, 1 - busy - bp);
      ops.add(
          new OperatorMetrics(
              ids.get(i),
              r.parallelism[i],
              r.recordsIn[i] * noise(rnd, 1),
              r.recordsOut[i] * noise(rnd, 1),
              busy * 1000,
              bp * 1000,
              idle * 1000,
              r.pending[i] * noise(rnd, 1),
              r.stateBytes[i]));
    }
    CheckpointMetrics cp =
        new CheckpointMetrics(
            m.cpLastDurationMs * noise(rnd, 0.5),
            m.cpLastSizeBytes,
            m.cpCompleted,
            m.cpFailed,
            m.cpInProgress,
            m.lastRestoredId);
    JobMetrics job =
        new JobMetrics(
            r.jobState,
            r.throughput * noise(rnd, 1),
            r.latencyP99Ms * noise(rnd, 1),
            r.pending[0] * noise(rnd, 1),
            m.restartsTotal,
            r.runningTaskManagers);
    return new TelemetrySnapshot(
        m.id,
        m.tick,
        s.startEpochMillis() + m.tick * s.tickSeconds() * 1000L,
        tms,
        ops,
        cp,
        job,
        m.spec);
  }

  private double noise(SplittableRandom rnd, double scale) {
    double u = rnd.nextDouble() * 2 - 1;
    return Math.max(0, 1 + s.telemetryNoise() * scale * u * Math.sqrt(3));
  }

  private static double clamp01(double v) {
    return Math.max(0, Math.min(1, v));
  }

  private double[] vector(TickResult.TmView v, PipelineModel m, double now, SplittableRandom rnd) {
    double[] x = new double[Metric.COUNT];
    Cluster.Pod pod = v.pod;
    SimSettings.TaskManagerSettings tm = s.taskManager();
    double memBytes = pod.memoryGb * 1e9;
    double cpu = clamp01(v.cpuLoad * noise(rnd, 1));
    // CPU
    g(x, Metric.CPU_LOAD, cpu);
    g(x, Metric.CPU_USER, cpu * 0.82);
    g(x, Metric.CPU_SYSTEM, cpu * 0.12);
    g(x, Metric.CPU_IOWAIT, clamp01(0.01 + v.writeStallMs / 4000) * noise(rnd, 1));
    g(x, Metric.CPU_STEAL, clamp01((0.005 + v.cpuSteal) * noise(rnd, 1)));
    g(x, Metric.CPU_THROTTLED, clamp01((0.01 + 0.05 * Math.max(0, cpu - 0.85) / 0.15 + v.cpuThrottled) * noise(rnd, 1)));
    double runnable = cpu * pod.cpu + v.subtasks * v.busy * 0.2;
    g(x, Metric.LOAD_AVG_1M, runnable * noise(rnd, 1));
    g(x, Metric.LOAD_AVG_5M, runnable * noise(rnd, 0.5));
    g(x, Metric.LOAD_AVG_15M, runnable * noise(rnd, 0.3));
    g(x, Metric.CONTEXT_SWITCHES, (2_000 + v.recordsIn * 0.01 + v.threads * 20) * noise(rnd, 1));
    g(x, Metric.CPU_CORES, pod.cpu);
    g(x, Metric.CPU_TIME, cpu * pod.cpu);
    // memory
    double heapUsed = Math.min(v.heapMax, v.heapUsed * noise(rnd, 1));
    g(x, Metric.HEAP_USED, heapUsed);
    g(x, Metric.HEAP_COMMITTED, v.heapMax);
    g(x, Metric.HEAP_MAX, v.heapMax);
    g(x, Metric.HEAP_USED_RATIO, v.heapMax <= 0 ? 0 : heapUsed / v.heapMax);
    double nonHeap = 280 * MB * noise(rnd, 0.3);
    g(x, Metric.NONHEAP_USED, nonHeap);
    g(x, Metric.NONHEAP_COMMITTED, nonHeap * 1.1);
    g(x, Metric.METASPACE_USED, 160 * MB * noise(rnd, 0.2));
    double network = m.running.networkBufferMb() * MB;
    double netUsed = network * Math.max(v.inPool, v.outPool);
    g(x, Metric.DIRECT_USED, (netUsed + 64 * MB) * noise(rnd, 0.5));
    g(x, Metric.DIRECT_COUNT, (netUsed / 32_768 + 200) * noise(rnd, 0.5));
    g(x, Metric.MAPPED_USED, Math.min(v.stateBytes, 2e9) * 0.1 * noise(rnd, 1));
    double managedTotal = memBytes * 0.4;
    g(x, Metric.MANAGED_USED, Math.min(managedTotal, v.stateBytes * 0.05 + managedTotal * 0.6) * noise(rnd, 0.3));
    g(x, Metric.MANAGED_TOTAL, managedTotal);
    g(x, Metric.NETWORK_MEMORY_USED, netUsed);
    g(x, Metric.NETWORK_MEMORY_TOTAL, network);
    double rss = Math.min(memBytes, heapUsed + nonHeap + netUsed + managedTotal * 0.8 + 300 * MB);
    g(x, Metric.PROCESS_RSS, rss);
    g(x, Metric.CONTAINER_MEMORY_LIMIT, memBytes);
    g(x, Metric.CONTAINER_MEMORY_RATIO, clamp01(rss / memBytes));
    g(x, Metric.OLD_GEN_USED, Math.min(v.heapMax, v.oldGen * noise(rnd, 0.5)));
    g(x, Metric.YOUNG_GEN_USED, v.youngGen * noise(rnd, 3));
    g(x, Metric.SURVIVOR_USED, v.youngGen * 0.08 * noise(rnd, 2));
    g(x, Metric.ALLOCATION_RATE, v.allocRate * noise(rnd, 1));
    // GC
    g(x, Metric.GC_YOUNG_COUNT, v.gcYoungCount * noise(rnd, 2));
    g(x, Metric.GC_YOUNG_TIME, v.gcYoungTimeMs * noise(rnd, 2));
    g(x, Metric.GC_OLD_COUNT, v.gcOldCount * noise(rnd, 2));
    g(x, Metric.GC_OLD_TIME, v.gcOldTimeMs * noise(rnd, 2));
    g(x, Metric.GC_PAUSE_MAX, v.gcPauseMax * noise(rnd, 2));
    g(x, Metric.GC_PAUSE_P99, v.gcPauseP99 * noise(rnd, 2));
    g(x, Metric.GC_TIME_RATIO, clamp01(pod.gcRatio * noise(rnd, 2)));
    g(x, Metric.GC_PROMOTION_RATE, (v.allocRate * 0.03 + (v.gcOldTimeMs > 0 ? 20 * MB : 0)) * noise(rnd, 2));
    g(x, Metric.GC_FULL_TOTAL, pod.gcFullTotal);
    g(x, Metric.GC_CONCURRENT_CYCLES, pod.gcCycles / 20);
    // JVM
    double threads = v.threads * noise(rnd, 0.3);
    g(x, Metric.THREADS, threads);
    g(x, Metric.THREADS_DAEMON, threads * 0.8);
    g(x, Metric.THREADS_BLOCKED, (1 + v.subtasks * v.backPressured) * noise(rnd, 2));
    g(x, Metric.THREADS_PEAK, Math.max(pod.threadsPeak, threads));
    g(x, Metric.CLASSES_LOADED, 14_500 + pod.classloadingErrors * 3);
    g(x, Metric.CLASSES_UNLOADED, 120);
    double fdLimit = tm.fileDescriptorLimit();
    double fdRatio = clamp01(v.fdRatio * noise(rnd, 0.5));
    g(x, Metric.FILE_DESCRIPTORS, fdRatio * fdLimit);
    g(x, Metric.FILE_DESCRIPTORS_RATIO, fdRatio);
    g(x, Metric.UPTIME, Math.max(0, now - pod.readyAtSec + (pod.startedAtSec < 0 ? -pod.startedAtSec : 0)));
    // network
    double remote = 0.85;
    g(x, Metric.NET_IN_BYTES, v.bytesIn * remote * noise(rnd, 1));
    g(x, Metric.NET_OUT_BYTES, v.bytesOut * remote * noise(rnd, 1));
    g(x, Metric.NET_IN_PACKETS, v.bytesIn * remote / 8_000 * noise(rnd, 1));
    g(x, Metric.NET_OUT_PACKETS, v.bytesOut * remote / 8_000 * noise(rnd, 1));
    g(x, Metric.NET_IN_ERRORS, v.connectionFailures * 0.5 * noise(rnd, 2));
    g(x, Metric.NET_OUT_ERRORS, v.connectionFailures * 0.5 * noise(rnd, 2));
    g(x, Metric.NET_DROPPED, (v.retransmits * 0.2) * noise(rnd, 2));
    g(x, Metric.NET_RETRANSMITS, (2 + v.retransmits) * noise(rnd, 2));
    g(x, Metric.NET_LATENCY, v.netLatencyMs * noise(rnd, 3));
    g(x, Metric.NET_CONNECTIONS, (v.subtasks * 7 + 20) * noise(rnd, 0.2));
    g(x, Metric.NET_CONNECTION_FAILURES, v.connectionFailures * noise(rnd, 2));
    g(x, Metric.NET_BANDWIDTH_RATIO, clamp01((v.bytesIn + v.bytesOut) / 1.25e9 * noise(rnd, 1)));
    g(x, Metric.NETTY_PENDING_TASKS, (v.backPressured * 50 + v.retransmits * 0.01) * noise(rnd, 2));
    g(x, Metric.NETTY_ALLOCATED, (32 * MB + netUsed * 0.2) * noise(rnd, 0.5));
    g(x, Metric.REMOTE_BYTES_IN, v.bytesIn * remote * noise(rnd, 1));
    g(x, Metric.REMOTE_BYTES_OUT, v.bytesOut * remote * noise(rnd, 1));
    g(x, Metric.LOCAL_BYTES_IN, v.bytesIn * (1 - remote) * noise(rnd, 1));
    g(x, Metric.LOCAL_BYTES_OUT, v.bytesOut * (1 - remote) * noise(rnd, 1));
    // buffers
    double inPool = clamp01(v.inPool * noise(rnd, 0.5));
    double outPool = clamp01(v.outPool * noise(rnd, 0.5));
    g(x, Metric.IN_POOL_USAGE, inPool);
    g(x, Metric.OUT_POOL_USAGE, outPool);
    double buffers = network / 32_768;
    g(x, Metric.IN_QUEUE_LENGTH, inPool * buffers * 0.5);
    g(x, Metric.OUT_QUEUE_LENGTH, outPool * buffers * 0.5);
    g(x, Metric.EXCLUSIVE_BUFFERS_USAGE, inPool);
    g(x, Metric.FLOATING_BUFFERS_USAGE, clamp01(inPool * 1.1));
    g(x, Metric.IN_BUFFERS_AVAILABLE, (1 - inPool) * buffers * 0.5);
    g(x, Metric.OUT_BUFFERS_AVAILABLE, (1 - outPool) * buffers * 0.5);
    g(x, Metric.DEBLOAT_TARGET, 32_768 * (1 - 0.7 * inPool));
    g(x, Metric.BUFFER_SIZE, network);
    g(x, Metric.REQUESTED_MEMORY_RATIO, clamp01(Math.max(inPool, outPool) * 0.9 + 0.05));
    double bp = clamp01(v.backPressured * noise(rnd, 0.5));
    g(x, Metric.BACKPRESSURE, bp);
    g(x, Metric.SOFT_BACKPRESSURE, bp * 0.3);
    g(x, Metric.HARD_BACKPRESSURE, bp * 0.7);
    g(x, Metric.BUFFER_TIMEOUT_FLUSHES, (v.subtasks * 10 * (1 - bp)) * noise(rnd, 1));
    g(x, Metric.OUTPUT_FLUSHES, (v.bytesOut / 32_768 + v.subtasks * 10) * noise(rnd, 1));
    // disk
    double written = v.stateGrowth * 2 + v.writeStallMs * MB / 100;
    g(x, Metric.DISK_READ_BYTES, (v.stateGrowth * 0.5 + 1 * MB) * noise(rnd, 2));
    g(x, Metric.DISK_WRITE_BYTES, (written + 1 * MB) * noise(rnd, 2));
    g(x, Metric.DISK_READ_IOPS, (v.stateGrowth * 0.5 / 16_384 + 20) * noise(rnd, 2));
    g(x, Metric.DISK_WRITE_IOPS, (written / 65_536 + 20) * noise(rnd, 2));
    double diskUtil = clamp01((written / (400 * MB) + v.writeStallMs / 1000) * noise(rnd, 1));
    g(x, Metric.DISK_UTILIZATION, diskUtil);
    g(x, Metric.DISK_QUEUE_DEPTH, (diskUtil * 4 + v.writeStallMs / 100) * noise(rnd, 1));
    g(x, Metric.DISK_LATENCY, (0.4 + diskUtil * 3 + v.writeStallMs / 50) * noise(rnd, 1));
    double disk = tm.diskGb() * 1e9;
    double diskRatio = clamp01(v.diskUsedRatio * noise(rnd, 0.1));
    g(x, Metric.DISK_USED, diskRatio * disk);
    g(x, Metric.DISK_FREE, (1 - diskRatio) * disk);
    g(x, Metric.DISK_USED_RATIO, diskRatio);
    g(x, Metric.INODES_USED_RATIO, clamp01(0.02 + diskRatio * 0.1));
    g(x, Metric.SPILL_BYTES, v.writeStallMs * MB / 200 * noise(rnd, 1));
    // state
    g(x, Metric.STATE_SIZE, v.stateBytes);
    g(x, Metric.ROCKSDB_MEMTABLE, Math.min(256 * MB, v.stateGrowth * 5) * noise(rnd, 1));
    g(x, Metric.ROCKSDB_BLOCK_CACHE, Math.min(managedTotal * 0.5, v.stateBytes * 0.1) * noise(rnd, 0.3));
    g(x, Metric.ROCKSDB_BLOCK_CACHE_HIT, clamp01((v.stateBytes <= 0 ? 1 : 0.93) * noise(rnd, 0.3)));
    g(x, Metric.ROCKSDB_COMPACTION_PENDING, (v.writeStallMs > 0 ? 8 : 0.5) * noise(rnd, 2));
    g(x, Metric.ROCKSDB_COMPACTION_BYTES, v.stateGrowth * 1.5 * noise(rnd, 2));
    g(x, Metric.ROCKSDB_LIVE_SST, v.stateBytes * 1.1);
    g(x, Metric.ROCKSDB_RUNNING_COMPACTIONS, (v.stateGrowth > 0 ? 1 : 0) + (v.writeStallMs > 0 ? 3 : 0));
    g(x, Metric.ROCKSDB_RUNNING_FLUSHES, v.stateGrowth > 0 ? 1 : 0);
    g(x, Metric.ROCKSDB_WRITE_STALL, v.writeStallMs * noise(rnd, 1));
    g(x, Metric.ROCKSDB_KEYS, v.stateBytes / 120);
    g(x, Metric.ROCKSDB_READ_LATENCY, (0.05 + v.writeStallMs / 200) * noise(rnd, 2));
    g(x, Metric.ROCKSDB_WRITE_LATENCY, (0.02 + v.writeStallMs / 100) * noise(rnd, 2));
    g(x, Metric.STATE_ACCESS_LATENCY, (0.08 + v.writeStallMs / 150) * noise(rnd, 2));
    g(x, Metric.TIMERS, v.stateBytes / 2_000);
    g(x, Metric.STATE_GROWTH, v.stateGrowth * noise(rnd, 1));
    // tasks
    g(x, Metric.SLOTS_TOTAL, m.running.slotsPerTaskManager());
    g(x, Metric.SLOTS_USED, v.slotsUsed);
    g(x, Metric.TASKS_RUNNING, v.subtasks);
    g(x, Metric.TASKS_FAILED_TOTAL, pod.tasksFailed);
    g(x, Metric.TASK_RESTARTS_TOTAL, pod.taskRestarts + m.restartsTotal * v.subtasks);
    g(x, Metric.RECORDS_IN, v.recordsIn * noise(rnd, 1));
    g(x, Metric.RECORDS_OUT, v.recordsOut * noise(rnd, 1));
    g(x, Metric.BYTES_IN, v.bytesIn * noise(rnd, 1));
    g(x, Metric.BYTES_OUT, v.bytesOut * noise(rnd, 1));
    double busy = clamp01(v.busy * noise(rnd, 0.5));
    double bpt = Math.min(1 - busy, bp);
    g(x, Metric.BUSY, busy);
    g(x, Metric.IDLE, Math.max(0, 1 - busy - bpt));
    g(x, Metric.BACKPRESSURED, bpt);
    g(x, Metric.MAILBOX_LATENCY, (0.2 + 20 * busy * busy) * noise(rnd, 2));
    g(x, Metric.MAILBOX_SIZE, (busy * 5) * noise(rnd, 2));
    double latency = m.out.latencyP99Ms;
    g(x, Metric.WATERMARK_LAG, (200 + latency) * noise(rnd, 1));
    g(x, Metric.LATE_RECORDS, (latency > 5_000 ? v.recordsIn * 0.001 : 0) * noise(rnd, 1));
    // checkpoints
    g(x, Metric.CP_ALIGNMENT, m.cpAlignmentMs * noise(rnd, 1));
    g(x, Metric.CP_START_DELAY, m.cpStartDelayMs * noise(rnd, 1));
    g(x, Metric.CP_SYNC, m.cpSyncMs * noise(rnd, 1));
    g(x, Metric.CP_ASYNC, m.cpAsyncMs * noise(rnd, 1));
    int tms = Math.max(1, m.out.taskManagers.size());
    g(x, Metric.CP_BYTES_PERSISTED, m.cpPersistedBytes / tms);
    g(x, Metric.CP_UPLOAD_RATE, m.cpAsyncMs <= 0 ? 0 : m.cpPersistedBytes / tms / (m.cpAsyncMs / 1000) * noise(rnd, 1));
    g(x, Metric.CP_BUFFERED, netUsed * Math.min(1, m.cpAlignmentMs / 1000) * noise(rnd, 1));
    g(x, Metric.CP_UNALIGNED_BYTES, 0);
    g(x, Metric.CP_CHANGELOG_BYTES, 0);
    g(x, Metric.CP_FAILURES_TOTAL, pod.checkpointFailures);
    // external systems
    g(x, Metric.EXT_REQUESTS, v.extRequests * noise(rnd, 1));
    g(x, Metric.EXT_ERRORS, (v.extRequests * 0.0005 + v.extErrors) * noise(rnd, 1));
    g(x, Metric.EXT_LATENCY, v.extLatencyMs * noise(rnd, 2));
    g(x, Metric.EXT_TIMEOUTS, v.extTimeouts * noise(rnd, 1));
    g(x, Metric.SOURCE_LAG, v.sourceLag * noise(rnd, 1));
    g(x, Metric.SOURCE_FETCH_LATENCY, v.sourceShare > 0 ? (3 + v.netLatencyMs) * noise(rnd, 2) : 0);
    g(x, Metric.SOURCE_COMMIT_FAILURES, pod.commitFailures);
    g(x, Metric.SINK_WRITE_ERRORS, 0);
    // errors
    g(x, Metric.EXCEPTIONS, (0.01 + v.exceptions) * noise(rnd, 2));
    g(x, Metric.DESERIALIZATION_ERRORS, v.deserializationErrors * noise(rnd, 2));
    g(x, Metric.SERIALIZATION_ERRORS, v.serializationErrors * noise(rnd, 2));
    g(x, Metric.CLASSLOADING_ERRORS, pod.classloadingErrors);
    g(x, Metric.LOG_ERRORS, (0.2 + v.logErrors) * noise(rnd, 2));
    g(x, Metric.LOG_WARNINGS, (3 + 20 * bp + v.logErrors * 0.5) * noise(rnd, 2));
    // node
    Cluster.Node node = pod.node;
    double nodeCores = s.cluster().nodeCores();
    double nodeAlloc = node == null ? 0 : node.allocatedCores();
    g(x, Metric.NODE_CPU_RATIO, clamp01((nodeAlloc * cpu / nodeCores + v.cpuSteal * 0.5 + 0.03) * noise(rnd, 1)));
    g(x, Metric.NODE_MEMORY_RATIO, clamp01(((node == null ? 0 : node.allocatedMemoryGb()) * 0.85 / s.cluster().nodeMemoryGb() + 0.04) * noise(rnd, 0.3)));
    g(x, Metric.NODE_DISK_RATIO, diskRatio);
    g(x, Metric.NODE_NETWORK_RATIO, clamp01(((v.bytesIn + v.bytesOut) * (node == null ? 1 : node.pods.size()) / 3.1e9) * noise(rnd, 1)));
    g(x, Metric.NODE_READY, v.nodeReady ? 1 : 0);
    g(x, Metric.NODE_PRESSURE, diskRatio > 0.9 || fdRatio > 0.9 || rss / memBytes > 0.95 ? 1 : 0);
    g(x, Metric.POD_RESTARTS_TOTAL, pod.podRestarts);
    g(x, Metric.POD_OOM_KILLS_TOTAL, pod.oomKills);
    return x;
  }

  private static void g(double[] x, Metric m, double v) {
    x[m.ordinal()] = Double.isFinite(v) ? Math.max(0, v) : 0;
  }
}
