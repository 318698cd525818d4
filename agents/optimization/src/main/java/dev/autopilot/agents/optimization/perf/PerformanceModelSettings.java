package dev.autopilot.agents.optimization.perf;

import com.typesafe.config.Config;

/**
 * Hyper-parameters of the performance model, read once from {@code
 * autopilot.optimization.performance-model} (this module's {@code reference.conf} documents every
 * key). Smile's {@code GradientTreeBoost} bounds a tree by its leaves as well as its depth
 * (DESIGN.md §8), so both are given; the default 64 leaves equals 2^6 and the depth binds.
 *
 * @param trees trees per model
 * @param maxDepth largest tree depth
 * @param maxNodes largest number of leaves per tree
 * @param nodeSize fewest samples per leaf
 * @param shrinkage learning rate
 * @param subsample share of the samples each tree is fitted on
 * @param logLatency fit log(p99) rather than p99
 */
public record PerformanceModelSettings(
    int trees,
    int maxDepth,
    int maxNodes,
    int nodeSize,
    double shrinkage,
    double subsample,
    boolean logLatency) {

  public PerformanceModelSettings {
    require(trees >= 1, "trees must be >= 1");
    require(maxDepth >= 2, "max-depth must be >= 2");
    require(maxNodes >= 2, "max-nodes must be >= 2");
    require(nodeSize >= 1, "node-size must be >= 1");
    require(shrinkage > 0 && shrinkage <= 1, "shrinkage must be in (0, 1]");
    require(subsample > 0 && subsample <= 1, "subsample must be in (0, 1]");
  }

  /** Reads {@code autopilot.optimization.performance-model} from the (root) configuration. */
  public static PerformanceModelSettings create(Config root) {
    Config c = root.getConfig("autopilot.optimization.performance-model");
    return new PerformanceModelSettings(
        c.getInt("trees"),
        c.getInt("max-depth"),
        c.getInt("max-nodes"),
        c.getInt("node-size"),
        c.getDouble("shrinkage"),
        c.getDouble("subsample"),
        c.getBoolean("log-latency"));
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("autopilot.optimization.performance-model: " + message);
    }
  }
}
