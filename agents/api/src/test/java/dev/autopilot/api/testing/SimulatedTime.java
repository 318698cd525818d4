package dev.autopilot.api.testing;

import dev.autopilot.api.retry.Retrier;
import dev.autopilot.api.retry.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Time that only moves when told: a {@link Clock} and a {@link Retrier} whose waits advance it
 * instead of sleeping, so a test can run minutes of retries against a real (stub) server in
 * milliseconds and count what arrived in each simulated minute. Thread-safe.
 */
public final class SimulatedTime {
  private Instant now;
  private final List<Duration> waits = new ArrayList<>();

  /** Time starting at {@code start}. */
  public SimulatedTime(Instant start) {
    this.now = start;
  }

  /** Time starting at 2026-11-21T00:00:00Z. */
  public SimulatedTime() {
    this(Instant.parse("2026-11-21T00:00:00Z"));
  }

  /** The current instant. */
  public synchronized Instant now() {
    return now;
  }

  /** Moves time forward. */
  public synchronized void advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("time does not go back: " + d);
    }
    now = now.plus(d);
  }

  /** Every wait a retrier of this time made, in order. */
  public synchronized List<Duration> waits() {
    return List.copyOf(waits);
  }

  /** A clock reading this time. */
  public Clock clock() {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now();
      }
    };
  }

  /**
   * A retrier on this time: each wait advances the time by its length and is recorded; the jitter
   * draw is fixed at {@code 0.5}.
   */
  public Retrier retrier(RetryPolicy policy) {
    return new Retrier(
        policy,
        clock(),
        d -> {
          synchronized (this) {
            waits.add(d);
            now = now.plus(d);
          }
        },
        () -> 0.5);
  }

  /**
   * The most instants of {@code times} that fall in any one window of {@code window} (a window
   * starting at each instant, so the count is the sliding maximum).
   */
  public static int maxInAnyWindow(List<Instant> times, Duration window) {
    List<Instant> sorted = times.stream().sorted().toList();
    int max = 0;
    int end = 0;
    for (int start = 0; start < sorted.size(); start++) {
      Instant limit = sorted.get(start).plus(window);
      while (end < sorted.size() && sorted.get(end).isBefore(limit)) {
        end++;
      }
      max = Math.max(max, end - start);
    }
    return max;
  }
}
