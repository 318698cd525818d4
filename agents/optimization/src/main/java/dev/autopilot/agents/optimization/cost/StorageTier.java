package dev.autopilot.agents.optimization.cost;

/** Where checkpoint data is kept, by age (see {@link StorageTiers#tierOf}). */
public enum StorageTier {
  /** Local or network SSD: checkpoints younger than 24 h, the ones a restore reads. */
  SSD,
  /** Block storage: from 24 h up to 7 days. */
  BLOCK,
  /** Object storage: older than 7 days. */
  OBJECT
}
