package dev.autopilot.agents.recovery.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CUSUM and EWMA charts: quiet on stationary noise, fast on a step change (seeded noise). */
class DetectorsTest {
  private static final double MEAN = 100;
  private static final double SIGMA = 5;
  private static final int WARMUP = 100;
  private static final int SAMPLES = 1000;
  // in-control adaptation as configured in reference.conf: corrects the warm-up estimate slowly
  private static final double ADAPT = 0.02;

  private static Cusum cusum() {
    return new Cusum(0.5, 5.0, WARMUP, ADAPT, 0.0, 1.0);
  }

  private static Ewma ewma() {
    return new Ewma(0.2, 3.0, WARMUP, ADAPT, 0.0, 1.0);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void cusumStaysQuietOnStationaryNoise(long seed) {
    Random rnd = new Random(seed);
    Cusum c = cusum();
    int alarms = 0;
    for (int i = 0; i < WARMUP + SAMPLES; i++) {
      if (c.update(MEAN + SIGMA * rnd.nextGaussian(), true) != Cusum.Alarm.NONE) {
        alarms++;
      }
    }
    // two-sided ARL0 for k = 0.5, h = 5 is about 465 samples (less with estimated parameters):
    // a false-alarm rate under 0.5 %
    assertTrue(alarms <= SAMPLES / 200, "false alarms: " + alarms);
    assertEquals(MEAN, c.mean(), 2.0);
    assertEquals(SIGMA, c.sigma(), 1.5);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void cusumDetectsAStepUpAndDownQuickly(long seed) {
    for (double shift : new double[] {2 * SIGMA, -2 * SIGMA}) {
      Random rnd = new Random(seed);
      Cusum c = cusum();
      for (int i = 0; i < WARMUP; i++) {
        c.update(MEAN + SIGMA * rnd.nextGaussian(), true);
      }
      int delay = -1;
      Cusum.Alarm alarm = Cusum.Alarm.NONE;
      for (int i = 0; i < 50 && delay < 0; i++) {
        alarm = c.update(MEAN + shift + SIGMA * rnd.nextGaussian(), true);
        if (alarm != Cusum.Alarm.NONE) {
          delay = i + 1;
        }
      }
      // ARL1 for a 2-sigma shift is about 4 samples
      assertTrue(delay > 0 && delay <= 12, "detection delay " + delay);
      assertEquals(shift > 0 ? Cusum.Alarm.UP : Cusum.Alarm.DOWN, alarm);
      assertEquals(0.0, c.upper());
      assertEquals(0.0, c.lower(), "sums reset after the alarm");
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void ewmaStaysQuietOnStationaryNoise(long seed) {
    Random rnd = new Random(seed);
    Ewma e = ewma();
    int episodes = 0;
    boolean inAlarm = false;
    for (int i = 0; i < WARMUP + SAMPLES; i++) {
      boolean alarm = e.update(MEAN + SIGMA * rnd.nextGaussian(), true) != Ewma.Alarm.NONE;
      if (alarm && !inAlarm) {
        episodes++;
      }
      inAlarm = alarm;
    }
    // ARL0 for lambda = 0.2, L = 3 is about 560 samples (less with estimated parameters):
    // fewer than one false-alarm episode per 200 samples
    assertTrue(episodes <= SAMPLES / 200, "false alarm episodes: " + episodes);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void ewmaDetectsAStepChange(long seed) {
    Random rnd = new Random(seed);
    Ewma e = ewma();
    for (int i = 0; i < WARMUP; i++) {
      e.update(MEAN + SIGMA * rnd.nextGaussian(), true);
    }
    int delay = -1;
    Ewma.Alarm alarm = Ewma.Alarm.NONE;
    double before = e.mean();
    for (int i = 0; i < 50 && delay < 0; i++) {
      // learn = false, as while an incident is open: the shift must not become the new normal
      alarm = e.update(MEAN + 2 * SIGMA + SIGMA * rnd.nextGaussian(), false);
      if (alarm != Ewma.Alarm.NONE) {
        delay = i + 1;
      }
    }
    assertTrue(delay > 0 && delay <= 12, "detection delay " + delay);
    assertEquals(Ewma.Alarm.UP, alarm);
    assertEquals(before, e.mean(), "not learned while learning is off");
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void whileLearningAPermanentShiftBecomesTheNewNormal(long seed) {
    Random rnd = new Random(seed);
    Cusum c = cusum();
    Ewma e = ewma();
    for (int i = 0; i < WARMUP; i++) {
      double x = MEAN + SIGMA * rnd.nextGaussian();
      c.update(x, true);
      e.update(x, true);
    }
    int lateAlarms = 0;
    for (int i = 0; i < 600; i++) {
      double x = MEAN + 3 * SIGMA + SIGMA * rnd.nextGaussian();
      boolean alarm = c.update(x, true) != Cusum.Alarm.NONE | e.update(x, true) != Ewma.Alarm.NONE;
      if (i >= 400 && alarm) {
        lateAlarms++;
      }
    }
    assertEquals(MEAN + 3 * SIGMA, c.mean(), SIGMA);
    assertEquals(MEAN + 3 * SIGMA, e.mean(), SIGMA);
    assertTrue(lateAlarms <= 4, "still alarming on the new level: " + lateAlarms);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 10, 99})
  void noAlarmDuringWarmup(int shiftAt) {
    Cusum c = cusum();
    Ewma e = ewma();
    for (int i = 0; i < WARMUP; i++) {
      double x = i < shiftAt ? MEAN : MEAN * 10;
      assertEquals(Cusum.Alarm.NONE, c.update(x, true));
      assertEquals(Ewma.Alarm.NONE, e.update(x, true));
    }
    assertTrue(c.warmedUp() && e.warmedUp());
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, 5.0, 1000.0})
  void sigmaFloorKeepsAConstantSignalFromAlarmingOnTinyWobbles(double level) {
    Cusum c = new Cusum(0.5, 5.0, 10, 0.0, 0.05, 1.0);
    for (int i = 0; i < 10; i++) {
      c.update(level, true);
    }
    for (int i = 0; i < 100; i++) {
      assertEquals(Cusum.Alarm.NONE, c.update(level * 1.01 + 0.001, true));
    }
  }
}
