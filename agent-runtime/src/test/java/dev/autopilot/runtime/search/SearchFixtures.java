package dev.autopilot.runtime.search;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.runtime.RuntimeConfig;

/** A tiny budget of the performance model and the search, so that tests take seconds. */
final class SearchFixtures {
  private SearchFixtures() {}

  static final Config TINY =
      ConfigFactory.parseString(
              """
autopilot.performance-search {
  oracle { settle-ticks = 3, measure-ticks = 3 }
  training { train-seeds = 1, test-seeds = 1, samples-per-seed = 40, threads = 1 }
  levels = [600000]
}
autopilot.optimization.performance-model { trees = 20 }
autopilot.optimization.search {
  grid {
    parallelism = [16], network-buffer-mb = [32], checkpoint-interval-seconds = [30]
    task-manager-memory-gb = [4], task-manager-cpu = [2, 4, 8]
  }
  annealing { iterations = 15 }
  bayesian { initial-points = 4, iterations = 4, candidates = 50, local-candidates = 10 }
}
""")
          .withFallback(RuntimeConfig.load())
          .resolve();
}
