package dev.autopilot.runtime.bench;

/**
 * A spot node the provider reclaimed during the run.
 *
 * @param tick tick of the notice
 * @param nodeId the node
 * @param podsMigrated TaskManagers (all pipelines) moved to on-demand nodes
 */
public record SpotWithdrawalRecord(long tick, String nodeId, int podsMigrated) {}
