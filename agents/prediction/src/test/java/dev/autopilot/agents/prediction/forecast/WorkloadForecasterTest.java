package dev.autopilot.agents.prediction.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The workload forecaster: no look-ahead, learns seasonal demand, bounded memory, settings. */
class WorkloadForecasterTest {

  private static final int DAY = 48;
  private static final int H = 5;

  /** The defaults for a 30-minute series, forecasting up to H steps. */
  private static WorkloadSettings halfHourly() {
    return WorkloadSettings.create(ConfigFactory.load())
        .withStep(Duration.ofMinutes(30))
        .withMaxHorizon(H);
  }

  /** The defaults for a 30-minute series with the third (seasonal-change) model, inverse MSE. */
  private static WorkloadSettings halfHourlyWithSeasonalChange() {
    return WorkloadSettings.create(
            ConfigFactory.parseString(
                    WorkloadSettings.PATH
                        + " { seasonal-change = on, squared-errors = on, seasonal-weeks = 3 }")
                .withFallback(ConfigFactory.load()))
        .withStep(Duration.ofMinutes(30))
        .withMaxHorizon(H);
  }

  /** Daily and weekly seasonal demand with multiplicative noise and a slow trend. */
  private static double[] seasonal(int n, long seed) {
    Random r = new Random(seed);
    double[] y = new double[n];
    for (int t = 0; t < n; t++) {
      double tod = 2 * Math.PI * (t % DAY) / DAY;
      int dow = (t / DAY) % 7;
      double daily = 1 + 0.6 * Math.sin(tod - 1.5) + 0.2 * Math.sin(2 * tod);
      double weekly = dow >= 5 ? 0.7 : 1.0;
      y[t] = 1000 * daily * weekly * (1 + 0.0005 * t / DAY) * (1 + 0.03 * r.nextGaussian());
    }
    return y;
  }

  /** Entry t: the forecast for t made after observing t - H (NaN where none). */
  private static double[] run(WorkloadSettings s, double[] y) {
    WorkloadForecaster f = new WorkloadForecaster(s);
    double[] out = new double[y.length];
    Arrays.fill(out, Double.NaN);
    for (int t = 0; t < y.length; t++) {
      f.observe(t, y[t]);
      if (t + H < y.length) {
        OptionalDouble p = f.forecast(H);
        if (p.isPresent()) {
          out[t + H] = p.getAsDouble();
        }
      }
    }
    return out;
  }

  private static double mape(double[] y, double[] f, int from) {
    double e = 0;
    double s = 0;
    for (int t = from; t < y.length; t++) {
      if (!Double.isNaN(f[t])) {
        e += Math.abs(f[t] - y[t]);
        s += Math.abs(y[t]);
      }
    }
    return e / s;
  }

  @Test
  void changingFutureValuesNeverChangesEarlierForecasts() {
    changingFutureValuesNeverChangesEarlierForecasts(halfHourly());
  }

  @Test
  void withTheSeasonalChangeModelFutureValuesNeverChangeEarlierForecasts() {
    changingFutureValuesNeverChangesEarlierForecasts(halfHourlyWithSeasonalChange());
  }

  @Test
  void seasonalChangeModelLearnsAPureSeasonalSeriesToNearZeroError() {
    // Noise-free daily and weekly seasons with a level shift (x 1.5) after two weeks.
    double[] y = new double[50 * DAY];
    for (int t = 0; t < y.length; t++) {
      double tod = 2 * Math.PI * (t % DAY) / DAY;
      double weekly = ((t / DAY) % 7) >= 5 ? 0.6 : 1.0;
      y[t] = 800 * (1 + 0.7 * Math.sin(tod - 1.5)) * weekly * (t >= 14 * DAY ? 1.5 : 1);
    }
    double with = mape(y, run(halfHourlyWithSeasonalChange(), y), 40 * DAY);
    double without = mape(y, run(halfHourly(), y), 40 * DAY);
    assertTrue(with < 1e-4, "MAPE with the seasonal-change model " + with);
    assertTrue(with < without / 10, "MAPE " + with + " with, " + without + " without it");
  }

  @Test
  void inverseMseWeightsLearnSeasonalDemandToLowError() {
    double[] y = seasonal(70 * DAY, 3);
    double model = mape(y, run(halfHourlyWithSeasonalChange(), y), 50 * DAY);
    assertTrue(model < 0.05, "MAPE " + model + " on 3 % noise");
  }

  private void changingFutureValuesNeverChangesEarlierForecasts(WorkloadSettings settings) {
    double[] y = seasonal(60 * DAY, 1);
    double[] before = run(settings, y);
    int cut = 40 * DAY + 7;
    double[] changed = y.clone();
    Random r = new Random(2);
    for (int t = cut; t < changed.length; t++) {
      changed[t] = changed[t] * (0.2 + 3 * r.nextDouble());
    }
    double[] after = run(settings, changed);
    // Forecasts for rows up to cut + H - 1 were made from rows < cut: bitwise the same.
    assertArrayEquals(
        Arrays.copyOf(before, cut + H), Arrays.copyOf(after, cut + H), "no look-ahead");
    assertNotEquals(before[cut + H + 1], after[cut + H + 1], "later forecasts do see the change");
  }

