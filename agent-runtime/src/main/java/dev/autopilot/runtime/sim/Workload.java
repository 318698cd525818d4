package dev.autopilot.runtime.sim;

/**
 * Offered load of a pipeline over event time: the events per second arriving at the source
 * (Kafka) during a tick. Implementations are pure functions of the tick, so every controller of a
 * benchmark sees the same demand.
 */
public interface Workload {

  /** Events per second offered during the given tick (tick 0 is the start of the run). */
  double offeredRate(long tick);
}
