package dev.autopilot.runtime.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The generator's diurnal shape and its sharpness. */
class DiurnalShapeTest {

  private static SimSettings.WorkloadSettings shape(double ratio, double sharpness) {
    SimSettings.WorkloadSettings w = SimFixtures.SETTINGS.workload();
    return new SimSettings.WorkloadSettings(
        w.averageRate(),
        ratio,
        sharpness,
        w.peakHour(),
        w.weekendFactor(),
        0,
        w.eventFactor(),
        w.eventHours(),
        new SimSettings.Range(1, 1),
        w.monthEndDays(),
        w.noise());
  }

  private static GeneratedWorkload day(SimSettings.WorkloadSettings w) {
    SimSettings s = SimFixtures.SETTINGS;
    return new GeneratedWorkload(w, 1, s.ticksPerDay(), s.tickSeconds(), s.startEpochMillis());
  }

  @Test
  void sharpnessKeepsThePeakToTroughRatioAndShortensThePeak() {
    long ticks = SimFixtures.SETTINGS.ticksPerDay();
    double[] ks = {1, 2, 3.75};
    double[] shares = new double[ks.length];
    for (int i = 0; i < ks.length; i++) {
      GeneratedWorkload g = day(shape(5.4, ks[i]));
      double max = 0;
      double min = Double.MAX_VALUE;
      double mean = 0;
      for (long t = 0; t < ticks; t++) {
        max = Math.max(max, g.diurnalFactor(t));
        min = Math.min(min, g.diurnalFactor(t));
        mean += g.diurnalFactor(t) / ticks;
      }
      assertEquals(5.4, max / min, 1e-3, "k = " + ks[i]);
      shares[i] = (mean - min) / (max - min);
    }
    // the daily mean sits at E[c^k] of the way from trough to peak: 1/2, 3/8, then lower
    assertEquals(0.5, shares[0], 1e-3);
    assertEquals(0.375, shares[1], 1e-3);
    assertTrue(shares[2] < shares[1], "sharper: " + shares[2]);
  }

  @Test
  void sharpnessOneIsThePlainCosine() {
    GeneratedWorkload g = day(shape(3, 1));
    double a = (3 - 1) / 4.0;
    for (long t = 0; t < 8640; t += 97) {
      double h = g.hourOfDay(t);
      double expected =
          1 + a * Math.cos(2 * Math.PI * (h - SimFixtures.SETTINGS.workload().peakHour()) / 24.0);
      assertEquals(expected, g.diurnalFactor(t), 0.0);
    }
  }

  @Test
  void aSharpnessBelowOneIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> shape(3, 0.5));
    assertThrows(IllegalArgumentException.class, () -> shape(0.5, 1));
  }
}
