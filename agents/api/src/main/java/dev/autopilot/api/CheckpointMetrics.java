package dev.autopilot.api;

/**
 * Checkpoint statistics of a job.
 *
 * @param lastDurationMs duration of the last completed checkpoint
 * @param lastSizeBytes size of the last completed checkpoint
 * @param completedTotal checkpoints completed since the job started
 * @param failedTotal checkpoints failed since the job started
 * @param inProgress checkpoints currently in progress
 * @param lastRestoredCheckpointId id of the checkpoint the job last restored from, -1 if none
 */
public record CheckpointMetrics(
    double lastDurationMs,
    double lastSizeBytes,
    long completedTotal,
    long failedTotal,
    int inProgress,
    long lastRestoredCheckpointId) {}
