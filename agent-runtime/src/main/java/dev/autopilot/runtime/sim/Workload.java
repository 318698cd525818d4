package dev.autopilot.runtime.sim;

/**
 * Offered load of a pipeline over event time: the events per second arriving at the source
 * (Kafka) during a tick. Implementations are pure functions of the tick, so every controller of a
 * benchmark sees the same demand.
 */
public interface Workload {

  /** Events per second offered during the given tick (tick 0 is the start of the run). */
  double offeredRate(long tick);

  /**
   * Processing cost of an average event of this tick relative to the configured per-record costs
   * of the operators ({@code cost-micros}): 1 for a workload whose event mix does not change, more
   * when the tick's events are heavier (for example writes and scans rather than reads).
   */
  default double costFactor(long tick) {
    return 1.0;
  }

  /**
   * Share of this tick's events that carry the single most popular key (0 when keys are uniform).
   * The keyed operators send all of that key's records to one subtask, so their hottest subtask
   * gets this share plus its fair share of the rest.
   */
  default double hotKeyShare(long tick) {
    return 0.0;
  }
}
