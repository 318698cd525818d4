package dev.autopilot.api;

import java.util.Set;

/**
 * The port the runtime needs of the platform a pipeline runs on, in three roles: observe, apply
 * and recover (DESIGN.md section 5). Implemented by the SimulatedPlatform, the Flink REST platform
 * and the Kubernetes platform.
 *
 * <p>Both actuating calls are idempotent. {@link #apply} is declarative: it reconciles the whole
 * desired configuration and does nothing when it already runs. {@link #recover} is keyed by an
 * action id, and a repeated id is acknowledged without acting again, so the actuator can re-run
 * an unconfirmed action after it recovers from the journal.
 *
 * <p>Calls may block (network); actors call them on a dedicated dispatcher. Failures are reported
 * as {@link PlatformException}, never as an unchecked crash of the caller.
 */
public interface Platform {

  /** Pipelines this platform runs. */
  Set<String> pipelines();

  /**
   * Observes one pipeline.
   *
   * @throws PlatformException with {@link PlatformException.Kind#UNKNOWN_PIPELINE} for a pipeline
   *     it does not run
   */
  TelemetrySnapshot observe(String pipelineId);

  /** Reconciles the pipeline to the desired configuration. Idempotent. */
  ActuationResult apply(String pipelineId, PipelineConfig desired);

  /** Executes one recovery action, once per {@code actionId}. */
  ActuationResult recover(String pipelineId, String actionId, Action.RecoveryAction action);
}
