package dev.autopilot.runtime.sim;

import dev.autopilot.api.FailureMode;

/**
 * Ground truth about one injected fault, for the benchmark scorer only (never in telemetry).
 *
 * @param id fault id ({@code f-<n>}, a cascade child is {@code <parent>-c})
 * @param pipelineId the pipeline it hits
 * @param mode its true root cause
 * @param target the operator id, node id, or {@code "job"} it targets
 * @param injectedTick tick at which it was injected
 * @param resolvedTick tick at which an effective action took effect or it healed; -1 while active
 * @param parentId the fault that cascaded into this one, or null
 * @param resolvedBy the action that fixed it ({@link dev.autopilot.api.Action#describe()}),
 *     {@code "self-healed"}, or null while active
 */
public record Fault(
    String id,
    String pipelineId,
    FailureMode mode,
    String target,
    long injectedTick,
    long resolvedTick,
    String parentId,
    String resolvedBy) {

  public boolean active() {
    return resolvedTick < 0;
  }
}
