package dev.autopilot.agents.prediction.forecast;

import java.util.OptionalDouble;

/**
 * Forecasts a pipeline's demand (offered events per second) from its past, one observation per
 * tick. Pure and stateful: one instance per pipeline, not thread-safe, event time only.
 */
public interface DemandForecaster {

  /** Observes the demand measured at a tick (ticks increasing; gaps allowed). */
  void observe(long tick, double demand);

  /**
   * The demand forecast {@code horizonTicks} after the last observation, or empty while too few
   * observations have been made.
   */
  OptionalDouble forecast(int horizonTicks);

  /**
   * The highest demand forecast over the next {@code horizonTicks} ticks (what a pre-scale must
   * be sized for), or empty while too few observations have been made.
   */
  OptionalDouble peak(int horizonTicks);
}
