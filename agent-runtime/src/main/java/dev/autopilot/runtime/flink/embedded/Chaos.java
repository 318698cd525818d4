package dev.autopilot.runtime.flink.embedded;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JVM-wide fault switchboard the embedded job's operators consult on every record: which
 * operator throws (an exception storm), which one is slow, which one grows its state. It is a
 * static registry on purpose: the operators run in the same JVM as the {@link
 * EmbeddedFlinkCluster}'s MiniCluster (Flink deserializes fresh operator instances for every
 * deployment and restart, so a field of the job would not reach them), and a MiniCluster is the
 * only place this job runs. One embedded cluster per JVM; a remote cluster would not see it.
 *
 * <p>Thread-safe: the switches are concurrent-map entries written by the fault injector and read
 * (one volatile read per record) by the task threads.
 */
public final class Chaos {

  /** What is switched on for one operator. */
  public enum Kind {
    /** The operator throws on every {@code n}-th record: tasks fail, the job restarts. */
    EXCEPTION_STORM,
    /** The operator spends extra time on every record. */
    SLOW,
    /** The operator keeps extra keyed state for every record. */
    STATE_GROWTH
  }

  /**
   * One switch.
   *
   * @param kind what the operator does
   * @param amount for {@code EXCEPTION_STORM}: throw on one record in {@code amount}; for {@code
   *     SLOW}: extra microseconds per record; for {@code STATE_GROWTH}: bytes of state kept per
   *     record
   */
  public record Switch(Kind kind, long amount) {
    public Switch {
      if (kind == null || amount < 1) {
        throw new IllegalArgumentException("a chaos switch needs a kind and amount >= 1");
      }
    }
  }

  private static final Map<String, Map<Kind, Switch>> SWITCHES = new ConcurrentHashMap<>();
  private static final AtomicLong THROWN = new AtomicLong();

  private Chaos() {}

  /** Switches a fault on for one operator (replacing one of the same kind). */
  public static void on(String operatorId, Switch s) {
    SWITCHES.computeIfAbsent(operatorId, k -> new ConcurrentHashMap<>()).put(s.kind(), s);
  }

  /** Switches one kind of fault off for one operator. */
  public static void off(String operatorId, Kind kind) {
    Map<Kind, Switch> m = SWITCHES.get(operatorId);
    if (m != null) {
      m.remove(kind);
    }
  }

  /** Switches everything off. */
  public static void clear() {
    SWITCHES.clear();
  }

  /** The switch of that kind for an operator, or null. */
  public static Switch get(String operatorId, Kind kind) {
    Map<Kind, Switch> m = SWITCHES.get(operatorId);
    return m == null ? null : m.get(kind);
  }

  /** Exceptions thrown by the storm since the JVM started. */
  public static long thrown() {
    return THROWN.get();
  }

  /**
   * Called by an operator for each record; throws when a storm is on for it and the record is the
   * unlucky one.
   *
   * @param operatorId the operator
   * @param sequence the record's sequence number in this subtask
   */
  static void maybeThrow(String operatorId, long sequence) {
    Switch s = get(operatorId, Kind.EXCEPTION_STORM);
    if (s != null && sequence % s.amount() == 0) {
      THROWN.incrementAndGet();
      throw new InjectedFault(
          "chaos: exception storm in " + operatorId + " (record " + sequence + ")");
    }
  }

  /** The exception an exception storm throws. */
  public static final class InjectedFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InjectedFault(String message) {
      super(message);
    }
  }
}
