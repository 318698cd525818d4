/**
 * Learned anomaly detection on telemetry snapshots (pure policy code, no Pekko): {@link
 * dev.autopilot.agents.recovery.detect.SnapshotFeatures} turns a snapshot into a versioned feature
 * vector; an isolation forest, an autoencoder and an LSTM forecaster each vote; {@link
 * dev.autopilot.agents.recovery.detect.DetectorEnsemble} fuses the votes (at least two of three
 * and a weighted score over a threshold). {@link
 * dev.autopilot.agents.recovery.detect.DetectorModels} loads a pinned model bundle.
 */
package dev.autopilot.agents.recovery.detect;
