/**
 * Multi-resource placement of TaskManager pods on nodes (CPU, memory, local disk, network): Tetris
 * alignment scoring and first-fit decreasing behind one {@link
 * dev.autopilot.agents.optimization.placement.Placer}, and the {@link
 * dev.autopilot.agents.optimization.placement.Fragmentation} measure. Pure: no Pekko, no metrics.
 */
package dev.autopilot.agents.optimization.placement;
