package dev.autopilot.runtime.bench.baseline.fko;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A {@link Clock} that follows the simulation's event time: the {@code fko} controller sets it to
 * each snapshot's event time (tick × tick seconds after the scenario's start) before it runs the
 * autoscaler, so the library's metric window, stabilization interval, scale-down interval and
 * scaling history all pass in simulated time. Not thread-safe (one per pipeline's autoscaler).
 */
public final class SimulatedClock extends Clock {

  private Instant now;

  /** A clock standing at {@code start}. */
  public SimulatedClock(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
  }

  /** Moves the clock to {@code instant}; event time never goes back. */
  public void set(Instant instant) {
    Objects.requireNonNull(instant, "instant");
    if (instant.isBefore(now)) {
      throw new IllegalArgumentException("event time goes back: " + instant + " < " + now);
    }
    now = instant;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the simulated clock is in UTC only");
  }
}
