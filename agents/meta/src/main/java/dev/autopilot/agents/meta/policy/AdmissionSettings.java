package dev.autopilot.agents.meta.policy;

/**
 * The hard constraints of DESIGN.md section 3.
 *
 * @param maxThroughputDrop largest predicted relative throughput drop admitted (0.10)
 * @param maxLatencyRise largest predicted relative p99 latency rise admitted (0.20)
 * @param minParallelism smallest parallelism of any operator (4)
 * @param maxCapacityFraction largest share of cluster CPU and memory a pipeline may request (0.80)
 * @param cooldownTicks ticks between configuration changes; recovery actions are exempt
 * @param ranges the tested parameter ranges
 * @param cluster the cluster capacity
 */
public record AdmissionSettings(
    double maxThroughputDrop,
    double maxLatencyRise,
    int minParallelism,
    double maxCapacityFraction,
    long cooldownTicks,
    TestedRanges ranges,
    ClusterCapacity cluster) {}
