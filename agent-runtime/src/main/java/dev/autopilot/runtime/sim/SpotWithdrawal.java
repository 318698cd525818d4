package dev.autopilot.runtime.sim;

/**
 * A spot node the provider reclaimed (a simulator event on a seeded schedule).
 *
 * @param tick tick of the notice
 * @param nodeId the reclaimed node
 * @param reclaimAtSec event time at which the node goes
 * @param podsMigrated TaskManager pods (all pipelines) moved to on-demand nodes
 */
public record SpotWithdrawal(long tick, String nodeId, double reclaimAtSec, int podsMigrated) {}
