package dev.autopilot.agents.prediction.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.agents.prediction.policy.HoltForecaster.Fit;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HoltForecasterTest {

  @ParameterizedTest(name = "alpha {0}, beta {1}: y = {2} + {3} t")
  @CsvSource({"0.3, 0.1, 400000, 5000", "0.8, 0.5, 100, -2", "1.0, 1.0, 0, 12.5"})
  void recoversALinearTrendExactlyAndForecastsIt(
      double alpha, double beta, double intercept, double slope) {
    HoltForecaster holt = new HoltForecaster(alpha, beta, 180);
    for (int t = 0; t <= 60; t++) {
      assertTrue(holt.offer(t, intercept + slope * t));
    }
    Fit fit = holt.fit().orElseThrow();
    double tolerance = 1e-6 * Math.max(1, Math.abs(intercept));
    assertEquals(intercept + slope * 60, fit.level(), tolerance);
    assertEquals(slope, fit.trend(), 1e-9 * Math.max(1, Math.abs(intercept)));
    assertEquals(0, fit.rmse(), tolerance);
    // 30 ticks ahead lies on the same line.
    assertEquals(intercept + slope * 90, fit.forecast(30), tolerance);
  }

  @Test
  void bridgesGapsAlongTheTrend() {
    HoltForecaster holt = new HoltForecaster(0.3, 0.1, 180);
    long[] ticks = {0, 1, 2, 5, 6, 10, 11, 12, 20};
    for (long t : ticks) {
      holt.observe(t, 1000 + 50.0 * t);
    }
    Fit fit = holt.fit().orElseThrow();
    assertEquals(2000, fit.level(), 1e-6);
    assertEquals(50, fit.trend(), 1e-9);
    assertEquals(20, fit.lastTick());
    assertEquals(1000 + 50.0 * 50, fit.forecast(30), 1e-6);
  }

  @Test
  void keepsOnlyTheWindowAndIgnoresStaleOrNonFiniteObservations() {
    HoltForecaster holt = new HoltForecaster(0.3, 0.1, 180);
    for (int t = 0; t < 300; t++) {
      holt.observe(t, 10);
    }
    assertEquals(180, holt.size());
    assertFalse(holt.offer(299, 99), "a repeated tick is ignored");
    assertFalse(holt.offer(250, 99), "an older tick is ignored");
    assertFalse(holt.offer(300, Double.NaN));
    assertEquals(180, holt.size());
    assertEquals(10, holt.fit().orElseThrow().level(), 1e-12);
  }

  @Test
  void needsTwoObservations() {
    HoltForecaster holt = new HoltForecaster(0.3, 0.1, 180);
    assertTrue(holt.fit().isEmpty());
    holt.observe(7, 3);
    assertTrue(holt.fit().isEmpty());
    holt.observe(8, 5);
    assertEquals(2, holt.fit().orElseThrow().trend(), 1e-12);
  }

  @Test
  void fitErrorReflectsNoiseAndWidensWithTheHorizon() {
    HoltForecaster holt = new HoltForecaster(0.3, 0.1, 180);
    Random random = new Random(42);
    for (int t = 0; t < 180; t++) {
      holt.observe(t, 500_000 + random.nextGaussian() * 10_000);
    }
    Fit fit = holt.fit().orElseThrow();
    assertTrue(fit.rmse() > 5_000 && fit.rmse() < 20_000, "rmse " + fit.rmse());
    assertTrue(fit.forecastStdDev(30) > fit.forecastStdDev(1));
    assertEquals(fit.rmse(), fit.forecastStdDev(1), 1e-9);
  }

  @Test
  void asADemandForecasterItWaitsForItsMinimumAndPeaksAtTheLinesHigherEnd() {
    dev.autopilot.agents.prediction.forecast.DemandForecaster f =
        new HoltForecaster(0.3, 0.1, 180, 18);
    for (int t = 0; t < 17; t++) {
      f.observe(t, 1000 + 50.0 * t);
    }
    assertTrue(f.forecast(30).isEmpty(), "17 observations of 18");
    assertTrue(f.peak(30).isEmpty());
    f.observe(17, 1000 + 50.0 * 17);
    assertEquals(1000 + 50.0 * (17 + 30), f.forecast(30).getAsDouble(), 1e-6);
    assertEquals(f.forecast(30).getAsDouble(), f.peak(30).getAsDouble(), 1e-9, "rising: at h");

    dev.autopilot.agents.prediction.forecast.DemandForecaster falling =
        new HoltForecaster(0.3, 0.1, 180, 2);
    for (int t = 0; t < 10; t++) {
      falling.observe(t, 1000 - 10.0 * t);
    }
    assertEquals(falling.forecast(1).getAsDouble(), falling.peak(30).getAsDouble(), 1e-9);
    assertThrows(IllegalArgumentException.class, () -> new HoltForecaster(0.3, 0.1, 180, 181));
  }
}
