package dev.autopilot.agents.meta.policy;

/**
 * The cluster a pipeline's requests are checked against.
 *
 * @param nodes node count
 * @param coresPerNode CPU cores per node
 * @param memoryGbPerNode memory per node, GB
 */
public record ClusterCapacity(int nodes, double coresPerNode, double memoryGbPerNode) {
  public double totalCores() {
    return nodes * coresPerNode;
  }

  public double totalMemoryGb() {
    return nodes * memoryGbPerNode;
  }
}
