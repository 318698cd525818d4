package dev.autopilot.agents.prediction.forecast;

import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * The highest of several demand forecasts: a pre-scale is sized for the worse of them. The
 * prediction agent pairs the seasonal {@link WorkloadForecaster}, which knows the daily and weekly
 * pattern but not a one-off event, with Holt's linear trend, which extrapolates a ramp in progress
 * (a marathon, a flash sale) but knows no seasonality. Pure, stateful like its parts; not
 * thread-safe.
 */
public final class UpperForecaster implements DemandForecaster {

  private final List<DemandForecaster> parts;

  /**
   * @param parts the forecasters to combine, at least one
   */
  public UpperForecaster(List<DemandForecaster> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("an upper forecast needs at least one forecaster");
    }
    this.parts = List.copyOf(parts);
  }

  @Override
  public void observe(long tick, double demand) {
    for (DemandForecaster f : parts) {
      f.observe(tick, demand);
    }
  }

  @Override
  public OptionalDouble forecast(int horizonTicks) {
    return highest(f -> f.forecast(horizonTicks));
  }

  @Override
  public OptionalDouble peak(int horizonTicks) {
    return highest(f -> f.peak(horizonTicks));
  }

  private OptionalDouble highest(Function<DemandForecaster, OptionalDouble> f) {
    OptionalDouble best = OptionalDouble.empty();
    for (DemandForecaster part : parts) {
      OptionalDouble v = f.apply(part);
      if (v.isPresent() && (best.isEmpty() || v.getAsDouble() > best.getAsDouble())) {
        best = v;
      }
    }
    return best;
  }
}
