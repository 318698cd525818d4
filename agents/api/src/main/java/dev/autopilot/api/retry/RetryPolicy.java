package dev.autopilot.api.retry;

import java.time.Duration;

/**
 * How a platform adapter retries a failed call: capped exponential backoff with jitter, a bound on
 * attempts per call, and a bound on retries per minute across all calls of one adapter, so a
 * platform outage never turns into a retry storm.
 *
 * @param maxAttempts attempts per call, the first included (1 = never retry)
 * @param initialBackoff wait before the first retry
 * @param maxBackoff cap on any one wait
 * @param multiplier growth of the wait per retry (at least 1)
 * @param jitter fraction of each wait drawn at random, in [0, 1): a wait w becomes a uniform draw
 *     in [w(1 - jitter), w]
 * @param maxRetriesPerMinute retries allowed in any sliding minute across all calls; once spent a
 *     failing call fails at once instead of waiting
 */
public record RetryPolicy(
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    double multiplier,
    double jitter,
    int maxRetriesPerMinute) {

  /** Three attempts, 200 ms doubling to at most 5 s, 20 % jitter, 30 retries a minute. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(3, Duration.ofMillis(200), Duration.ofSeconds(5), 2.0, 0.2, 30);

  /** No retries at all. */
  public static final RetryPolicy NONE =
      new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1.0, 0.0, 0);

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (initialBackoff == null || initialBackoff.isNegative()) {
      throw new IllegalArgumentException("initialBackoff must be zero or positive");
    }
    if (maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff must be at least initialBackoff");
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException(
          "multiplier must be a finite number >= 1, got " + multiplier);
    }
    if (!(jitter >= 0.0 && jitter < 1.0)) {
      throw new IllegalArgumentException("jitter must be in [0, 1), got " + jitter);
    }
    if (maxRetriesPerMinute < 0) {
      throw new IllegalArgumentException(
          "maxRetriesPerMinute must be zero or positive, got " + maxRetriesPerMinute);
    }
  }

  /** The wait before retry number {@code retry} (1-based), before jitter, capped. */
  public Duration backoff(int retry) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry is 1-based, got " + retry);
    }
    double nanos = initialBackoff.toNanos() * Math.pow(multiplier, retry - 1);
    return nanos >= maxBackoff.toNanos() ? maxBackoff : Duration.ofNanos((long) nanos);
  }
}
