package dev.autopilot.agents.optimization.cost;

/** How a node (and so the TaskManagers on it) is bought. */
public enum Market {
  /** Full price, never reclaimed. */
  ON_DEMAND,
  /** Discounted, reclaimed by the provider at short notice. */
  SPOT
}