  @Test
  void learnsSeasonalDemandToLowError() {
    double[] y = seasonal(70 * DAY, 3);
    double[] f = run(halfHourly(), y);
    double model = mape(y, f, 50 * DAY);
    double[] persistence = new double[y.length];
    Arrays.fill(persistence, Double.NaN);
    System.arraycopy(y, 0, persistence, H, y.length - H);
    double naive = mape(y, persistence, 50 * DAY);
    assertTrue(model < 0.05, "MAPE " + model + " on 3 % noise");
    assertTrue(model < naive / 3, "MAPE " + model + " vs persistence " + naive);
  }

  @Test
  void forecastsFromTheFirstWindowAndFallsBackToPersistence() {
    WorkloadForecaster f = new WorkloadForecaster(halfHourly());
    assertTrue(f.forecast(1).isEmpty(), "nothing observed");
    int points = halfHourly().patternPoints();
    for (int t = 0; t < points - 1; t++) {
      f.observe(t, 100 + t);
    }
    assertTrue(f.forecast(1).isEmpty(), "no full pattern window yet");
    f.observe(points - 1, 100 + points - 1);
    assertEquals(
        100 + points - 1, f.forecast(3).getAsDouble(), 1e-3, "no day of history yet: persistence");
    assertThrows(IllegalArgumentException.class, () -> f.forecast(0));
  }

  @Test
  void peakIsTheHighestForecastOverTheHorizon() {
    double[] y = seasonal(30 * DAY, 4);
    WorkloadForecaster f = new WorkloadForecaster(halfHourly());
    int checked = 0;
    for (int t = 0; t < y.length; t++) {
      f.observe(t, y[t]);
      if (t > 25 * DAY && t % 7 == 0) {
        double peak = f.peak(H).getAsDouble();
        double max = 0;
        for (int h = 1; h <= H; h++) {
          double fh = f.forecast(h).getAsDouble();
          assertTrue(peak >= fh, "peak " + peak + " < forecast(" + h + ") " + fh);
          max = Math.max(max, fh);
        }
        assertEquals(max, peak, 1e-9);
        checked++;
      }
    }
    assertTrue(checked > 30, "checked " + checked);
  }

  @Test
  void memoryIsBoundedAndGapsAndBadValuesAreMissing() {
    WorkloadSettings s =
        WorkloadSettings.create(ConfigFactory.load()).withStep(Duration.ofMinutes(1));
    WorkloadForecaster f = new WorkloadForecaster(s);
    int capacity = f.historyCapacity();
    assertTrue(capacity <= s.steps(s.history()) + 2 * s.daySteps(), "capacity " + capacity);
    Random r = new Random(5);
    for (long t = 0; t < 3L * capacity; t++) {
      double v = t % 1000 == 7 ? Double.NaN : t % 1000 == 8 ? -1 : 50 + r.nextDouble();
      f.observe(t % 5000 == 0 ? t + 3 : t, v); // jumps ahead, then non-increasing ticks: ignored
    }
    assertEquals(capacity, f.historyCapacity(), "history does not grow");
    assertEquals(
        182 * 48 + s.patternPoints() + 2,
        f.archiveCapacity(),
        "one point per 30 minutes for 182 days, and a pattern");
    double p = f.forecast(30).getAsDouble();
    assertTrue(p > 40 && p < 60, "forecast " + p);
    assertTrue(f.observations() < 3L * capacity, "non-increasing ticks are ignored");
  }

  @Test
  void horizonGridHasEveryPowerOfTwoAndTheLongest() {
    assertArrayEquals(new int[] {1}, WorkloadForecaster.horizonGrid(1));
    assertArrayEquals(new int[] {1, 2, 4, 5}, WorkloadForecaster.horizonGrid(5));
    assertArrayEquals(new int[] {1, 2, 4, 8, 16, 30}, WorkloadForecaster.horizonGrid(30));
  }

  @Test
  void settingsAreValidated() {
    WorkloadSettings s = halfHourly();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> s.withMaxHorizon(0));
    assertTrue(e.getMessage().contains("max-horizon-steps"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> s.withMaxHorizon(DAY));
    assertTrue(e.getMessage().contains("shorter than a day"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> s.withStep(Duration.ofHours(12)));
    assertTrue(e.getMessage().contains("daily-period"), e.getMessage());
    assertEquals(DAY, s.daySteps());
    assertEquals(7 * DAY, s.weekSteps());
    assertEquals(1, s.strideSteps());
    WorkloadSettings ticks = WorkloadSettings.create(ConfigFactory.load());
    assertEquals(8640, ticks.daySteps());
    assertEquals(180, ticks.strideSteps());
  }

  @Test
  void everyWorkloadKeyHasItsOwnComment() throws IOException {
    List<String> lines;
    try (InputStream in = WorkloadSettings.class.getResourceAsStream("/reference.conf")) {
      lines = List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
    }
    int start = lines.indexOf("  workload {");
    assertTrue(start > 0, "workload block in this module's reference.conf");
    int keys = 0;
    for (int i = start + 1; !lines.get(i).trim().equals("}"); i++) {
      String l = lines.get(i).trim();
      if (!l.isEmpty() && !l.startsWith("#")) {
        assertTrue(lines.get(i - 1).trim().startsWith("#"), "no comment above " + l);
        keys++;
      }
    }
    assertEquals(20, keys);
  }
}
