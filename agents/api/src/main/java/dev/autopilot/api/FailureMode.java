package dev.autopilot.api;

/**
 * The 15 failure modes of DESIGN.md section 3: the vocabulary shared by fault injection (the
 * simulator's ground truth) and diagnosis (the recovery agent's causes), so a diagnosis can be
 * scored against the truth.
 */
public enum FailureMode {
  TASK_CRASH,
  CHECKPOINT_TIMEOUT,
  NETWORK_PARTITION,
  DISK_FULL,
  MEMORY_LEAK,
  CPU_SATURATION,
  BACKPRESSURE_DEADLOCK,
  STATE_CORRUPTION,
  EXTERNAL_DEPENDENCY_FAILURE,
  CONFIGURATION_ERROR,
  RESOURCE_EXHAUSTION,
  OPERATOR_BUG,
  DATA_SKEW,
  VERSION_INCOMPATIBILITY,
  INFRASTRUCTURE_FAILURE
}
