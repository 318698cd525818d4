package dev.autopilot.runtime.bench;

/**
 * A configuration change the controller applied (a rescale, a TaskManager or resource change, a
 * reconfiguration, or a recovery action that changes the configuration). Rollbacks are counted
 * apart, in {@link RollbackRecord}.
 *
 * @param tick tick at which it was applied
 * @param pipelineId the pipeline
 * @param action the action, described
 */
public record ConfigChangeRecord(long tick, String pipelineId, String action) {}
