package dev.autopilot.agents.recovery.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.api.Metric;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.Random;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * A signal that moves to a new steady level while no incident is open is re-baselined after {@code
 * rebase-ticks}; a rising signal, or one under an open incident, is not.
 */
class DetectorBankRebaseTest {
  private static final int WARMUP_END = 40;

  /** The bank fed healthy snapshots whose thread count follows {@code threads(tick)}. */
  private static DetectorBank run(
      RecoverySettings settings, int ticks, LongToDoubleFunction threads, boolean learnAfterShift) {
    DetectorBank bank = new DetectorBank(settings);
    Random rnd = new Random(7);
    for (long t = 0; t < ticks; t++) {
      double n = threads.applyAsDouble(t);
      TelemetrySnapshot s =
          Signatures.mapTms(Signatures.healthy(t, rnd), (tm, v) -> v[Metric.THREADS.ordinal()] = n);
      bank.update(s, t < WARMUP_END || learnAfterShift);
    }
    return bank;
  }

  private static double steadyShift(long t) {
    return t < WARMUP_END ? 200 + (t % 3) : 320 + (t % 3);
  }

  @Test
  void aSteadyLevelShiftStopsAlarmingAfterTheRebaseWindow() {
    RecoverySettings settings = Signatures.settings();
    int window = settings.detector().rebaseTicks();
    assertTrue(window > 0);
    DetectorBank early = run(settings, WARMUP_END + 3, DetectorBankRebaseTest::steadyShift, true);
    assertTrue(early.alarmedWithin(Signal.THREADS, 1), "the shift is detected first");

    DetectorBank bank =
        run(settings, WARMUP_END + window + 10, DetectorBankRebaseTest::steadyShift, true);
    assertEquals(1, bank.rebases());
    assertFalse(bank.alarmedWithin(Signal.THREADS, 5), "quiet at the new level");
    assertEquals(321, bank.baseline(Signal.THREADS), 3.0);
    assertTrue(bank.rebasedWithin(Signal.THREADS, window + 10));
  }

  @Test
  void aSmallSteadyShiftThatKeepsTheCusumAlarmingIsRebaselinedToo() {
    RecoverySettings settings = Signatures.settings();
    int window = settings.detector().rebaseTicks();
    // the thread count's sigma is its floor, 5 % of 200 = 10 threads: a shift of 1.6 sigma
    DetectorBank bank =
        run(
            settings,
            WARMUP_END + 3 * window,
            t -> t < WARMUP_END ? 200 + (t % 3) : 216 + (t % 3),
            true);
    assertTrue(bank.rebasedWithin(Signal.THREADS, 3 * window));
    assertFalse(bank.alarmedWithin(Signal.THREADS, 5), "quiet at the new level");
    assertEquals(217, bank.baseline(Signal.THREADS), 3.0);
  }

  @Test
  void withoutRebasingTheSameShiftKeepsAlarming() {
    int window = Signatures.settings().detector().rebaseTicks();
    RecoverySettings off =
        RecoverySettings.create(
            ConfigFactory.parseString("autopilot.recovery.detector.rebase-ticks = 0")
                .withFallback(ConfigFactory.load()));
    DetectorBank bank =
        run(off, WARMUP_END + window + 10, DetectorBankRebaseTest::steadyShift, true);
    assertEquals(0, bank.rebases());
    assertTrue(bank.alarmedWithin(Signal.THREADS, 1));
  }

  @Test
  void aRisingSignalIsNotRebaselined() {
    RecoverySettings settings = Signatures.settings();
    DetectorBank bank =
        run(
            settings,
            WARMUP_END + settings.detector().rebaseTicks() + 10,
            t -> t < WARMUP_END ? 200 : 250 + 8.0 * (t - WARMUP_END),
            true);
    assertEquals(0, bank.rebases());
    assertTrue(bank.alarmedWithin(Signal.THREADS, 1));
  }

  @Test
  void aShiftUnderAnOpenIncidentIsNotRebaselined() {
    RecoverySettings settings = Signatures.settings();
    DetectorBank bank =
        run(
            settings,
            WARMUP_END + settings.detector().rebaseTicks() + 10,
            DetectorBankRebaseTest::steadyShift,
            false);
    assertEquals(0, bank.rebases());
    assertTrue(bank.alarmedWithin(Signal.THREADS, 1));
  }
}
