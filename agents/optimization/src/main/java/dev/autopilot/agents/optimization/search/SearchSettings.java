package dev.autopilot.agents.optimization.search;

import com.typesafe.config.Config;
import java.util.List;

/**
 * Settings of the configuration search, read once from {@code autopilot.optimization.search} (this
 * module's {@code reference.conf} documents every key and holds every default). Impossible values
 * are rejected here with the key's name, so a bad file fails at start, not mid-search.
 *
 * @param keyOperators the operators whose parallelism is searched
 * @param space the knobs' bounds
 * @param grid the small exhaustive grid
 * @param objective prices and penalties of the objective
 * @param annealing simulated annealing
 * @param bayesian Bayesian optimization
 */
public record SearchSettings(
    List<String> keyOperators,
    Space space,
    Grid grid,
    ObjectiveWeights objective,
    Annealing annealing,
    Bayesian bayesian) {

  public SearchSettings {
    require(keyOperators != null && !keyOperators.isEmpty(), "key-operators must name an operator");
    require(
        keyOperators.stream().distinct().count() == keyOperators.size(),
        "key-operators must not repeat an operator");
    keyOperators = List.copyOf(keyOperators);
  }

  /**
   * Bounds of the knobs (all inclusive).
   *
   * @param parallelismMin lowest key-operator parallelism
   * @param parallelismMax highest key-operator parallelism
   * @param bufferMbMin smallest network buffer, MB
   * @param bufferMbMax largest network buffer, MB
   * @param checkpointSecondsMin shortest checkpoint interval, s
   * @param checkpointSecondsMax longest checkpoint interval, s
   * @param memoryGbMin smallest TaskManager memory, GB
   * @param memoryGbMax largest TaskManager memory, GB
   * @param cpuMin fewest TaskManager cores
   * @param cpuMax most TaskManager cores
   */
  public record Space(
      int parallelismMin,
      int parallelismMax,
      int bufferMbMin,
      int bufferMbMax,
      int checkpointSecondsMin,
      int checkpointSecondsMax,
      int memoryGbMin,
      int memoryGbMax,
      int cpuMin,
      int cpuMax) {
    public Space {
      range(parallelismMin, parallelismMax, "space.parallelism");
      range(bufferMbMin, bufferMbMax, "space.network-buffer-mb");
      range(checkpointSecondsMin, checkpointSecondsMax, "space.checkpoint-interval-seconds");
      range(memoryGbMin, memoryGbMax, "space.task-manager-memory-gb");
      range(cpuMin, cpuMax, "space.task-manager-cpu");
    }

    private static void range(int min, int max, String key) {
      require(min >= 1 && max >= min, "need 1 <= " + key + "-min <= " + key + "-max");
    }
  }

  /**
   * Values of each knob on the exhaustive grid.
   *
   * @param parallelism values of every key operator's parallelism
   * @param bufferMb network buffer values
   * @param checkpointSeconds checkpoint interval values
   * @param memoryGb TaskManager memory values
   * @param cpu TaskManager core values
   */
  public record Grid(
      List<Integer> parallelism,
      List<Integer> bufferMb,
      List<Integer> checkpointSeconds,
      List<Integer> memoryGb,
      List<Integer> cpu) {
    public Grid {
      parallelism = nonEmpty(parallelism, "grid.parallelism");
      bufferMb = nonEmpty(bufferMb, "grid.network-buffer-mb");
      checkpointSeconds = nonEmpty(checkpointSeconds, "grid.checkpoint-interval-seconds");
      memoryGb = nonEmpty(memoryGb, "grid.task-manager-memory-gb");
      cpu = nonEmpty(cpu, "grid.task-manager-cpu");
    }

    private static List<Integer> nonEmpty(List<Integer> values, String key) {
      require(values != null && !values.isEmpty(), key + " must list at least one value");
      return List.copyOf(values);
    }
  }

  /**
   * Prices and penalties of {@link SlaCostObjective}.
   *
   * @param corePricePerHour dollars per TaskManager core-hour
   * @param memoryPricePerGbHour dollars per TaskManager GB-hour
   * @param throughputPenalty dollars per hour per unit of relative throughput shortfall
   * @param latencyPenalty dollars per hour per unit of relative p99 excess
   * @param modelMargin safety margin of searches over the performance model, in [0, 1)
   */
  public record ObjectiveWeights(
      double corePricePerHour,
      double memoryPricePerGbHour,
      double throughputPenalty,
      double latencyPenalty,
      double modelMargin) {
    public ObjectiveWeights {
      require(corePricePerHour > 0, "objective.core-price-per-hour must be > 0");
      require(memoryPricePerGbHour >= 0, "objective.memory-price-per-gb-hour must be >= 0");
      require(throughputPenalty >= 0, "objective.throughput-penalty must be >= 0");
      require(latencyPenalty >= 0, "objective.latency-penalty must be >= 0");
      require(modelMargin >= 0 && modelMargin < 1, "objective.model-margin must be in [0, 1)");
    }
  }

  /**
   * Simulated annealing.
   *
   * @param initialTemperature T0, in percent of the starting score
   * @param cooling temperature factor per iteration, in (0, 1)
   * @param iterations candidates evaluated after the start
   * @param perturbation largest relative change of a knob per move, in (0, 1)
   */
  public record Annealing(
      double initialTemperature, double cooling, int iterations, double perturbation) {
    public Annealing {
      require(initialTemperature > 0, "annealing.initial-temperature must be > 0");
      require(cooling > 0 && cooling < 1, "annealing.cooling must be in (0, 1)");
      require(iterations >= 1, "annealing.iterations must be >= 1");
      require(perturbation > 0 && perturbation < 1, "annealing.perturbation must be in (0, 1)");
    }
  }

  /**
   * Bayesian optimization.
   *
   * @param initialPoints random configurations before the GP guides
   * @param iterations configurations chosen by expected improvement
   * @param candidates random candidates per iteration
   * @param localCandidates candidates around the best so far per iteration
   * @param localStepSize standard deviation of a local step in the unit cube
   * @param maternNu smoothness of the Matern kernel
   * @param lengthScale length scale of the kernel in the unit cube
   * @param noise variance added to the kernel diagonal (standardised scores)
   * @param xi exploration margin of expected improvement
   */
  public record Bayesian(
      int initialPoints,
      int iterations,
      int candidates,
      int localCandidates,
      double localStepSize,
      double maternNu,
      double lengthScale,
      double noise,
      double xi) {
    public Bayesian {
      require(initialPoints >= 2, "bayesian.initial-points must be >= 2 (a GP needs two points)");
      require(iterations >= 0, "bayesian.iterations must be >= 0");
      require(candidates >= 1, "bayesian.candidates must be >= 1");
      require(localCandidates >= 0, "bayesian.local-candidates must be >= 0");
      require(
          localStepSize > 0 && localStepSize <= 1, "bayesian.local-step-size must be in (0, 1]");
      require(
          maternNu == 0.5 || maternNu == 1.5 || maternNu == 2.5,
          "bayesian.matern-nu must be 0.5, 1.5 or 2.5 (closed forms), was " + maternNu);
      require(lengthScale > 0, "bayesian.length-scale must be > 0");
      require(noise > 0, "bayesian.noise must be > 0");
      require(xi >= 0, "bayesian.xi must be >= 0");
    }
  }

  /** Reads {@code autopilot.optimization.search} from the (root) configuration. */
  public static SearchSettings create(Config root) {
    Config c = root.getConfig("autopilot.optimization.search");
    Config s = c.getConfig("space");
    Config g = c.getConfig("grid");
    Config o = c.getConfig("objective");
    Config a = c.getConfig("annealing");
    Config b = c.getConfig("bayesian");
    return new SearchSettings(
        c.getStringList("key-operators"),
        new Space(
            s.getInt("parallelism-min"),
            s.getInt("parallelism-max"),
            s.getInt("network-buffer-mb-min"),
            s.getInt("network-buffer-mb-max"),
            s.getInt("checkpoint-interval-seconds-min"),
            s.getInt("checkpoint-interval-seconds-max"),
            s.getInt("task-manager-memory-gb-min"),
            s.getInt("task-manager-memory-gb-max"),
            s.getInt("task-manager-cpu-min"),
            s.getInt("task-manager-cpu-max")),
        new Grid(
            g.getIntList("parallelism"),
            g.getIntList("network-buffer-mb"),
            g.getIntList("checkpoint-interval-seconds"),
            g.getIntList("task-manager-memory-gb"),
            g.getIntList("task-manager-cpu")),
        new ObjectiveWeights(
            o.getDouble("core-price-per-hour"),
            o.getDouble("memory-price-per-gb-hour"),
            o.getDouble("throughput-penalty"),
            o.getDouble("latency-penalty"),
            o.getDouble("model-margin")),
        new Annealing(
            a.getDouble("initial-temperature"),
            a.getDouble("cooling"),
            a.getInt("iterations"),
            a.getDouble("perturbation")),
        new Bayesian(
            b.getInt("initial-points"),
            b.getInt("iterations"),
            b.getInt("candidates"),
            b.getInt("local-candidates"),
            b.getDouble("local-step-size"),
            b.getDouble("matern-nu"),
            b.getDouble("length-scale"),
            b.getDouble("noise"),
            b.getDouble("xi")));
  }

  /** The same settings with other annealing settings. */
  public SearchSettings withAnnealing(Annealing a) {
    return new SearchSettings(keyOperators, space, grid, objective, a, bayesian);
  }

  /** The same settings with other Bayesian-optimization settings. */
  public SearchSettings withBayesian(Bayesian b) {
    return new SearchSettings(keyOperators, space, grid, objective, annealing, b);
  }

  /** The same settings with another grid. */
  public SearchSettings withGrid(Grid g) {
    return new SearchSettings(keyOperators, space, g, objective, annealing, bayesian);
  }

  static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("autopilot.optimization.search: " + message);
    }
  }
}
