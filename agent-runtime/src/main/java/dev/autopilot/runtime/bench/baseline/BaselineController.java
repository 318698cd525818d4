package dev.autopilot.runtime.bench.baseline;

import dev.autopilot.api.TelemetrySnapshot;

/**
 * The pure decision logic of a baseline controller. One instance per pipeline; the runner calls
 * {@link #onTick} once per tick with that pipeline's snapshot, in tick order, then applies the
 * returned actions in order (a {@link dev.autopilot.api.Action.ConfigChange} through {@code
 * Platform.apply(targetConfig(current))}, a {@link dev.autopilot.api.Action.RecoveryAction} through
 * {@code Platform.recover}) and records the fault events for scoring.
 *
 * <p>Event time only: no wall clock, no randomness.
 */
public interface BaselineController {

  /** The controller's decisions for this tick. */
  BaselineStep onTick(TelemetrySnapshot snapshot);
}
