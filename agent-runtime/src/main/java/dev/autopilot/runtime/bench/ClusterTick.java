package dev.autopilot.runtime.bench;

/**
 * The node pool at one tick (all pipelines share it), as the runner read it from the simulator's
 * ground truth.
 *
 * @param tick tick number
 * @param utilisation requested over allocatable capacity of the nodes that are up, for the dominant
 *     of CPU, memory, disk and network, 0-1
 * @param fragmentation 1 − the mean alignment of the TaskManager pods with the capacity their nodes
 *     had free for them (see {@code placement.Fragmentation}), 0-1
 * @param nodes provisioned nodes
 * @param spotNodes of which spot
 * @param pods TaskManager pods bound to a node
 * @param spotPods of which on spot nodes
 */
public record ClusterTick(
    long tick,
    double utilisation,
    double fragmentation,
    int nodes,
    int spotNodes,
    int pods,
    int spotPods) {}
