package dev.autopilot.api.retry;

import dev.autopilot.api.PlatformException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;

/**
 * Runs blocking platform calls under a {@link RetryPolicy}. Only {@link PlatformException}s the
 * caller's predicate accepts are retried (by default the {@linkplain PlatformException#retryable()
 * retryable} ones); anything else is rethrown at once. One retrier is shared by all calls of one
 * adapter, so its per-minute budget bounds the adapter as a whole: once spent, a failing call fails
 * at once with its own exception and the refusal is counted.
 *
 * <p>Thread-safe. The waits block the calling thread, which is a blocking dispatcher's thread in
 * the runtime (platform calls never run on an actor's thread).
 */
public final class Retrier {

  /** Waits; a test passes one that records instead of sleeping. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private static final Duration WINDOW = Duration.ofMinutes(1);

  private final RetryPolicy policy;
  private final Clock clock;
  private final Sleeper sleeper;
  private final DoubleSupplier random;
  private final Deque<Long> retryTimes = new ArrayDeque<>();
  private long retries;
  private long refused;

  public Retrier(RetryPolicy policy, Clock clock, Sleeper sleeper, DoubleSupplier random) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** A retrier on the system clock that really sleeps. */
  public static Retrier of(RetryPolicy policy) {
    return new Retrier(
        policy,
        Clock.systemUTC(),
        d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000),
        Math::random);
  }

  /** Runs {@code call}, retrying the retryable platform failures. */
  public <T> T call(String what, Callable<T> call) {
    return call(what, PlatformException::retryable, call);
  }

  /**
   * Runs {@code call}, retrying the platform failures {@code retryOn} accepts (for example a 409
   * conflict when {@code call} re-reads the object before writing).
   *
   * @throws PlatformException the last failure, when attempts or the per-minute budget run out, or
   *     a failure {@code retryOn} rejects; {@link PlatformException.Kind#UNAVAILABLE} when {@code
   *     call} throws anything else, or the wait is interrupted
   */
  public <T> T call(String what, Predicate<PlatformException> retryOn, Callable<T> call) {
    for (int attempt = 1; ; attempt++) {
      PlatformException failure;
      try {
        return call.call();
      } catch (PlatformException e) {
        failure = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PlatformException(PlatformException.Kind.UNAVAILABLE, what + ": interrupted", e);
      } catch (RuntimeException e) {
        throw new PlatformException(PlatformException.Kind.UNAVAILABLE, what + ": " + e, e);
      } catch (Exception e) {
        throw new PlatformException(PlatformException.Kind.UNAVAILABLE, what + ": " + e, e);
      }
      if (attempt >= policy.maxAttempts() || !retryOn.test(failure)) {
        throw failure;
      }
      if (!takeBudget()) {
        throw failure;
      }
      Duration wait = jittered(policy.backoff(attempt));
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure.addSuppressed(e);
        throw failure;
      }
    }
  }

  /** Retries made so far. */
  public synchronized long retries() {
    return retries;
  }

  /** Retries refused because the per-minute budget was spent. */
  public synchronized long refused() {
    return refused;
  }

  /** Retries made in the last minute. */
  public synchronized int retriesInLastMinute() {
    prune(clock.millis());
    return retryTimes.size();
  }

  private synchronized boolean takeBudget() {
    long now = clock.millis();
    prune(now);
    if (retryTimes.size() >= policy.maxRetriesPerMinute()) {
      refused++;
      return false;
    }
    retryTimes.addLast(now);
    retries++;
    return true;
  }

  private void prune(long now) {
    while (!retryTimes.isEmpty() && now - retryTimes.peekFirst() >= WINDOW.toMillis()) {
      retryTimes.removeFirst();
    }
  }

  private Duration jittered(Duration wait) {
    if (policy.jitter() == 0.0 || wait.isZero()) {
      return wait;
    }
    double factor = 1.0 - policy.jitter() * random.getAsDouble();
    return Duration.ofNanos((long) (wait.toNanos() * factor));
  }
}
