package dev.autopilot.runtime.sim;

import dev.autopilot.agents.optimization.cost.StorageTier;
import dev.autopilot.agents.optimization.cost.StorageTiers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a pipeline costs, in dollars, by part: its share of the provisioned on-demand and spot
 * nodes, its checkpoint storage in the SSD, block and object tiers ({@link StorageTiers}: by age,
 * SSD under 24 h, block up to 7 days, object after), and the bytes its TaskManagers send.
 */
final class CostModel {

  /** The parts of a pipeline's cost, the order of {@code PipelineModel.costParts}. */
  enum Part {
    COMPUTE_ON_DEMAND,
    COMPUTE_SPOT,
    STORAGE_SSD,
    STORAGE_BLOCK,
    STORAGE_OBJECT,
    NETWORK
  }

  private CostModel() {}

  /**
   * Adds the node cost of one tick for one pipeline to {@code parts}: the share of each node its
   * pods request (cores), plus an equal share (over all pipelines) of the unrequested capacity of
   * every provisioned node, at the node's market price.
   */
  static void nodeCost(
      Cluster cluster, String pipelineId, double tickSeconds, int pipelineCount, double[] parts) {
    SimSettings.ClusterSettings c = cluster.settings();
    double allocatable = cluster.allocatableCores();
    for (Cluster.Node n : cluster.nodes()) {
      double price =
          (n.spot ? c.spotPricePerHour() : c.onDemandPricePerHour()) * tickSeconds / 3600.0;
      double own = 0;
      for (Cluster.Pod p : n.pods) {
        if (p.pipelineId.equals(pipelineId)) {
          own += p.cpu;
        }
      }
      double idle = Math.max(0, allocatable - n.allocatedCores());
      double cost = price * (own + idle / Math.max(1, pipelineCount)) / allocatable;
      parts[(n.spot ? Part.COMPUTE_SPOT : Part.COMPUTE_ON_DEMAND).ordinal()] += cost;
    }
  }

  /**
   * Adds the network cost of one tick to {@code parts}: the bytes the pipeline's TaskManagers sent
   * during the tick ({@code bytesOutPerSecond}) at the cluster's price per GB.
   */
  static void networkCost(
      SimSettings s, double bytesOutPerSecond, double tickSeconds, double[] parts) {
    parts[Part.NETWORK.ordinal()] +=
        bytesOutPerSecond * tickSeconds / 1e9 * s.cluster().networkPricePerGb();
  }

  /**
   * Adds the storage cost of one tick to {@code parts}. What is stored: the retained checkpoints
   * (incremental, so about half the state each, all younger than a minute: SSD), and one savepoint
   * of the state per savepoint interval since the start (the one at time 0 included), kept up to
   * the retention, each in the tier of its age. The state's current size stands in for every
   * savepoint's size.
   */
  static void storageCost(
      SimSettings s, double stateBytes, double nowSeconds, double tickSeconds, double[] parts) {
    double gb = stateBytes / 1e9;
    SimSettings.StorageSettings st = s.storage();
    List<StorageTiers.Stored> stored = new ArrayList<>();
    stored.add(new StorageTiers.Stored(gb * s.checkpoint().retained() * 0.5, 0));
    double maxAge = st.savepointRetentionDays() * 86_400.0;
    for (double at = 0; at <= nowSeconds + 1e-9; at += st.savepointIntervalSeconds()) {
      double age = Math.max(0, nowSeconds - at);
      if (age <= maxAge) {
        stored.add(new StorageTiers.Stored(gb, age));
      }
    }
    Map<StorageTier, Double> cost = new StorageTiers(s.costSettings()).cost(stored, tickSeconds);
    parts[Part.STORAGE_SSD.ordinal()] += cost.get(StorageTier.SSD);
    parts[Part.STORAGE_BLOCK.ordinal()] += cost.get(StorageTier.BLOCK);
    parts[Part.STORAGE_OBJECT.ordinal()] += cost.get(StorageTier.OBJECT);
  }
}
