/**
 * The Numenta Anomaly Benchmark's scoring ({@link dev.autopilot.agents.recovery.nab.NabScorer}).
 */
package dev.autopilot.agents.recovery.nab;
