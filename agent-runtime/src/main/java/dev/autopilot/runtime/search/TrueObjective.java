package dev.autopilot.runtime.search;

import dev.autopilot.agents.optimization.search.ConfigSpace;
import dev.autopilot.agents.optimization.search.Objective;
import dev.autopilot.agents.optimization.search.SlaCostObjective;
import dev.autopilot.runtime.bench.ProgressListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SLA-cost objective over the simulator itself: each configuration is measured by the {@link
 * SimulatorOracle} at one load with one seed, and remembered (a point is scored by its snapped
 * configuration, so the searches' continuous moves that round to the same configuration cost one
 * simulation). Thread-safe.
 */
final class TrueObjective implements Objective {

  private final SlaCostObjective objective;
  private final ConfigSpace space;
  private final Map<String, SlaCostObjective.Breakdown> cache = new ConcurrentHashMap<>();

  /**
   * @param space the pipeline space
   * @param objective the SLA-cost objective over the oracle's measurements
   */
  TrueObjective(ConfigSpace space, SlaCostObjective objective) {
    this.space = space;
    this.objective = objective;
  }

  @Override
  public double score(double[] x) {
    return breakdown(x).score();
  }

  /** The score and its parts (measured once per configuration). */
  SlaCostObjective.Breakdown breakdown(double[] x) {
    double[] s = space.snap(x);
    return cache.computeIfAbsent(Arrays.toString(s), k -> objective.breakdown(s));
  }

  /** Configurations simulated so far. */
  int simulated() {
    return cache.size();
  }

  /** Scores every point, on {@code threads} threads, reporting progress. */
  List<SlaCostObjective.Breakdown> scoreAll(
      List<double[]> points, int threads, ProgressListener progress) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicLong done = new AtomicLong();
    int n = points.size();
    try {
      List<Future<SlaCostObjective.Breakdown>> fs = new ArrayList<>();
      for (double[] x : points) {
        fs.add(
            pool.submit(
                () -> {
                  SlaCostObjective.Breakdown b = breakdown(x);
                  synchronized (done) {
                    progress.onProgress(done.incrementAndGet(), n);
                  }
                  return b;
                }));
      }
      List<SlaCostObjective.Breakdown> out = new ArrayList<>();
      for (Future<SlaCostObjective.Breakdown> f : fs) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          throw new IllegalStateException(
              "simulating a configuration failed: " + e.getCause(), e.getCause());
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
