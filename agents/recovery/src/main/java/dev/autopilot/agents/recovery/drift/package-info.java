/**
 * Streaming change and drift detectors and the health index, pure code.
 *
 * <p>{@link dev.autopilot.agents.recovery.drift.Adwin} (adaptive windowing on a numeric stream),
 * {@link dev.autopilot.agents.recovery.drift.Eddm} (distance between prediction errors), {@link
 * dev.autopilot.agents.recovery.drift.DistributionShift} (KL divergence and PSI of a current window
 * against reference bins) and {@link dev.autopilot.agents.recovery.drift.CusumScore} (the policy's
 * {@link dev.autopilot.agents.recovery.policy.Cusum}, reused) each give a score in [0, 1]; {@link
 * dev.autopilot.agents.recovery.drift.HealthIndex} fuses them into EWMA indices per {@link
 * dev.autopilot.agents.recovery.drift.Subsystem} and globally, with knobs in {@link
 * dev.autopilot.agents.recovery.drift.HealthSettings}.
 */
package dev.autopilot.agents.recovery.drift;
