package dev.autopilot.agents.optimization.search;

import dev.autopilot.api.PipelineConfig;
import java.util.function.Function;

/**
 * The optimizer's objective: the cheapest configuration that meets the SLA at a given load, as one
 * penalised score in dollars per hour (lower is better):
 *
 * <pre>
 *   score = cost + throughput-penalty * max(0, 1 - throughput / required)
 *                + latency-penalty   * max(0, p99 / bound - 1)
 *   cost  = TaskManagers * (cores * core-price + memory GB * memory-price)
 * </pre>
 *
 * <p>A soft penalty rather than a hard constraint, so that the searches get a gradient out of an
 * infeasible region; with the default 20 $/h per unit, 1 % of throughput shortfall costs more than
 * a core-hour, so a feasible configuration beats any cheaper infeasible one unless the violation is
 * tiny. The score is always positive (cost > 0), which gives the "fraction of the optimum" {@code
 * best / found} a meaning. The cost is what the configuration requests, not the simulator's node
 * bill (which also charges idle node capacity by share and so depends on packing).
 */
public final class SlaCostObjective implements Objective {

  /**
   * What the configuration must achieve.
   *
   * @param offeredRate events per second offered
   * @param requiredThroughput events per second it must process
   * @param p99BoundMs bound on p99 latency, ms
   */
  public record Target(double offeredRate, double requiredThroughput, double p99BoundMs) {
    public Target {
      if (!(offeredRate > 0) || !(requiredThroughput > 0) || !(p99BoundMs > 0)) {
        throw new IllegalArgumentException(
            "a target needs offered rate, required throughput and p99 bound > 0");
      }
    }

    /**
     * A stricter target: {@code margin} more throughput and {@code margin} less p99 (the safety
     * margin of a search over a model).
     */
    public Target withMargin(double margin) {
      if (!(margin >= 0 && margin < 1)) {
        throw new IllegalArgumentException("margin must be in [0, 1), was " + margin);
      }
      return new Target(offeredRate, requiredThroughput * (1 + margin), p99BoundMs * (1 - margin));
    }
  }

  /**
   * A score and its parts.
   *
   * @param config the configuration scored
   * @param performance its (measured or predicted) performance
   * @param costPerHour what it requests, dollars per hour
   * @param shortfall relative throughput shortfall, 0 when it keeps up
   * @param latencyExcess relative p99 excess over the bound, 0 within it
   * @param score the objective value
   */
  public record Breakdown(
      PipelineConfig config,
      Performance performance,
      double costPerHour,
      double shortfall,
      double latencyExcess,
      double score) {
    /** Whether the configuration meets the SLA (no penalty). */
    public boolean feasible() {
      return shortfall == 0 && latencyExcess == 0;
    }
  }

  private final ConfigSpace space;
  private final PipelineConfig base;
  private final Target target;
  private final SearchSettings.ObjectiveWeights weights;
  private final Function<PipelineConfig, Performance> performance;

  /**
   * @param space a pipeline space ({@link ConfigSpace#pipeline})
   * @param base the configuration the knobs are applied to (non-key operators, slots)
   * @param target load and SLA
   * @param weights prices and penalties
   * @param performance the configuration's performance at the target's load (model or oracle)
   */
  public SlaCostObjective(
      ConfigSpace space,
      PipelineConfig base,
      Target target,
      SearchSettings.ObjectiveWeights weights,
      Function<PipelineConfig, Performance> performance) {
    if (space.keyOperators().isEmpty()) {
      throw new IllegalArgumentException("the SLA-cost objective needs a pipeline space");
    }
    this.space = space;
    this.base = base;
    this.target = target;
    this.weights = weights;
    this.performance = performance;
  }

  @Override
  public double score(double[] x) {
    return breakdown(x).score();
  }

  /** The score of a point and its parts. */
  public Breakdown breakdown(double[] x) {
    PipelineConfig c = space.toConfig(x, base);
    Performance p = performance.apply(c);
    return breakdown(c, p);
  }

  /** The score of a configuration with a known performance. */
  public Breakdown breakdown(PipelineConfig c, Performance p) {
    double cost = cost(c, weights);
    double shortfall = Math.max(0, 1 - p.throughput() / target.requiredThroughput());
    double excess = Math.max(0, p.p99LatencyMs() / target.p99BoundMs() - 1);
    double score =
        cost + weights.throughputPenalty() * shortfall + weights.latencyPenalty() * excess;
    return new Breakdown(c, p, cost, shortfall, excess, score);
  }

  /** Dollars per hour a configuration requests. */
  public static double cost(PipelineConfig c, SearchSettings.ObjectiveWeights w) {
    return c.taskManagers()
        * (c.taskManagerCpu() * w.corePricePerHour()
            + c.taskManagerMemoryGb() * w.memoryPricePerGbHour());
  }

  public Target target() {
    return target;
  }

  public ConfigSpace space() {
    return space;
  }

  public PipelineConfig base() {
    return base;
  }
}
