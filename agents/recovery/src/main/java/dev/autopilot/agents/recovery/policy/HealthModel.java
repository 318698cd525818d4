package dev.autopilot.agents.recovery.policy;

import java.util.Map;

/**
 * Streaming change and drift detectors fused into health indices (per subsystem and global). One
 * per pipeline; not thread-safe.
 */
public interface HealthModel {

  /**
   * Advances one tick.
   *
   * @param bank the detector bank, already updated with the tick
   * @param ensembleScore the learned ensemble's fused score, or NaN without one
   * @param ensembleAnomaly the learned ensemble's verdict (ignored without one)
   */
  void update(DetectorBank bank, double ensembleScore, boolean ensembleAnomaly);

  /** The current indices in [0, 1] by name; 0 is healthy. */
  Map<String, Double> indices();
}
