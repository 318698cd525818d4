package dev.autopilot.runtime.sim;

/**
 * The node pool at one tick, for the benchmark (ground truth, not telemetry).
 *
 * @param utilisation requested over allocatable capacity of the nodes that are up, for the dominant
 *     of CPU, memory, disk and network (0-1)
 * @param fragmentation {@code Fragmentation.of} the nodes that are up: 1 − the mean alignment of
 *     each TaskManager pod's demand with the capacity its node had free for it (0-1)
 * @param nodes provisioned nodes (cordoned and reclaimed included)
 * @param spotNodes of which spot
 * @param pods TaskManager pods bound to a node, all pipelines
 * @param spotPods of which on spot nodes
 */
public record ClusterStats(
    double utilisation, double fragmentation, int nodes, int spotNodes, int pods, int spotPods) {}
