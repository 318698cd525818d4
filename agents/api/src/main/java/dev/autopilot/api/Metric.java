package dev.autopilot.api;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalogue of per-TaskManager metrics carried by every {@link TelemetrySnapshot}: 162 named
 * metrics across CPU, memory, GC, JVM, network, buffers, disk, state backend, tasks, checkpoints,
 * external systems, errors and the hosting node.
 *
 * <p>A {@link TaskManagerMetrics#values()} array holds one value per constant, at index {@link
 * #ordinal()}. Constants are only ever appended: the order is part of the wire format. Every value
 * is finite and non-negative; a platform that cannot observe a metric lists it in {@link
 * TaskManagerMetrics#absent()} instead of inventing a value.
 */
public enum Metric {
  /** Process CPU load over the TaskManager's allocated cores (0-1). */
  CPU_LOAD("cpu_load", Unit.RATIO, Subsystem.CPU, "Process CPU load over the TaskManager's allocated cores (0-1)"),
  /** User-mode CPU share of allocated cores. */
  CPU_USER("cpu_user", Unit.RATIO, Subsystem.CPU, "User-mode CPU share of allocated cores"),
  /** Kernel-mode CPU share of allocated cores. */
  CPU_SYSTEM("cpu_system", Unit.RATIO, Subsystem.CPU, "Kernel-mode CPU share of allocated cores"),
  /** Share of time waiting on I/O. */
  CPU_IOWAIT("cpu_iowait", Unit.RATIO, Subsystem.CPU, "Share of time waiting on I/O"),
  /** Share of time stolen by the hypervisor. */
  CPU_STEAL("cpu_steal", Unit.RATIO, Subsystem.CPU, "Share of time stolen by the hypervisor"),
  /** Share of CFS periods throttled by the container limit. */
  CPU_THROTTLED("cpu_throttled", Unit.RATIO, Subsystem.CPU, "Share of CFS periods throttled by the container limit"),
  /** 1-minute load average (runnable threads). */
  LOAD_AVG_1M("load_avg_1m", Unit.COUNT, Subsystem.CPU, "1-minute load average (runnable threads)"),
  /** 5-minute load average. */
  LOAD_AVG_5M("load_avg_5m", Unit.COUNT, Subsystem.CPU, "5-minute load average"),
  /** 15-minute load average. */
  LOAD_AVG_15M("load_avg_15m", Unit.COUNT, Subsystem.CPU, "15-minute load average"),
  /** Context switches per second. */
  CONTEXT_SWITCHES("context_switches_per_second", Unit.PER_SECOND, Subsystem.CPU, "Context switches per second"),
  /** CPU cores allocated to the TaskManager. */
  CPU_CORES("cpu_cores", Unit.COUNT, Subsystem.CPU, "CPU cores allocated to the TaskManager"),
  /** CPU seconds consumed per wall second. */
  CPU_TIME("cpu_time_seconds_per_second", Unit.PER_SECOND, Subsystem.CPU, "CPU seconds consumed per wall second"),
  /** JVM heap used. */
  HEAP_USED("heap_used_bytes", Unit.BYTES, Subsystem.MEMORY, "JVM heap used"),
  /** JVM heap committed. */
  HEAP_COMMITTED("heap_committed_bytes", Unit.BYTES, Subsystem.MEMORY, "JVM heap committed"),
  /** JVM heap maximum. */
  HEAP_MAX("heap_max_bytes", Unit.BYTES, Subsystem.MEMORY, "JVM heap maximum"),
  /** Heap used over heap maximum. */
  HEAP_USED_RATIO("heap_used_ratio", Unit.RATIO, Subsystem.MEMORY, "Heap used over heap maximum"),
  /** Non-heap memory used. */
  NONHEAP_USED("nonheap_used_bytes", Unit.BYTES, Subsystem.MEMORY, "Non-heap memory used"),
  /** Non-heap memory committed. */
  NONHEAP_COMMITTED("nonheap_committed_bytes", Unit.BYTES, Subsystem.MEMORY, "Non-heap memory committed"),
  /** Metaspace used. */
  METASPACE_USED("metaspace_used_bytes", Unit.BYTES, Subsystem.MEMORY, "Metaspace used"),
  /** Direct buffer memory used. */
  DIRECT_USED("direct_used_bytes", Unit.BYTES, Subsystem.MEMORY, "Direct buffer memory used"),
  /** Direct buffers allocated. */
  DIRECT_COUNT("direct_buffers", Unit.COUNT, Subsystem.MEMORY, "Direct buffers allocated"),
  /** Memory-mapped buffers used. */
  MAPPED_USED("mapped_used_bytes", Unit.BYTES, Subsystem.MEMORY, "Memory-mapped buffers used"),
  /** Flink managed memory used. */
  MANAGED_USED("managed_used_bytes", Unit.BYTES, Subsystem.MEMORY, "Flink managed memory used"),
  /** Flink managed memory total. */
  MANAGED_TOTAL("managed_total_bytes", Unit.BYTES, Subsystem.MEMORY, "Flink managed memory total"),
  /** Network buffer memory in use. */
  NETWORK_MEMORY_USED("network_memory_used_bytes", Unit.BYTES, Subsystem.MEMORY, "Network buffer memory in use"),
  /** Network buffer memory total. */
  NETWORK_MEMORY_TOTAL("network_memory_total_bytes", Unit.BYTES, Subsystem.MEMORY, "Network buffer memory total"),
  /** Resident set size of the TaskManager process. */
  PROCESS_RSS("process_rss_bytes", Unit.BYTES, Subsystem.MEMORY, "Resident set size of the TaskManager process"),
  /** Container memory limit. */
  CONTAINER_MEMORY_LIMIT("container_memory_limit_bytes", Unit.BYTES, Subsystem.MEMORY, "Container memory limit"),
  /** Container memory usage over its limit. */
  CONTAINER_MEMORY_RATIO("container_memory_ratio", Unit.RATIO, Subsystem.MEMORY, "Container memory usage over its limit"),
  /** Old generation used. */
  OLD_GEN_USED("old_gen_used_bytes", Unit.BYTES, Subsystem.MEMORY, "Old generation used"),
  /** Young generation used. */
  YOUNG_GEN_USED("young_gen_used_bytes", Unit.BYTES, Subsystem.MEMORY, "Young generation used"),
  /** Survivor spaces used. */
  SURVIVOR_USED("survivor_used_bytes", Unit.BYTES, Subsystem.MEMORY, "Survivor spaces used"),
  /** Heap allocation rate. */
  ALLOCATION_RATE("allocation_bytes_per_second", Unit.PER_SECOND, Subsystem.MEMORY, "Heap allocation rate"),
  /** Young collections per second. */
  GC_YOUNG_COUNT("gc_young_count_per_second", Unit.PER_SECOND, Subsystem.GC, "Young collections per second"),
  /** Young collection time per second. */
  GC_YOUNG_TIME("gc_young_time_ms_per_second", Unit.MILLIS_PER_SECOND, Subsystem.GC, "Young collection time per second"),
  /** Old collections per second. */
  GC_OLD_COUNT("gc_old_count_per_second", Unit.PER_SECOND, Subsystem.GC, "Old collections per second"),
  /** Old collection time per second. */
  GC_OLD_TIME("gc_old_time_ms_per_second", Unit.MILLIS_PER_SECOND, Subsystem.GC, "Old collection time per second"),
  /** Longest pause in the interval. */
  GC_PAUSE_MAX("gc_pause_max_ms", Unit.MILLIS, Subsystem.GC, "Longest pause in the interval"),
  /** 99th percentile pause in the interval. */
  GC_PAUSE_P99("gc_pause_p99_ms", Unit.MILLIS, Subsystem.GC, "99th percentile pause in the interval"),
  /** Share of wall time spent in GC. */
  GC_TIME_RATIO("gc_time_ratio", Unit.RATIO, Subsystem.GC, "Share of wall time spent in GC"),
  /** Bytes promoted to old generation per second. */
  GC_PROMOTION_RATE("gc_promotion_bytes_per_second", Unit.PER_SECOND, Subsystem.GC, "Bytes promoted to old generation per second"),
  /** Full collections since start. */
  GC_FULL_TOTAL("gc_full_total", Unit.COUNT, Subsystem.GC, "Full collections since start"),
  /** Concurrent GC cycles since start. */
  GC_CONCURRENT_CYCLES("gc_concurrent_cycles_total", Unit.COUNT, Subsystem.GC, "Concurrent GC cycles since start"),
  /** Live threads. */
  THREADS("threads", Unit.COUNT, Subsystem.JVM, "Live threads"),
  /** Daemon threads. */
  THREADS_DAEMON("threads_daemon", Unit.COUNT, Subsystem.JVM, "Daemon threads"),
  /** Threads blocked on a monitor. */
  THREADS_BLOCKED("threads_blocked", Unit.COUNT, Subsystem.JVM, "Threads blocked on a monitor"),
  /** Peak live threads. */
  THREADS_PEAK("threads_peak", Unit.COUNT, Subsystem.JVM, "Peak live threads"),
  /** Classes loaded. */
  CLASSES_LOADED("classes_loaded", Unit.COUNT, Subsystem.JVM, "Classes loaded"),
  /** Classes unloaded since start. */
  CLASSES_UNLOADED("classes_unloaded_total", Unit.COUNT, Subsystem.JVM, "Classes unloaded since start"),
  /** Open file descriptors. */
  FILE_DESCRIPTORS("file_descriptors_open", Unit.COUNT, Subsystem.JVM, "Open file descriptors"),
  /** Open file descriptors over the limit. */
  FILE_DESCRIPTORS_RATIO("file_descriptors_ratio", Unit.RATIO, Subsystem.JVM, "Open file descriptors over the limit"),
  /** TaskManager process uptime. */
  UPTIME("uptime_seconds", Unit.SECONDS, Subsystem.JVM, "TaskManager process uptime"),
  /** Bytes received per second. */
  NET_IN_BYTES("net_in_bytes_per_second", Unit.PER_SECOND, Subsystem.NETWORK, "Bytes received per second"),
  /** Bytes sent per second. */
  NET_OUT_BYTES("net_out_bytes_per_second", Unit.PER_SECOND, Subsystem.NETWORK, "Bytes sent per second"),
  /** Packets received per second. */
  NET_IN_PACKETS("net_in_packets_per_second", Unit.PER_SECOND, Subsystem.NETWORK, "Packets received per second"),
  /** Packets sent per second. */
  NET_OUT_PACKETS("net_out_packets_per_second", Unit.PER_SECOND, Subsystem.NETWORK, "Packets sent per second"),
  /** Receive errors per second. */
  NET_IN_ERRORS("net_in_errors_per_second", Unit.PER_SECOND, Subsystem.NETWORK, "Receive errors per second"),
  /** Send errors per second. */
  NET_OUT_ERRORS("net_out_errors_per_second", Unit.PER_SECOND, Subsystem.NETWORK, "Send errors per second"),
  /** Packets dropped per second. */
  NET_DROPPED("net_dropped_per_second", Unit.PER_SECOND, Subsystem.NETWORK, "Packets dropped per second"),
  /** TCP retransmits per second. */
  NET_RETRANSMITS("net_retransmits_per_second", Unit.PER_SECOND, Subsystem.NETWORK, "TCP retransmits per second"),
  /** Round-trip latency to peer TaskManagers. */
  NET_LATENCY("net_latency_ms", Unit.MILLIS, Subsystem.NETWORK, "Round-trip latency to peer TaskManagers"),
  /** Open data-plane connections. */
  NET_CONNECTIONS("net_connections", Unit.COUNT, Subsystem.NETWORK, "Open data-plane connections"),
  /** Failed connection attempts per second. */
  NET_CONNECTION_FAILURES("net_connection_failures_per_second", Unit.PER_SECOND, Subsystem.NETWORK, "Failed connection attempts per second"),
  /** Link utilisation over bandwidth. */
  NET_BANDWIDTH_RATIO("net_bandwidth_ratio", Unit.RATIO, Subsystem.NETWORK, "Link utilisation over bandwidth"),
  /** Pending tasks in the Netty event loops. */
  NETTY_PENDING_TASKS("netty_pending_tasks", Unit.COUNT, Subsystem.NETWORK, "Pending tasks in the Netty event loops"),
  /** Bytes allocated by Netty. */
  NETTY_ALLOCATED("netty_allocated_bytes", Unit.BYTES, Subsystem.NETWORK, "Bytes allocated by Netty"),
  /** Bytes read from remote input channels per second. */
  REMOTE_BYTES_IN("remote_in_bytes_per_second", Unit.PER_SECOND, Subsystem.NETWORK, "Bytes read from remote input channels per second"),
  /** Bytes written to remote channels per second. */
  REMOTE_BYTES_OUT("remote_out_bytes_per_second", Unit.PER_SECOND, Subsystem.NETWORK, "Bytes written to remote channels per second"),
  /** Bytes read from local input channels per second. */
  LOCAL_BYTES_IN("local_in_bytes_per_second", Unit.PER_SECOND, Subsystem.NETWORK, "Bytes read from local input channels per second"),
  /** Bytes written to local channels per second. */
  LOCAL_BYTES_OUT("local_out_bytes_per_second", Unit.PER_SECOND, Subsystem.NETWORK, "Bytes written to local channels per second"),
  /** Input buffer pool usage. */
  IN_POOL_USAGE("in_pool_usage_ratio", Unit.RATIO, Subsystem.BUFFERS, "Input buffer pool usage"),
  /** Output buffer pool usage. */
  OUT_POOL_USAGE("out_pool_usage_ratio", Unit.RATIO, Subsystem.BUFFERS, "Output buffer pool usage"),
  /** Queued input buffers. */
  IN_QUEUE_LENGTH("in_queue_length", Unit.COUNT, Subsystem.BUFFERS, "Queued input buffers"),
  /** Queued output buffers. */
  OUT_QUEUE_LENGTH("out_queue_length", Unit.COUNT, Subsystem.BUFFERS, "Queued output buffers"),
  /** Exclusive buffer usage. */
  EXCLUSIVE_BUFFERS_USAGE("exclusive_buffers_ratio", Unit.RATIO, Subsystem.BUFFERS, "Exclusive buffer usage"),
  /** Floating buffer usage. */
  FLOATING_BUFFERS_USAGE("floating_buffers_ratio", Unit.RATIO, Subsystem.BUFFERS, "Floating buffer usage"),
  /** Input buffers available. */
  IN_BUFFERS_AVAILABLE("in_buffers_available", Unit.COUNT, Subsystem.BUFFERS, "Input buffers available"),
  /** Output buffers available. */
  OUT_BUFFERS_AVAILABLE("out_buffers_available", Unit.COUNT, Subsystem.BUFFERS, "Output buffers available"),
  /** Buffer debloating target size. */
  DEBLOAT_TARGET("debloat_target_bytes", Unit.BYTES, Subsystem.BUFFERS, "Buffer debloating target size"),
  /** Configured network buffer memory per TaskManager. */
  BUFFER_SIZE("buffer_size_bytes", Unit.BYTES, Subsystem.BUFFERS, "Configured network buffer memory per TaskManager"),
  /** Requested over available network memory. */
  REQUESTED_MEMORY_RATIO("requested_memory_ratio", Unit.RATIO, Subsystem.BUFFERS, "Requested over available network memory"),
  /** Share of time subtasks on this TaskManager are backpressured. */
  BACKPRESSURE("backpressure_ratio", Unit.RATIO, Subsystem.BUFFERS, "Share of time subtasks on this TaskManager are backpressured"),
  /** Soft backpressure share. */
  SOFT_BACKPRESSURE("soft_backpressure_ratio", Unit.RATIO, Subsystem.BUFFERS, "Soft backpressure share"),
  /** Hard backpressure share. */
  HARD_BACKPRESSURE("hard_backpressure_ratio", Unit.RATIO, Subsystem.BUFFERS, "Hard backpressure share"),
  /** Flushes triggered by the buffer timeout. */
  BUFFER_TIMEOUT_FLUSHES("buffer_timeout_flushes_per_second", Unit.PER_SECOND, Subsystem.BUFFERS, "Flushes triggered by the buffer timeout"),
  /** Output flushes per second. */
  OUTPUT_FLUSHES("output_flushes_per_second", Unit.PER_SECOND, Subsystem.BUFFERS, "Output flushes per second"),
  /** Disk read throughput. */
  DISK_READ_BYTES("disk_read_bytes_per_second", Unit.PER_SECOND, Subsystem.DISK, "Disk read throughput"),
  /** Disk write throughput. */
  DISK_WRITE_BYTES("disk_write_bytes_per_second", Unit.PER_SECOND, Subsystem.DISK, "Disk write throughput"),
  /** Disk read operations per second. */
  DISK_READ_IOPS("disk_read_iops", Unit.PER_SECOND, Subsystem.DISK, "Disk read operations per second"),
  /** Disk write operations per second. */
  DISK_WRITE_IOPS("disk_write_iops", Unit.PER_SECOND, Subsystem.DISK, "Disk write operations per second"),
  /** Share of time the device is busy. */
  DISK_UTILIZATION("disk_utilization_ratio", Unit.RATIO, Subsystem.DISK, "Share of time the device is busy"),
  /** Average device queue depth. */
  DISK_QUEUE_DEPTH("disk_queue_depth", Unit.COUNT, Subsystem.DISK, "Average device queue depth"),
  /** Average I/O latency. */
  DISK_LATENCY("disk_latency_ms", Unit.MILLIS, Subsystem.DISK, "Average I/O latency"),
  /** Local disk used. */
  DISK_USED("disk_used_bytes", Unit.BYTES, Subsystem.DISK, "Local disk used"),
  /** Local disk free. */
  DISK_FREE("disk_free_bytes", Unit.BYTES, Subsystem.DISK, "Local disk free"),
  /** Local disk used over capacity. */
  DISK_USED_RATIO("disk_used_ratio", Unit.RATIO, Subsystem.DISK, "Local disk used over capacity"),
  /** Inodes used over capacity. */
  INODES_USED_RATIO("inodes_used_ratio", Unit.RATIO, Subsystem.DISK, "Inodes used over capacity"),
  /** Bytes spilled to disk per second. */
  SPILL_BYTES("spill_bytes_per_second", Unit.PER_SECOND, Subsystem.DISK, "Bytes spilled to disk per second"),
  /** Keyed state size on this TaskManager. */
  STATE_SIZE("state_size_bytes", Unit.BYTES, Subsystem.STATE, "Keyed state size on this TaskManager"),
  /** RocksDB memtables size. */
  ROCKSDB_MEMTABLE("rocksdb_memtable_bytes", Unit.BYTES, Subsystem.STATE, "RocksDB memtables size"),
  /** RocksDB block cache usage. */
  ROCKSDB_BLOCK_CACHE("rocksdb_block_cache_bytes", Unit.BYTES, Subsystem.STATE, "RocksDB block cache usage"),
  /** RocksDB block cache hit ratio. */
  ROCKSDB_BLOCK_CACHE_HIT("rocksdb_block_cache_hit_ratio", Unit.RATIO, Subsystem.STATE, "RocksDB block cache hit ratio"),
  /** RocksDB pending compactions. */
  ROCKSDB_COMPACTION_PENDING("rocksdb_compaction_pending", Unit.COUNT, Subsystem.STATE, "RocksDB pending compactions"),
  /** RocksDB compaction throughput. */
  ROCKSDB_COMPACTION_BYTES("rocksdb_compaction_bytes_per_second", Unit.PER_SECOND, Subsystem.STATE, "RocksDB compaction throughput"),
  /** RocksDB live SST files size. */
  ROCKSDB_LIVE_SST("rocksdb_live_sst_bytes", Unit.BYTES, Subsystem.STATE, "RocksDB live SST files size"),
  /** RocksDB running compactions. */
  ROCKSDB_RUNNING_COMPACTIONS("rocksdb_running_compactions", Unit.COUNT, Subsystem.STATE, "RocksDB running compactions"),
  /** RocksDB running flushes. */
  ROCKSDB_RUNNING_FLUSHES("rocksdb_running_flushes", Unit.COUNT, Subsystem.STATE, "RocksDB running flushes"),
  /** RocksDB write stall time per second. */
  ROCKSDB_WRITE_STALL("rocksdb_write_stall_ms_per_second", Unit.MILLIS_PER_SECOND, Subsystem.STATE, "RocksDB write stall time per second"),
  /** RocksDB estimated keys. */
  ROCKSDB_KEYS("rocksdb_estimated_keys", Unit.COUNT, Subsystem.STATE, "RocksDB estimated keys"),
  /** RocksDB read latency. */
  ROCKSDB_READ_LATENCY("rocksdb_read_latency_ms", Unit.MILLIS, Subsystem.STATE, "RocksDB read latency"),
  /** RocksDB write latency. */
  ROCKSDB_WRITE_LATENCY("rocksdb_write_latency_ms", Unit.MILLIS, Subsystem.STATE, "RocksDB write latency"),
  /** Keyed state access latency. */
  STATE_ACCESS_LATENCY("state_access_latency_ms", Unit.MILLIS, Subsystem.STATE, "Keyed state access latency"),
  /** Registered event-time and processing-time timers. */
  TIMERS("timers", Unit.COUNT, Subsystem.STATE, "Registered event-time and processing-time timers"),
  /** Keyed state growth per second. */
  STATE_GROWTH("state_growth_bytes_per_second", Unit.PER_SECOND, Subsystem.STATE, "Keyed state growth per second"),
  /** Task slots offered. */
  SLOTS_TOTAL("slots_total", Unit.COUNT, Subsystem.TASKS, "Task slots offered"),
  /** Task slots in use. */
  SLOTS_USED("slots_used", Unit.COUNT, Subsystem.TASKS, "Task slots in use"),
  /** Subtasks running. */
  TASKS_RUNNING("tasks_running", Unit.COUNT, Subsystem.TASKS, "Subtasks running"),
  /** Subtask failures since start. */
  TASKS_FAILED_TOTAL("tasks_failed_total", Unit.COUNT, Subsystem.TASKS, "Subtask failures since start"),
  /** Subtask restarts since start. */
  TASK_RESTARTS_TOTAL("task_restarts_total", Unit.COUNT, Subsystem.TASKS, "Subtask restarts since start"),
  /** Records received per second by all subtasks. */
  RECORDS_IN("records_in_per_second", Unit.PER_SECOND, Subsystem.TASKS, "Records received per second by all subtasks"),
  /** Records emitted per second by all subtasks. */
  RECORDS_OUT("records_out_per_second", Unit.PER_SECOND, Subsystem.TASKS, "Records emitted per second by all subtasks"),
  /** Bytes received per second by all subtasks. */
  BYTES_IN("bytes_in_per_second", Unit.PER_SECOND, Subsystem.TASKS, "Bytes received per second by all subtasks"),
  /** Bytes emitted per second by all subtasks. */
  BYTES_OUT("bytes_out_per_second", Unit.PER_SECOND, Subsystem.TASKS, "Bytes emitted per second by all subtasks"),
  /** Share of time subtasks are busy. */
  BUSY("busy_ratio", Unit.RATIO, Subsystem.TASKS, "Share of time subtasks are busy"),
  /** Share of time subtasks are idle. */
  IDLE("idle_ratio", Unit.RATIO, Subsystem.TASKS, "Share of time subtasks are idle"),
  /** Share of time subtasks are backpressured. */
  BACKPRESSURED("backpressured_ratio", Unit.RATIO, Subsystem.TASKS, "Share of time subtasks are backpressured"),
  /** Mailbox latency. */
  MAILBOX_LATENCY("mailbox_latency_ms", Unit.MILLIS, Subsystem.TASKS, "Mailbox latency"),
  /** Mailbox size. */
  MAILBOX_SIZE("mailbox_size", Unit.COUNT, Subsystem.TASKS, "Mailbox size"),
  /** Current event time minus the input watermark. */
  WATERMARK_LAG("watermark_lag_ms", Unit.MILLIS, Subsystem.TASKS, "Current event time minus the input watermark"),
  /** Late records dropped per second. */
  LATE_RECORDS("late_records_dropped_per_second", Unit.PER_SECOND, Subsystem.TASKS, "Late records dropped per second"),
  /** Last checkpoint alignment time. */
  CP_ALIGNMENT("checkpoint_alignment_ms", Unit.MILLIS, Subsystem.CHECKPOINT, "Last checkpoint alignment time"),
  /** Last checkpoint start delay. */
  CP_START_DELAY("checkpoint_start_delay_ms", Unit.MILLIS, Subsystem.CHECKPOINT, "Last checkpoint start delay"),
  /** Last checkpoint synchronous phase. */
  CP_SYNC("checkpoint_sync_ms", Unit.MILLIS, Subsystem.CHECKPOINT, "Last checkpoint synchronous phase"),
  /** Last checkpoint asynchronous phase. */
  CP_ASYNC("checkpoint_async_ms", Unit.MILLIS, Subsystem.CHECKPOINT, "Last checkpoint asynchronous phase"),
  /** Bytes persisted by the last checkpoint. */
  CP_BYTES_PERSISTED("checkpoint_persisted_bytes", Unit.BYTES, Subsystem.CHECKPOINT, "Bytes persisted by the last checkpoint"),
  /** Checkpoint upload throughput. */
  CP_UPLOAD_RATE("checkpoint_upload_bytes_per_second", Unit.PER_SECOND, Subsystem.CHECKPOINT, "Checkpoint upload throughput"),
  /** Bytes buffered during alignment. */
  CP_BUFFERED("checkpoint_buffered_bytes", Unit.BYTES, Subsystem.CHECKPOINT, "Bytes buffered during alignment"),
  /** In-flight data persisted by unaligned checkpoints. */
  CP_UNALIGNED_BYTES("checkpoint_unaligned_bytes", Unit.BYTES, Subsystem.CHECKPOINT, "In-flight data persisted by unaligned checkpoints"),
  /** State changelog bytes pending. */
  CP_CHANGELOG_BYTES("checkpoint_changelog_bytes", Unit.BYTES, Subsystem.CHECKPOINT, "State changelog bytes pending"),
  /** Checkpoint failures touching this TaskManager. */
  CP_FAILURES_TOTAL("checkpoint_failures_total", Unit.COUNT, Subsystem.CHECKPOINT, "Checkpoint failures touching this TaskManager"),
  /** Requests to external systems per second. */
  EXT_REQUESTS("external_requests_per_second", Unit.PER_SECOND, Subsystem.EXTERNAL, "Requests to external systems per second"),
  /** Failed external requests per second. */
  EXT_ERRORS("external_errors_per_second", Unit.PER_SECOND, Subsystem.EXTERNAL, "Failed external requests per second"),
  /** External request latency. */
  EXT_LATENCY("external_latency_ms", Unit.MILLIS, Subsystem.EXTERNAL, "External request latency"),
  /** External request timeouts per second. */
  EXT_TIMEOUTS("external_timeouts_per_second", Unit.PER_SECOND, Subsystem.EXTERNAL, "External request timeouts per second"),
  /** Consumer lag of the source splits on this TaskManager. */
  SOURCE_LAG("source_lag_records", Unit.COUNT, Subsystem.EXTERNAL, "Consumer lag of the source splits on this TaskManager"),
  /** Source fetch latency. */
  SOURCE_FETCH_LATENCY("source_fetch_latency_ms", Unit.MILLIS, Subsystem.EXTERNAL, "Source fetch latency"),
  /** Offset commit failures since start. */
  SOURCE_COMMIT_FAILURES("source_commit_failures_total", Unit.COUNT, Subsystem.EXTERNAL, "Offset commit failures since start"),
  /** Sink write errors per second. */
  SINK_WRITE_ERRORS("sink_write_errors_per_second", Unit.PER_SECOND, Subsystem.EXTERNAL, "Sink write errors per second"),
  /** Exceptions thrown by user code per second. */
  EXCEPTIONS("exceptions_per_second", Unit.PER_SECOND, Subsystem.ERRORS, "Exceptions thrown by user code per second"),
  /** Records that failed to deserialize per second. */
  DESERIALIZATION_ERRORS("deserialization_errors_per_second", Unit.PER_SECOND, Subsystem.ERRORS, "Records that failed to deserialize per second"),
  /** Records that failed to serialize per second. */
  SERIALIZATION_ERRORS("serialization_errors_per_second", Unit.PER_SECOND, Subsystem.ERRORS, "Records that failed to serialize per second"),
  /** Class-loading or linkage errors since start. */
  CLASSLOADING_ERRORS("classloading_errors_total", Unit.COUNT, Subsystem.ERRORS, "Class-loading or linkage errors since start"),
  /** ERROR log lines per minute. */
  LOG_ERRORS("log_errors_per_minute", Unit.PER_MINUTE, Subsystem.ERRORS, "ERROR log lines per minute"),
  /** WARN log lines per minute. */
  LOG_WARNINGS("log_warnings_per_minute", Unit.PER_MINUTE, Subsystem.ERRORS, "WARN log lines per minute"),
  /** CPU utilisation of the hosting node. */
  NODE_CPU_RATIO("node_cpu_ratio", Unit.RATIO, Subsystem.NODE, "CPU utilisation of the hosting node"),
  /** Memory utilisation of the hosting node. */
  NODE_MEMORY_RATIO("node_memory_ratio", Unit.RATIO, Subsystem.NODE, "Memory utilisation of the hosting node"),
  /** Disk utilisation of the hosting node. */
  NODE_DISK_RATIO("node_disk_ratio", Unit.RATIO, Subsystem.NODE, "Disk utilisation of the hosting node"),
  /** Network utilisation of the hosting node. */
  NODE_NETWORK_RATIO("node_network_ratio", Unit.RATIO, Subsystem.NODE, "Network utilisation of the hosting node"),
  /** 1 when the hosting node is Ready, else 0. */
  NODE_READY("node_ready", Unit.RATIO, Subsystem.NODE, "1 when the hosting node is Ready, else 0"),
  /** 1 when the node reports memory, disk or PID pressure. */
  NODE_PRESSURE("node_pressure", Unit.RATIO, Subsystem.NODE, "1 when the node reports memory, disk or PID pressure"),
  /** Container restarts of the TaskManager pod. */
  POD_RESTARTS_TOTAL("pod_restarts_total", Unit.COUNT, Subsystem.NODE, "Container restarts of the TaskManager pod"),
  /** OOM kills of the TaskManager pod. */
  POD_OOM_KILLS_TOTAL("pod_oom_kills_total", Unit.COUNT, Subsystem.NODE, "OOM kills of the TaskManager pod");

  /** Unit of a metric's value. */
  public enum Unit {
    RATIO, COUNT, BYTES, MILLIS, SECONDS, PER_SECOND, PER_MINUTE, MILLIS_PER_SECOND
  }

  /** Subsystem a metric belongs to; recovery and diagnosis group symptoms by it. */
  public enum Subsystem {
    CPU, MEMORY, GC, JVM, NETWORK, BUFFERS, DISK, STATE, TASKS, CHECKPOINT, EXTERNAL, ERRORS, NODE
  }

  /** Number of metrics in the catalogue: the length of every metric vector. */
  public static final int COUNT = values().length;

  private static final List<Metric> ALL = List.of(values());
  private static final Map<String, Metric> BY_NAME = new HashMap<>();

  static {
    for (Metric m : ALL) {
      BY_NAME.put(m.metricName, m);
    }
  }

  private final String metricName;
  private final Unit unit;
  private final Subsystem subsystem;
  private final String description;

  Metric(String metricName, Unit unit, Subsystem subsystem, String description) {
    this.metricName = metricName;
    this.unit = unit;
    this.subsystem = subsystem;
    this.description = description;
  }

  /** The snake_case wire name, stable across releases. */
  public String metricName() {
    return metricName;
  }

  public Unit unit() {
    return unit;
  }

  public Subsystem subsystem() {
    return subsystem;
  }

  public String description() {
    return description;
  }

  /** Every metric, in wire order. */
  public static List<Metric> all() {
    return ALL;
  }

  /** Looks a metric up by its wire name. */
  public static Optional<Metric> byName(String metricName) {
    return Optional.ofNullable(BY_NAME.get(metricName));
  }
}
