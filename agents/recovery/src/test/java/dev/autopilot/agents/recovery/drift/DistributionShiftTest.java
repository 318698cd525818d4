package dev.autopilot.agents.recovery.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DistributionShiftTest {

  private static double[] gaussian(Random rnd, int n, double mean) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = mean + rnd.nextGaussian();
    }
    return x;
  }

  @Test
  void sameDistributionGivesNearZeroKlAndPsi() {
    Random rnd = new Random(21);
    DistributionShift d = DistributionShift.fromReference(gaussian(rnd, 5000, 0), 10, 1e-4);
    assertEquals(10, d.bins());
    double[] cur = gaussian(rnd, 5000, 0);
    assertTrue(d.kl(cur) < 0.01, "KL " + d.kl(cur));
    assertTrue(d.psi(cur) < 0.02, "PSI " + d.psi(cur));
    assertEquals(DistributionShift.Level.STABLE, DistributionShift.level(d.psi(cur), 0.1, 0.25));
  }

  @Test
  void shiftedDistributionGivesLargeKlAndPsi() {
    Random rnd = new Random(22);
    DistributionShift d = DistributionShift.fromReference(gaussian(rnd, 5000, 0), 10, 1e-4);
    double[] cur = gaussian(rnd, 5000, 1.0);
    assertTrue(d.kl(cur) > 0.3, "KL " + d.kl(cur));
    assertTrue(d.psi(cur) > 0.25, "PSI " + d.psi(cur));
    assertEquals(
        DistributionShift.Level.SIGNIFICANT, DistributionShift.level(d.psi(cur), 0.1, 0.25));
    assertEquals(1.0, DistributionShift.psiScore(d.psi(cur), 0.25));
    // A small shift reads as moderate.
    double[] small = gaussian(rnd, 5000, 0.35);
    assertEquals(
        DistributionShift.Level.MODERATE, DistributionShift.level(d.psi(small), 0.1, 0.25));
  }

  @Test
  void valuesOutsideTheReferenceRangeAndEmptyBinsStayFinite() {
    DistributionShift d = DistributionShift.fromReference(new double[] {1, 2, 3, 4}, 4, 1e-4);
    double[] cur = {100, 200, 300};
    assertTrue(Double.isFinite(d.kl(cur)) && d.kl(cur) > 1);
    assertTrue(Double.isFinite(d.psi(cur)) && d.psi(cur) > 1);
    double[] p = d.probabilities(cur);
    double sum = 0;
    for (double v : p) {
      sum += v;
    }
    assertEquals(1.0, sum, 1e-12);
  }

  @Test
  void rejectsBadInput() {
    assertThrows(
        IllegalArgumentException.class,
        () -> DistributionShift.fromReference(new double[] {1}, 10, 1e-4));
    assertThrows(
        IllegalArgumentException.class,
        () -> DistributionShift.fromReference(new double[] {1, Double.NaN}, 10, 1e-4));
    DistributionShift d = DistributionShift.fromReference(new double[] {1, 2, 3}, 2, 1e-4);
    assertThrows(IllegalArgumentException.class, () -> d.psi(new double[0]));
  }
}
