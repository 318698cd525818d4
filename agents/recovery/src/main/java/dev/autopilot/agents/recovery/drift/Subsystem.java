package dev.autopilot.agents.recovery.drift;

/**
 * The parts of the platform whose health is tracked separately.
 *
 * <ul>
 *   <li>{@link #INFRASTRUCTURE}: node and JVM signals: CPU load and throttling, heap and GC,
 *       network latency / retransmits / connection failures, disk, node readiness (CUSUM charts of
 *       the policy's DetectorBank, ADWIN on their levels);
 *   <li>{@link #DATA}: the data path: throughput, consumer lag growth, backpressure, and drift of
 *       input value distributions (KL / PSI of a current window against a reference window, ADWIN
 *       on rates);
 *   <li>{@link #MODEL}: the learned detectors themselves: drift of the ensemble's anomaly scores
 *       and of forecast residuals (ADWIN), and rising error rates of verified predictions (EDDM).
 * </ul>
 */
public enum Subsystem {
  INFRASTRUCTURE,
  DATA,
  MODEL
}
