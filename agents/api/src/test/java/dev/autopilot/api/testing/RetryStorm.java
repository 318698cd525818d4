package dev.autopilot.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.retry.Retrier;
import dev.autopilot.api.retry.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The platform-fault drill's retry-storm check: a platform adapter is called as the runtime calls
 * it (each caller once per period) through a sustained outage of its stub server, on {@link
 * SimulatedTime}, and the requests the stub received are counted per sliding minute.
 *
 * @param what the adapter and the fault, for the figures
 * @param calls calls made (first attempts)
 * @param received requests the stub received
 * @param retries retries the adapter's retrier made
 * @param refused retries its per-minute budget refused
 * @param requestsPerMinute most requests received in any minute
 * @param callsPerMinute most calls made in any minute
 * @param retriesPerMinute most retries the retrier counted in its last minute, after any call
 * @param bound the policy's {@code max-retries-per-minute}
 * @param smallestGap the shortest time between two requests received
 */
public record RetryStorm(
    String what,
    int calls,
    int received,
    long retries,
    long refused,
    int requestsPerMinute,
    int callsPerMinute,
    int retriesPerMinute,
    int bound,
    Duration smallestGap) {

  private static final Duration MINUTE = Duration.ofMinutes(1);

  /**
   * The {@code retry} block of an adapter's settings for a drill (HOCON, to nest under the
   * adapter's root): 3 attempts a call, waits from {@code initialBackoff} doubling up to {@code
   * maxBackoff} with 20 % jitter, at most {@code perMinute} retries a minute.
   */
  public static String retrySettings(Duration initialBackoff, Duration maxBackoff, int perMinute) {
    return String.join(
        "\n",
        "retry {",
        "  max-attempts = 3",
        "  initial-backoff = " + initialBackoff.toMillis() + "ms",
        "  max-backoff = " + maxBackoff.toMillis() + "ms",
        "  multiplier = 2.0",
        "  jitter = 0.2",
        "  max-retries-per-minute = " + perMinute,
        "}");
  }

  /** Stamps of the requests a stub received, read after the outage. */
  @FunctionalInterface
  public interface Received {
    List<Instant> since(int first);
  }

  /**
   * Runs {@code callers} through {@code total} of simulated time: every {@code period}, each caller
   * once, spread evenly over the period; the callers must fail (the outage is sustained).
   *
   * @param received how many requests the stub had received before, and its stamps after
   */
  public static RetryStorm run(
      String what,
      SimulatedTime time,
      Retrier retrier,
      RetryPolicy policy,
      Duration total,
      Duration period,
      List<Runnable> callers,
      int receivedBefore,
      Received received) {
    List<Instant> calls = new ArrayList<>();
    int worst = 0;
    Instant start = time.now();
    Instant end = start.plus(total);
    Duration offset = period.dividedBy(callers.size());
    for (Instant next = start; next.isBefore(end); next = next.plus(period)) {
      for (int i = 0; i < callers.size(); i++) {
        Instant at = next.plus(offset.multipliedBy(i));
        if (time.now().isBefore(at)) {
          time.advance(Duration.between(time.now(), at));
        }
        calls.add(time.now());
        callers.get(i).run();
        worst = Math.max(worst, retrier.retriesInLastMinute());
      }
    }
    List<Instant> stamps = received.since(receivedBefore);
    Duration gap = null;
    for (int i = 1; i < stamps.size(); i++) {
      Duration g = Duration.between(stamps.get(i - 1), stamps.get(i));
      gap = gap == null || g.compareTo(gap) < 0 ? g : gap;
    }
    return new RetryStorm(
        what,
        calls.size(),
        stamps.size(),
        retrier.retries(),
        retrier.refused(),
        SimulatedTime.maxInAnyWindow(stamps, MINUTE),
        SimulatedTime.maxInAnyWindow(calls, MINUTE),
        worst,
        policy.maxRetriesPerMinute(),
        gap == null ? Duration.ZERO : gap);
  }

  /**
   * No storm: every request is a call or a counted retry; the retries of any minute stay within the
   * bound, and the budget did bite (without it there would have been more); two requests are never
   * closer than the first backoff (after jitter).
   */
  public void assertBounded(RetryPolicy policy) {
    assertEquals(calls + retries, received, this::toString);
    assertTrue(retriesPerMinute <= bound, this::toString);
    assertTrue(requestsPerMinute <= callsPerMinute + bound, this::toString);
    assertTrue(refused > 0, () -> "the budget never bit: " + this);
    assertTrue(requestsPerMinute < callsPerMinute * policy.maxAttempts(), this::toString);
    Duration firstBackoff =
        Duration.ofNanos((long) (policy.initialBackoff().toNanos() * (1 - policy.jitter())));
    assertFalse(smallestGap.compareTo(firstBackoff) < 0, this::toString);
  }

  @Override
  public String toString() {
    return String.format(
        "platform-fault drill, %s: %d calls, %d requests received, %d retries, %d refused by the"
            + " budget; at most %d requests and %d calls in any minute, at most %d retries in the"
            + " last minute (bound %d); requests at least %d ms apart",
        what,
        calls,
        received,
        retries,
        refused,
        requestsPerMinute,
        callsPerMinute,
        retriesPerMinute,
        bound,
        smallestGap.toMillis());
  }
}
