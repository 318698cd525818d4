package dev.autopilot.runtime.flink.embedded;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.source.RichParallelSourceFunction;

/**
 * The embedded job's source: reads taxi-trip records from the {@link DemandLedger}'s partitions as
 * fast as downstream takes them, like a Kafka consumer. Each subtask owns the partitions {@code p}
 * with {@code p % parallelism == subtask}; the offsets are operator state (union list, so a rescale
 * redistributes them) and are committed to the ledger on completed checkpoints.
 *
 * <p>It reports its backlog as the {@code pendingRecords} gauge (the standard FLIP-33 source
 * metric): records produced into its partitions and not yet emitted. Unmet demand is therefore
 * visible to anyone reading the metrics, and a restore from checkpoint replays what was emitted
 * after that checkpoint.
 *
 * <p>Records are CSV lines {@code tripId,taxiId,pickupZone,dropoffZone,fareCents,distanceMeters,
 * passengers,producedAtMillis}, derived deterministically from (partition, offset); the produced
 * time is estimated from the backlog in front of the record ({@link #lagMillis}).
 */
public final class TaxiTripSource extends RichParallelSourceFunction<String>
    implements CheckpointedFunction, CheckpointListener {
  private static final long serialVersionUID = 1L;

  /** Records emitted per partition before the source looks at the others again. */
  private static final int BATCH = 64;

  private transient ListState<long[]> offsetState;
  private transient ConcurrentSkipListMap<Integer, Long> offsets;
  private transient Map<Long, Map<Integer, Long>> pendingCommits;
  private volatile boolean running = true;

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    offsetState =
        context
            .getOperatorStateStore()
            .getUnionListState(new ListStateDescriptor<>("partition-offsets", long[].class));
    int index = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
    int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
    DemandLedger ledger = DemandLedger.get();
    Map<Integer, Long> restored = new HashMap<>();
    if (context.isRestored()) {
      for (long[] entry : offsetState.get()) {
        restored.put((int) entry[0], entry[1]);
      }
    }
    offsets = new ConcurrentSkipListMap<>();
    for (int p = 0; p < ledger.partitions(); p++) {
      if (p % parallelism == index) {
        Long r = restored.get(p);
        offsets.put(p, r != null ? r : ledger.startOffset(p));
      }
    }
    pendingCommits = new HashMap<>();
  }

  @Override
  public void open(org.apache.flink.api.common.functions.OpenContext openContext) {
    getRuntimeContext()
        .getMetricGroup()
        .gauge("pendingRecords", (Gauge<Long>) this::pendingRecords);
  }

  /** Records produced into this subtask's partitions and not yet emitted. */
  long pendingRecords() {
    DemandLedger ledger = DemandLedger.get();
    long pending = 0;
    ConcurrentSkipListMap<Integer, Long> o = offsets;
    if (o == null) {
      return 0;
    }
    for (Map.Entry<Integer, Long> e : o.entrySet()) {
      pending += Math.max(0, ledger.endOffset(e.getKey()) - e.getValue());
    }
    return pending;
  }

  @Override
  public void run(SourceContext<String> ctx) throws Exception {
    DemandLedger ledger = DemandLedger.get();
    while (running) {
      boolean emitted = false;
      for (Integer p : offsets.keySet()) {
        long end = ledger.endOffset(p);
        double perPartitionRate = ledger.lastRate() / ledger.partitions();
        synchronized (ctx.getCheckpointLock()) {
          long offset = offsets.get(p);
          long stop = Math.min(end, offset + BATCH);
          long now = System.currentTimeMillis();
          for (; offset < stop && running; offset++) {
            ctx.collect(TaxiTrips.line(p, offset, now - lagMillis(end - offset, perPartitionRate)));
          }
          emitted |= offset > offsets.get(p);
          offsets.put(p, offset);
        }
      }
      if (!emitted) {
        Thread.sleep(5);
      }
    }
  }

  /**
   * When the record {@code behind} records before the partition's end was produced, estimated from
   * the current rate (the record timestamp a Kafka producer would have set), capped at an hour.
   */
  static long lagMillis(long behind, double perPartitionRate) {
    if (behind <= 0 || !(perPartitionRate > 0)) {
      return 0;
    }
    return (long) Math.min(3_600_000.0, behind * 1000.0 / perPartitionRate);
  }

  @Override
  public void cancel() {
    running = false;
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    offsetState.clear();
    Map<Integer, Long> snapshot = new HashMap<>(offsets);
    for (Map.Entry<Integer, Long> e : snapshot.entrySet()) {
      offsetState.add(new long[] {e.getKey(), e.getValue()});
    }
    pendingCommits.put(context.getCheckpointId(), snapshot);
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    Map<Integer, Long> done = pendingCommits.remove(checkpointId);
    if (done != null) {
      done.forEach(DemandLedger.get()::commit);
    }
    pendingCommits.keySet().removeIf(id -> id < checkpointId);
  }
}
