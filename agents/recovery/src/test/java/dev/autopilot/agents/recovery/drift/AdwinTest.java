package dev.autopilot.agents.recovery.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AdwinTest {

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void detectsAMeanShiftSoonAfterItAndShrinksTheWindow(long seed) {
    Random rnd = new Random(seed);
    Adwin adwin = new Adwin(0.002);
    for (int i = 0; i < 2000; i++) {
      assertFalse(adwin.update(rnd.nextGaussian()), "false alarm at " + i);
    }
    int detectedAt = -1;
    for (int i = 0; i < 1000 && detectedAt < 0; i++) {
      if (adwin.update(1.0 + rnd.nextGaussian())) {
        detectedAt = i;
      }
    }
    assertTrue(detectedAt >= 0 && detectedAt < 200, "detected at " + detectedAt);
    assertEquals(1.0, adwin.score());
    assertTrue(adwin.width() < 2000 + detectedAt + 1, "window shrank to " + adwin.width());
    for (int i = 0; i < 500; i++) {
      adwin.update(1.0 + rnd.nextGaussian());
    }
    assertTrue(adwin.width() < 1000, "window after the change " + adwin.width());
    assertEquals(1.0, adwin.mean(), 0.2);
  }

  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13})
  void staysQuietOnAStationaryStream(long seed) {
    Random rnd = new Random(seed);
    Adwin adwin = new Adwin(0.002);
    for (int i = 0; i < 10_000; i++) {
      adwin.update(5 + 2 * rnd.nextGaussian());
    }
    assertEquals(0, adwin.detections());
    assertEquals(10_000, adwin.width());
    assertEquals(5, adwin.mean(), 0.1);
    assertEquals(4, adwin.variance(), 0.3);
    assertTrue(adwin.score() < 1);
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> new Adwin(0));
    assertThrows(IllegalArgumentException.class, () -> new Adwin(0.01).update(Double.NaN));
  }
}
