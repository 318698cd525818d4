package dev.autopilot.runtime.search;

import com.typesafe.config.Config;
import java.util.List;

/**
 * Settings of the simulator side of the performance model and the search, read once from {@code
 * autopilot.performance-search} (agent-runtime's {@code reference.conf} documents every key).
 *
 * @param window what the oracle averages
 * @param trainSeeds training seeds
 * @param testSeeds held-out test seeds
 * @param samplesPerSeed random samples per seed
 * @param minRate lowest sampled load, events/s
 * @param maxRate highest sampled load, events/s
 * @param threads simulator threads
 * @param levels loads at which {@code search} compares the searches
 * @param tolerance relative margin of "within x % of the optimum"
 */
public record PerformanceSearchSettings(
    SimulatorOracle.Window window,
    int trainSeeds,
    int testSeeds,
    int samplesPerSeed,
    double minRate,
    double maxRate,
    int threads,
    List<Double> levels,
    double tolerance) {

  public PerformanceSearchSettings {
    require(trainSeeds >= 1, "training.train-seeds must be >= 1");
    require(testSeeds >= 1, "training.test-seeds must be >= 1");
    require(samplesPerSeed >= 1, "training.samples-per-seed must be >= 1");
    require(minRate > 0 && maxRate >= minRate, "need 0 < training.min-rate <= training.max-rate");
    require(threads >= 1, "training.threads must be >= 1");
    require(levels != null && !levels.isEmpty(), "levels must list at least one load");
    levels.forEach(l -> require(l > 0, "levels must be > 0, got " + l));
    levels = List.copyOf(levels);
    require(tolerance > 0 && tolerance < 1, "tolerance must be in (0, 1)");
  }

  /** Reads {@code autopilot.performance-search} from the (root) configuration. */
  public static PerformanceSearchSettings create(Config root) {
    Config c = root.getConfig("autopilot.performance-search");
    Config o = c.getConfig("oracle");
    Config t = c.getConfig("training");
    return new PerformanceSearchSettings(
        new SimulatorOracle.Window(o.getInt("settle-ticks"), o.getInt("measure-ticks")),
        t.getInt("train-seeds"),
        t.getInt("test-seeds"),
        t.getInt("samples-per-seed"),
        t.getDouble("min-rate"),
        t.getDouble("max-rate"),
        t.getInt("threads"),
        c.getDoubleList("levels"),
        c.getDouble("tolerance"));
  }

  /** The same settings with a smaller budget (tests). */
  public PerformanceSearchSettings withBudget(
      int trainSeeds, int testSeeds, int samplesPerSeed, SimulatorOracle.Window window) {
    return new PerformanceSearchSettings(
        window,
        trainSeeds,
        testSeeds,
        samplesPerSeed,
        minRate,
        maxRate,
        threads,
        levels,
        tolerance);
  }

  /** The same settings with other levels. */
  public PerformanceSearchSettings withLevels(List<Double> l) {
    return new PerformanceSearchSettings(
        window, trainSeeds, testSeeds, samplesPerSeed, minRate, maxRate, threads, l, tolerance);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("autopilot.performance-search: " + message);
    }
  }
}
