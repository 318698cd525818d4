package dev.autopilot.api.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.PlatformException;
import dev.autopilot.api.PlatformException.Kind;
import dev.autopilot.api.testing.SimulatedTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetrierTest {

  private static final RetryPolicy NO_JITTER =
      new RetryPolicy(4, Duration.ofMillis(100), Duration.ofMillis(300), 2.0, 0.0, 100);

  @Test
  void retriesRetryableFailuresWithCappedExponentialBackoff() {
    SimulatedTime t = new SimulatedTime();
    AtomicInteger calls = new AtomicInteger();
    String out =
        t.retrier(NO_JITTER)
            .call(
                "observe",
                () -> {
                  if (calls.incrementAndGet() < 4) {
                    throw new PlatformException(Kind.UNAVAILABLE, 503, "busy", null);
                  }
                  return "ok";
                });
    assertEquals("ok", out);
    assertEquals(4, calls.get());
    assertEquals(
        List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300)), t.waits());
  }

  @Test
  void givesUpAfterMaxAttemptsWithTheLastFailure() {
    SimulatedTime t = new SimulatedTime();
    AtomicInteger calls = new AtomicInteger();
    PlatformException e =
        assertThrows(
            PlatformException.class,
            () ->
                t.retrier(NO_JITTER)
                    .call(
                        "observe",
                        () -> {
                          throw new PlatformException(
                              Kind.TIMEOUT, "timed out #" + calls.incrementAndGet());
                        }));
    assertEquals(4, calls.get());
    assertEquals("timed out #4", e.getMessage());
    assertEquals(Kind.TIMEOUT, e.kind());
  }

  @Test
  void neverRetriesNonRetryableFailures() {
    SimulatedTime t = new SimulatedTime();
    AtomicInteger calls = new AtomicInteger();
    for (Kind k :
        List.of(
            Kind.REJECTED, Kind.FORBIDDEN, Kind.NOT_FOUND, Kind.CONFLICT, Kind.UNKNOWN_PIPELINE)) {
      PlatformException thrown = new PlatformException(k, "no");
      PlatformException e =
          assertThrows(
              PlatformException.class,
              () ->
                  t.retrier(NO_JITTER)
                      .call(
                          "apply",
                          () -> {
                            calls.incrementAndGet();
                            throw thrown;
                          }));
      assertSame(thrown, e);
    }
    assertEquals(5, calls.get());
    assertTrue(t.waits().isEmpty());
  }

  @Test
  void aCallerPredicateCanRetryConflicts() {
    SimulatedTime t = new SimulatedTime();
    AtomicInteger calls = new AtomicInteger();
    int out =
        t.retrier(NO_JITTER)
            .call(
                "patch",
                e -> e.kind() == Kind.CONFLICT,
                () -> {
                  if (calls.incrementAndGet() == 1) {
                    throw new PlatformException(Kind.CONFLICT, 409, "resourceVersion", null);
                  }
                  return calls.get();
                });
    assertEquals(2, out);
  }

  @Test
  void perMinuteBudgetBoundsRetriesAcrossCallsAndRefills() {
    SimulatedTime t = new SimulatedTime();
    RetryPolicy p = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(10), 1.0, 0.0, 5);
    Retrier r = t.retrier(p);
    AtomicInteger calls = new AtomicInteger();
    for (int i = 0; i < 10; i++) {
      assertThrows(
          PlatformException.class,
          () ->
              r.call(
                  "observe",
                  () -> {
                    calls.incrementAndGet();
                    throw new PlatformException(Kind.UNAVAILABLE, "down");
                  }));
    }
    // 10 first attempts + only 5 retries allowed in the minute.
    assertEquals(15, calls.get());
    assertEquals(5, r.retries());
    assertEquals(5, r.retriesInLastMinute());
    assertTrue(r.refused() >= 5);
    t.advance(Duration.ofMinutes(1));
    assertEquals(0, r.retriesInLastMinute());
    calls.set(0);
    assertThrows(
        PlatformException.class,
        () ->
            r.call(
                "observe",
                () -> {
                  calls.incrementAndGet();
                  throw new PlatformException(Kind.UNAVAILABLE, "down");
                }));
    assertEquals(3, calls.get());
  }

  @Test
  void jitterShortensWaitsWithinTheConfiguredFraction() {
    SimulatedTime t = new SimulatedTime();
    RetryPolicy p =
        new RetryPolicy(2, Duration.ofMillis(1000), Duration.ofMillis(1000), 2.0, 0.2, 9);
    AtomicInteger calls = new AtomicInteger();
    t.retrier(p)
        .call(
            "x",
            () -> {
              if (calls.incrementAndGet() == 1) {
                throw new PlatformException(Kind.UNAVAILABLE, "down");
              }
              return 1;
            });
    assertEquals(List.of(Duration.ofMillis(900)), t.waits());
  }

  @Test
  void otherExceptionsBecomeUnavailableWithoutRetry() {
    SimulatedTime t = new SimulatedTime();
    AtomicInteger calls = new AtomicInteger();
    PlatformException e =
        assertThrows(
            PlatformException.class,
            () ->
                t.retrier(NO_JITTER)
                    .call(
                        "observe",
                        () -> {
                          calls.incrementAndGet();
                          throw new IllegalStateException("bug");
                        }));
    assertEquals(Kind.UNAVAILABLE, e.kind());
    assertTrue(e.getMessage().contains("bug"));
    assertEquals(1, calls.get());
  }

  @Test
  void rejectsImpossiblePolicies() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 1, 0, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RetryPolicy(2, Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 0, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RetryPolicy(2, Duration.ZERO, Duration.ZERO, 0.5, 0, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RetryPolicy(2, Duration.ZERO, Duration.ZERO, 1, 1.0, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RetryPolicy(2, Duration.ZERO, Duration.ZERO, 1, 0, -1));
  }
}
