package dev.autopilot.agents.meta.policy;

/**
 * The parameter ranges the platform was tested with; admission refuses anything outside.
 *
 * @param parallelism per-operator parallelism
 * @param networkBufferMb network buffer memory per TaskManager, MB
 * @param checkpointIntervalSeconds checkpoint interval, s
 * @param taskManagerMemoryGb memory per TaskManager, GB
 * @param taskManagerCpu CPU cores per TaskManager
 * @param taskManagers TaskManager count
 */
public record TestedRanges(
    Range parallelism,
    Range networkBufferMb,
    Range checkpointIntervalSeconds,
    Range taskManagerMemoryGb,
    Range taskManagerCpu,
    Range taskManagers) {}
