package dev.autopilot.runtime.flink.embedded;

import java.io.Serializable;
import java.util.concurrent.locks.LockSupport;

/**
 * One operator subtask's contact with {@link Chaos}, plus the operator's own per-record service
 * time (the enrich operator's external lookup): counts records, throws when an exception storm is
 * on, and spends the extra time of a slow operator. Time is spent as parked debt, one park per
 * millisecond owed, so a per-record cost of a few microseconds is honoured without a sleep per
 * record; a parked subtask counts as busy in Flink's busy-time metric, and parallelism adds
 * capacity even on a machine with few cores.
 */
final class ChaosPoint implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final long PARK_QUANTUM_NANOS = 1_000_000;

  private final String operatorId;
  private final long serviceNanos;
  private transient long sequence;
  private transient long debtNanos;

  /**
   * @param operatorId the operator's id (the key of its chaos switches)
   * @param serviceMicros the operator's own service time per record, microseconds (0: none)
   */
  ChaosPoint(String operatorId, long serviceMicros) {
    this.operatorId = operatorId;
    this.serviceNanos = serviceMicros * 1000;
  }

  String operatorId() {
    return operatorId;
  }

  /** Called once per record, before the operator's work. */
  void onRecord() {
    long seq = ++sequence;
    Chaos.maybeThrow(operatorId, seq);
    long owed = serviceNanos;
    Chaos.Switch slow = Chaos.get(operatorId, Chaos.Kind.SLOW);
    if (slow != null) {
      owed += slow.amount() * 1000;
    }
    if (owed > 0) {
      debtNanos += owed;
      if (debtNanos >= PARK_QUANTUM_NANOS) {
        long start = System.nanoTime();
        LockSupport.parkNanos(debtNanos);
        debtNanos -= System.nanoTime() - start;
      }
    }
  }

  /** Bytes of extra state to keep for this record (0 unless state growth is on). */
  long extraStateBytes() {
    Chaos.Switch s = Chaos.get(operatorId, Chaos.Kind.STATE_GROWTH);
    return s == null ? 0 : s.amount();
  }
}
