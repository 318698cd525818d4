package dev.autopilot.runtime.bench;

/**
 * A rollback to an earlier configuration (the agents' actuator after a failed verification).
 *
 * @param tick tick at which it was applied
 * @param pipelineId the pipeline
 * @param reason why, in words
 */
public record RollbackRecord(long tick, String pipelineId, String reason) {}
