package dev.autopilot.runtime.bench;

/**
 * One injected fault and what became of it under one controller (ground truth, from the runner).
 *
 * @param id fault id, the same for every controller of a scenario (cascades excepted: they depend
 *     on what the controller did)
 * @param mode failure mode, a {@link dev.autopilot.api.FailureMode} name
 * @param pipelineId the pipeline it hit
 * @param injectedTick tick at which it started
 * @param detectedTick tick at which the controller first detected it (the agents: first proposal or
 *     incident diagnosing it; the baselines: their alert or human); null when never detected
 * @param resolvedTick tick at which the platform no longer had it, by any means (a fix, a restart,
 *     self-healing); null when still active at the end of the run
 * @param resolvedAutomatically whether it was resolved by an action the controller took on its own,
 *     without a human (a human fix, an approved fix and self-healing are not automatic)
 * @param cascade whether the simulator injected it as the consequence of another fault
 * @param diagnosedMode the agents' top-ranked cause when they detected it (a {@link
 *     dev.autopilot.api.FailureMode} name); null for the baselines or when nothing was diagnosed
 */
public record FaultRecord(
    String id,
    String mode,
    String pipelineId,
    long injectedTick,
    Long detectedTick,
    Long resolvedTick,
    boolean resolvedAutomatically,
    boolean cascade,
    String diagnosedMode) {

  public FaultRecord {
    if (detectedTick != null && detectedTick < injectedTick) {
      throw new IllegalArgumentException(
          "fault " + id + " detected at " + detectedTick + " before injection " + injectedTick);
    }
    if (resolvedTick != null && resolvedTick < injectedTick) {
      throw new IllegalArgumentException(
          "fault " + id + " resolved at " + resolvedTick + " before injection " + injectedTick);
    }
    if (resolvedAutomatically && resolvedTick == null) {
      throw new IllegalArgumentException(
          "fault " + id + " resolved automatically but never resolved");
    }
  }

  /** A fault without a diagnosis (the baselines). */
  public FaultRecord(
      String id,
      String mode,
      String pipelineId,
      long injectedTick,
      Long detectedTick,
      Long resolvedTick,
      boolean resolvedAutomatically,
      boolean cascade) {
    this(
        id,
        mode,
        pipelineId,
        injectedTick,
        detectedTick,
        resolvedTick,
        resolvedAutomatically,
        cascade,
        null);
  }
}
