package dev.autopilot.runtime.flink.embedded;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * The embedded job's "Kafka topic": the records the workload has produced so far, split evenly over
 * a fixed number of partitions, and the offsets the source last committed (on completed
 * checkpoints). Demand is integrated over wall-clock time from a rate (records per second), so
 * demand the job cannot take piles up as a backlog ({@code pendingRecords}) instead of
 * disappearing, as a rate-limited generator would hide it.
 *
 * <p>JVM-wide ({@link #get()}), like {@link Chaos}: the source subtasks are created by Flink in the
 * MiniCluster of this JVM and find the topic here. {@link #reset} starts a new topic (a new run).
 * Thread-safe.
 */
public final class DemandLedger {

  private static volatile DemandLedger current = new DemandLedger(8, () -> 0);

  private final int partitions;
  private final DoubleSupplier rate;
  private final Map<Integer, Long> committed = new ConcurrentHashMap<>();
  private double produced;
  private long lastNanos = System.nanoTime();
  private volatile double lastRate;

  private DemandLedger(int partitions, DoubleSupplier rate) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
    }
    this.partitions = partitions;
    this.rate = rate;
  }

  /** Starts a new topic of {@code partitions} partitions, fed at {@code rate} records/s. */
  public static DemandLedger reset(int partitions, DoubleSupplier rate) {
    DemandLedger l = new DemandLedger(partitions, rate);
    current = l;
    return l;
  }

  /** The current topic. */
  public static DemandLedger get() {
    return current;
  }

  public int partitions() {
    return partitions;
  }

  /** Records produced so far into one partition (the partition's end offset). */
  public synchronized long endOffset(int partition) {
    advance();
    return (long) Math.floor(produced / partitions);
  }

  /** Records produced so far over all partitions. */
  public synchronized double produced() {
    advance();
    return produced;
  }

  /** The demanded rate the last time the topic advanced, records/s. */
  public double lastRate() {
    return lastRate;
  }

  private void advance() {
    long now = System.nanoTime();
    double r = Math.max(0, rate.getAsDouble());
    lastRate = r;
    produced += r * (now - lastNanos) / 1e9;
    lastNanos = now;
  }

  /** Commits a partition's offset (the source does on every completed checkpoint). */
  public void commit(int partition, long offset) {
    committed.merge(partition, offset, Math::max);
  }

  /**
   * Where a source without restored state starts reading a partition: the committed offset, or the
   * end of the partition when none was committed (a new consumer group starts at latest).
   */
  public long startOffset(int partition) {
    Long c = committed.get(partition);
    return c != null ? c : endOffset(partition);
  }
}
