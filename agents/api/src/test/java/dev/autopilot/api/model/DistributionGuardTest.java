package dev.autopilot.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DistributionGuardTest {
  static final DistributionGuard.Settings SETTINGS = new DistributionGuard.Settings(10, 0.95, 0.8);

  static void feed(DistributionGuard g, int n, double score) {
    for (int i = 0; i < n; i++) {
      g.observe(score);
    }
  }

  @Test
  void aModelSaturatedThroughTheWarmUpIsOutOfDistribution() {
    DistributionGuard g = new DistributionGuard(SETTINGS);
    feed(g, 9, 1.0);
    assertFalse(g.judged());
    assertFalse(g.outOfDistribution(), "no verdict before the warm-up ends");
    g.observe(0.99);
    assertTrue(g.outOfDistribution());
    assertEquals(
        "10 of 10 warm-up ticks scored >= 0.95 (out of distribution at >= 80%)",
        g.reason().orElseThrow());
  }

  @Test
  void aModelScoringAHealthyWarmUpLowStaysInDistributionThroughLaterAnomalies() {
    DistributionGuard g = new DistributionGuard(SETTINGS);
    feed(g, 3, 1.0);
    feed(g, 7, 0.2);
    assertTrue(g.judged());
    assertFalse(g.outOfDistribution());
    feed(g, 50, 1.0);
    assertFalse(g.outOfDistribution(), "after the warm-up high scores are anomalies");
    assertTrue(g.reason().isEmpty());
  }

  @Test
  void anOutOfDistributionModelIsRestoredByABlockOfUnsaturatedScores() {
    DistributionGuard g = new DistributionGuard(SETTINGS);
    feed(g, 10, 1.0);
    assertTrue(g.outOfDistribution());
    feed(g, 9, 0.3);
    assertTrue(g.outOfDistribution(), "judged per block");
    g.observe(0.3);
    assertFalse(g.outOfDistribution());
  }

  @Test
  void nonFiniteScoresAreNotCountedAndAFractionAboveOneDisables() {
    DistributionGuard g = new DistributionGuard(SETTINGS);
    feed(g, 20, Double.NaN);
    assertFalse(g.judged());
    DistributionGuard off = new DistributionGuard(new DistributionGuard.Settings(10, 0.95, 1.5));
    feed(off, 30, 1.0);
    assertFalse(off.outOfDistribution());
  }

  @Test
  void badSettingsAreRefusedWithTheirKey() {
    assertTrue(
        assertThrows(
                IllegalArgumentException.class, () -> new DistributionGuard.Settings(0, 0.95, 0.8))
            .getMessage()
            .contains("warmup-ticks"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class, () -> new DistributionGuard.Settings(5, 1.5, 0.8))
            .getMessage()
            .contains("saturated-score"));
  }
}
