/**
 * Generic neural models on DJL (PyTorch engine), independent of the telemetry types: a dense {@link
 * dev.autopilot.agents.recovery.detect.nn.Autoencoder}, a stacked-LSTM multi-step {@link
 * dev.autopilot.agents.recovery.detect.nn.LstmForecaster} and the per-feature {@link
 * dev.autopilot.api.model.Standardizer} they persist with them. Instances are not
 * thread-safe (they reuse native buffers); each owner closes its instance.
 */
package dev.autopilot.agents.recovery.detect.nn;
