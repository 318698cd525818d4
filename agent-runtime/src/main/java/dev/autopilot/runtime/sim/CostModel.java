package dev.autopilot.runtime.sim;

/**
 * What a pipeline costs, in dollars: its share of the provisioned nodes (on-demand or spot) and
 * its checkpoint storage in a hot tier (retained checkpoints) and a cold tier (daily savepoints).
 */
final class CostModel {

  private static final double SECONDS_PER_MONTH = 30 * 86_400.0;

  private CostModel() {}

  /**
   * Node cost of one tick for one pipeline: the share of each node its pods request, plus an equal
   * share (over all pipelines) of the unallocated capacity of every provisioned node.
   */
  static double nodeCost(Cluster cluster, String pipelineId, double tickSeconds, int pipelineCount) {
    SimSettings.ClusterSettings c = cluster.settings();
    double allocatable = cluster.allocatableCores();
    double cost = 0;
    for (Cluster.Node n : cluster.nodes()) {
      double price = (n.spot ? c.spotPricePerHour() : c.onDemandPricePerHour()) * tickSeconds / 3600.0;
      double own = 0;
      for (Cluster.Pod p : n.pods) {
        if (p.pipelineId.equals(pipelineId)) {
          own += p.cpu;
        }
      }
      double idle = Math.max(0, allocatable - n.allocatedCores());
      cost += price * (own + idle / Math.max(1, pipelineCount)) / allocatable;
    }
    return cost;
  }

  /**
   * Storage cost of one tick: the retained checkpoints (incremental, so about half the state each)
   * in the hot tier, and one savepoint per elapsed day, up to the retention, in the cold tier.
   */
  static double storageCost(SimSettings s, double stateBytes, double nowSeconds, double tickSeconds) {
    double gb = stateBytes / 1e9;
    double days = Math.floor(nowSeconds / 86_400.0) + 1;
    double hot = gb * s.checkpoint().retained() * 0.5;
    double cold = gb * Math.min(days, s.storage().coldRetentionDays());
    double perSecond =
        (hot * s.storage().hotPricePerGbMonth() + cold * s.storage().coldPricePerGbMonth())
            / SECONDS_PER_MONTH;
    return perSecond * tickSeconds;
  }
}
