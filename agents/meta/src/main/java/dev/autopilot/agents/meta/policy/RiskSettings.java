package dev.autopilot.agents.meta.policy;

/**
 * Risk rating thresholds.
 *
 * @param largeChangeFraction a configuration change that moves any operator's parallelism, the
 *     TaskManager count or the TaskManager resources by more than this fraction is high risk
 */
public record RiskSettings(double largeChangeFraction) {}
