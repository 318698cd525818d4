package dev.autopilot.agents.prediction.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class UpperForecasterTest {

  /** Forecasts a fixed multiple of the last observation, after a number of observations. */
  private static final class Fixed implements DemandForecaster {
    final double factor;
    final int needed;
    final List<Double> seen = new ArrayList<>();

    Fixed(double factor, int needed) {
      this.factor = factor;
      this.needed = needed;
    }

    @Override
    public void observe(long tick, double demand) {
      seen.add(demand);
    }

    @Override
    public OptionalDouble forecast(int h) {
      return seen.size() < needed
          ? OptionalDouble.empty()
          : OptionalDouble.of(seen.get(seen.size() - 1) * factor);
    }

    @Override
    public OptionalDouble peak(int h) {
      return forecast(h);
    }
  }

  @Test
  void takesTheHighestForecastAmongThoseThatHaveOne() {
    Fixed low = new Fixed(0.9, 1);
    Fixed high = new Fixed(1.5, 3);
    UpperForecaster f = new UpperForecaster(List.of(low, high));
    assertTrue(f.peak(30).isEmpty());
    f.observe(1, 100);
    assertEquals(90, f.peak(30).getAsDouble(), 1e-9, "only the first has a forecast yet");
    f.observe(2, 100);
    f.observe(3, 200);
    assertEquals(300, f.peak(30).getAsDouble(), 1e-9);
    assertEquals(300, f.forecast(30).getAsDouble(), 1e-9);
    assertEquals(List.of(100.0, 100.0, 200.0), low.seen, "every part observes every tick");
    assertEquals(low.seen, high.seen);
  }

  @Test
  void needsAForecaster() {
    assertThrows(IllegalArgumentException.class, () -> new UpperForecaster(List.of()));
  }
}
