package dev.autopilot.runtime.bench.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LatencyRecorderTest {

  private static LatencyRecorder ofMillis(List<Integer> millis) {
    LatencyRecorder r = new LatencyRecorder();
    millis.forEach(m -> r.record(m * 1_000_000L));
    return r;
  }

  @Test
  void percentilesOfOneToHundredAreTheNearestRanks() {
    List<Integer> values = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      values.add(i);
    }
    Collections.shuffle(values, new Random(7));
    LatencyRecorder r = ofMillis(values);
    assertEquals(100, r.count());
    assertEquals(50.0, r.percentileMillis(50));
    assertEquals(99.0, r.percentileMillis(99));
    assertEquals(100.0, r.percentileMillis(100));
    assertEquals(1.0, r.percentileMillis(0.5));
    assertEquals(100.0, r.maxMillis());
    assertEquals(50.5, r.meanMillis(), 1e-9);
  }

  @Test
  void theP99OfASmallSampleIsItsLargestValue() {
    // 10 values: rank ceil(0.99 * 10) = 10, the largest; the median is the 5th.
    LatencyRecorder r = ofMillis(List.of(9, 1, 8, 2, 7, 3, 6, 4, 5, 40));
    assertEquals(40.0, r.percentileMillis(99));
    assertEquals(5.0, r.percentileMillis(50));
  }

  @Test
  void oneSlowTickInAThousandDoesNotMoveTheP99() {
    List<Integer> values = new ArrayList<>(Collections.nCopies(999, 2));
    values.add(500);
    LatencyRecorder r = ofMillis(values);
    assertEquals(2.0, r.percentileMillis(99));
    assertEquals(500.0, r.maxMillis());
  }

  @Test
  void sub_millisecondDurationsKeepTheirFraction() {
    LatencyRecorder r = new LatencyRecorder();
    r.record(250_000);
    assertEquals(0.25, r.percentileMillis(50), 1e-12);
  }

  @Test
  void growsBeyondItsFirstCapacity() {
    LatencyRecorder r = new LatencyRecorder();
    for (int i = 0; i < 5000; i++) {
      r.record(i);
    }
    assertEquals(5000, r.count());
    assertEquals(4999 / 1e6, r.maxMillis(), 1e-12);
  }

  @Test
  void nothingRecordedHasNoPercentile() {
    LatencyRecorder r = new LatencyRecorder();
    assertThrows(IllegalStateException.class, () -> r.percentileMillis(50));
    assertEquals(0.0, r.maxMillis());
    assertEquals(0.0, r.meanMillis());
  }

  @ParameterizedTest
  @ValueSource(doubles = {0, -1, 100.5, Double.NaN})
  void refusesPercentilesOutsideZeroToHundred(double p) {
    LatencyRecorder r = ofMillis(List.of(1));
    assertThrows(IllegalArgumentException.class, () -> r.percentileMillis(p));
  }

  @Test
  void refusesNegativeDurations() {
    assertThrows(IllegalArgumentException.class, () -> new LatencyRecorder().record(-1));
  }
}
