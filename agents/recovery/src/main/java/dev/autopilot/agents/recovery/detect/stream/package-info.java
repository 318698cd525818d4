/**
 * Streaming univariate anomaly scoring for {@code timestamp,value} series (the {@code detect}
 * command): detectors that learn from the series' own past ({@link
 * dev.autopilot.agents.recovery.detect.stream.IsolationForestDetector}, {@link
 * dev.autopilot.agents.recovery.detect.stream.AutoencoderDetector}, {@link
 * dev.autopilot.agents.recovery.detect.stream.LstmDetector}), Numenta-style calibration ({@link
 * dev.autopilot.agents.recovery.detect.stream.AnomalyLikelihood}) and their fusion ({@link
 * dev.autopilot.agents.recovery.detect.stream.StreamingAnomalyScorer}). Row t's score never depends
 * on rows after t; the same settings apply to every series.
 */
package dev.autopilot.agents.recovery.detect.stream;
