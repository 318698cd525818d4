package dev.autopilot.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DownsamplerTest {

  private static Downsampler.Series week() {
    int n = 60_480;
    long[] x = new long[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i;
      y[i] = 850_000 + 300_000 * Math.sin(2 * Math.PI * i / 8640.0);
    }
    y[12_345] = 6_000_000; // a one-tick spike
    y[40_001] = -5; // a one-tick dip
    return new Downsampler.Series(x, y);
  }

  @Test
  void aWeekIsReducedToTheBoundAndKeepsBothExtremes() {
    Downsampler.Series s = week();
    Downsampler.Series d = Downsampler.minMax(s, 2000);
    assertTrue(d.size() <= 2000, "size " + d.size());
    assertTrue(d.size() >= 1000);
    assertEquals(6_000_000, Arrays.stream(d.y()).max().orElseThrow());
    assertEquals(-5, Arrays.stream(d.y()).min().orElseThrow());
    int spike = Arrays.binarySearch(d.x(), 12_345L);
    assertTrue(spike >= 0, "the spike's tick is kept");
    assertEquals(6_000_000, d.y()[spike]);
  }

  @Test
  void pointsStayInTickOrderAndAreTakenFromTheSeries() {
    Downsampler.Series s = week();
    Downsampler.Series d = Downsampler.minMax(s, 500);
    for (int i = 1; i < d.size(); i++) {
      assertTrue(d.x()[i] > d.x()[i - 1]);
    }
    for (int i = 0; i < d.size(); i++) {
      assertEquals(s.y()[(int) d.x()[i]], d.y()[i]);
    }
    int bucket = s.size() / 250;
    assertTrue(d.x()[0] < bucket, "the first point comes from the first bucket");
    assertTrue(d.x()[d.size() - 1] >= s.size() - bucket, "the last point from the last bucket");
  }

  @Test
  void aShortSeriesIsLeftAlone() {
    Downsampler.Series s = new Downsampler.Series(new long[] {1, 2, 3}, new double[] {3, 1, 2});
    assertSame(s, Downsampler.minMax(s, 4));
  }

  @Test
  void rejectsABoundBelowTwo() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Downsampler.minMax(new Downsampler.Series(new long[0], new double[0]), 1));
  }
}
