/**
 * The cost policy: which TaskManagers run on spot capacity ({@link
 * dev.autopilot.agents.optimization.cost.SpotPolicy}), what happens when spot capacity is
 * withdrawn, and which storage tier a checkpoint lives in by age ({@link
 * dev.autopilot.agents.optimization.cost.StorageTiers}). Pure: no Pekko, no metrics; times are
 * explicit event-time seconds.
 */
package dev.autopilot.agents.optimization.cost;
