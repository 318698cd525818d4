package dev.autopilot.runtime.drill;

import dev.autopilot.api.Action;
import dev.autopilot.api.ActuationResult;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.Platform;
import dev.autopilot.api.TelemetrySnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The platform port of a drill: it delegates to a real platform (the simulator), records every
 * apply and recover call with its outcome, and can hold the next call at a {@link Gate} so that a
 * drill kills a node at a chosen moment of an actuation: before the platform acted, or after it
 * acted but before the actuator heard of it (and could journal it).
 *
 * <p>A call counts as an application when the delegate answered {@link
 * ActuationResult.Outcome#APPLIED}: the platform acted. A re-run of an unconfirmed change after a
 * restart answers {@code UNCHANGED} or {@code DUPLICATE} and is recorded, not counted.
 *
 * <p>Thread-safe: calls come from the blocking dispatchers of several actor systems.
 */
public final class DrillPlatform implements Platform {

  /** Where a held call waits. */
  public enum Gate {
    /** Before the delegate is called: the platform has not acted yet. */
    BEFORE_PLATFORM,
    /** After the delegate returned: the platform acted, the caller has not heard of it. */
    AFTER_PLATFORM
  }

  /**
   * One apply or recover call.
   *
   * @param startNanos {@link System#nanoTime()} when the call arrived
   * @param endNanos when it returned or failed
   * @param pipelineId the pipeline
   * @param actionId the recovery action's id, null for apply
   * @param target the desired configuration of an apply, null for recover
   * @param action the recovery action, null for apply
   * @param outcome the delegate's outcome, null when it threw
   * @param error the failure's message, null when it returned
   */
  public record Call(
      long startNanos,
      long endNanos,
      String pipelineId,
      String actionId,
      PipelineConfig target,
      Action.RecoveryAction action,
      ActuationResult.Outcome outcome,
      String error) {

    /** Whether the platform acted. */
    public boolean applied() {
      return outcome == ActuationResult.Outcome.APPLIED;
    }
  }

  private final Platform delegate;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<Call> calls = new ArrayList<>();
  private Gate armed;
  private int held;
  private long releases;
  private long abandonedRelease = -1;

  /** A recording platform over {@code delegate}. */
  public DrillPlatform(Platform delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public Set<String> pipelines() {
    return delegate.pipelines();
  }

  @Override
  public TelemetrySnapshot observe(String pipelineId) {
    return delegate.observe(pipelineId);
  }

  @Override
  public ActuationResult apply(String pipelineId, PipelineConfig desired) {
    return call(pipelineId, null, desired, null, () -> delegate.apply(pipelineId, desired));
  }

  @Override
  public ActuationResult recover(String pipelineId, String actionId, Action.RecoveryAction action) {
    return call(
        pipelineId, actionId, null, action, () -> delegate.recover(pipelineId, actionId, action));
  }

  private ActuationResult call(
      String pipelineId,
      String actionId,
      PipelineConfig target,
      Action.RecoveryAction action,
      Supplier<ActuationResult> invoke) {
    long start = System.nanoTime();
    Entry entry = enterGate();
    ActuationResult result;
    try {
      if (entry.abandoned()) {
        throw new IllegalStateException(
            "abandoned before it reached the platform: the calling node was lost");
      }
      result = invoke.get();
    } catch (RuntimeException e) {
      record(
          new Call(start, System.nanoTime(), pipelineId, actionId, target, action, null, msg(e)));
      throw e;
    }
    record(
        new Call(
            start,
            System.nanoTime(),
            pipelineId,
            actionId,
            target,
            action,
            result.outcome(),
            null));
    if (entry.gate() == Gate.AFTER_PLATFORM) {
      hold();
    }
    return result;
  }

  /**
   * Holds the next apply or recover call at {@code gate} until {@link #release()}: at most one call
   * is held; later calls pass.
   */
  public void arm(Gate gate) {
    lock.lock();
    try {
      armed = Objects.requireNonNull(gate, "gate");
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until a call is held at the armed gate.
   *
   * @return whether one was held within the timeout
   */
  public boolean awaitHeld(Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      long left = timeout.toNanos();
      while (held == 0) {
        if (left <= 0) {
          return false;
        }
        left = changed.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Lets the held call go on (if any) and disarms the gate. */
  public void release() {
    lock.lock();
    try {
      armed = null;
      releases++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Lets the held call go on (if any) as after the loss of the node that made it, and disarms the
   * gate: a call held {@link Gate#BEFORE_PLATFORM} fails without reaching the platform (a crashed
   * process sends no request); one held {@link Gate#AFTER_PLATFORM} returns (the platform acted,
   * its answer reaches nobody).
   */
  public void abandon() {
    lock.lock();
    try {
      abandonedRelease = releases + 1;
      release();
    } finally {
      lock.unlock();
    }
  }

  /**
   * How a call passed the gate.
   *
   * @param gate the gate it took, null when none was armed
   * @param abandoned whether it was held before the platform and then {@link #abandon abandoned}
   */
  private record Entry(Gate gate, boolean abandoned) {}

  /**
   * Takes the armed gate for this call, if any: holds now when it is {@link Gate#BEFORE_PLATFORM}.
   */
  private Entry enterGate() {
    lock.lock();
    try {
      Gate gate = armed;
      armed = null;
      boolean abandoned = gate == Gate.BEFORE_PLATFORM && waitForRelease();
      return new Entry(gate, abandoned);
    } finally {
      lock.unlock();
    }
  }

  private void hold() {
    lock.lock();
    try {
      waitForRelease();
    } finally {
      lock.unlock();
    }
  }

  /**
   * With the lock held: marks the call held and waits for {@link #release()}.
   *
   * @return whether the release was an {@link #abandon()}
   */
  private boolean waitForRelease() {
    long mine = releases;
    held++;
    changed.signalAll();
    try {
      while (releases == mine) {
        changed.await(1, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      held--;
    }
    return abandonedRelease > mine;
  }

  private void record(Call call) {
    lock.lock();
    try {
      calls.add(call);
    } finally {
      lock.unlock();
    }
  }

  /** Every call so far, in the order they returned. */
  public List<Call> calls() {
    lock.lock();
    try {
      return List.copyOf(calls);
    } finally {
      lock.unlock();
    }
  }

  /** The calls of one pipeline that made the platform act, in order. */
  public List<Call> applications(String pipelineId) {
    return calls().stream().filter(c -> c.pipelineId().equals(pipelineId) && c.applied()).toList();
  }

  private static String msg(RuntimeException e) {
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
