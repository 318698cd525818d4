package dev.autopilot.runtime.search;

import dev.autopilot.agents.optimization.perf.PerformanceFeatures;
import dev.autopilot.agents.optimization.perf.PerformanceModelTrainer;
import dev.autopilot.agents.optimization.search.ConfigSpace;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.runtime.bench.ProgressListener;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Training and test data of the performance model: for every seed, {@code samples-per-seed}
 * configurations drawn uniformly from the optimizer's {@link ConfigSpace} (the region the searches
 * query) and loads drawn log-uniformly between {@code min-rate} and {@code max-rate}, each measured
 * by the {@link SimulatorOracle} with its own simulator seed. Everything a sample needs is drawn
 * from its seed before the simulations run, so the data do not depend on the thread count.
 */
public final class PerformanceData {

  private PerformanceData() {}

  /**
   * One drawn sample before it is measured.
   *
   * @param config the configuration
   * @param rate offered load, events/s
   * @param simSeed the simulator's seed
   */
  record Draw(PipelineConfig config, double rate, long simSeed) {}

  /** The samples of the given seeds. */
  public static PerformanceModelTrainer.Samples generate(
      SimulatorOracle oracle,
      ConfigSpace space,
      PipelineConfig base,
      PerformanceFeatures features,
      PerformanceSearchSettings settings,
      List<Long> seeds,
      ProgressListener progress)
      throws InterruptedException {
    List<Draw> draws = new ArrayList<>();
    double logMin = Math.log(settings.minRate());
    double logMax = Math.log(settings.maxRate());
    for (long seed : seeds) {
      SplittableRandom r = new SplittableRandom(seed);
      for (int i = 0; i < settings.samplesPerSeed(); i++) {
        PipelineConfig c = space.toConfig(space.random(r), base);
        double rate =
            logMax == logMin
                ? settings.minRate()
                : Math.exp(logMin + r.nextDouble() * (logMax - logMin));
        draws.add(new Draw(c, rate, r.nextLong()));
      }
    }
    int n = draws.size();
    SimulatorOracle.Measurement[] out = new SimulatorOracle.Measurement[n];
    AtomicLong done = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(settings.threads());
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = i;
        futures.add(
            pool.submit(
                () -> {
                  Draw d = draws.get(k);
                  out[k] = oracle.measure(d.config(), d.rate(), d.simSeed());
                  synchronized (done) {
                    progress.onProgress(done.incrementAndGet(), n);
                  }
                }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException(
              "simulating a sample failed: " + e.getCause(), e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
    double[][] x = new double[n][];
    double[] rate = new double[n];
    double[] thr = new double[n];
    double[] p99 = new double[n];
    for (int i = 0; i < n; i++) {
      Draw d = draws.get(i);
      x[i] = features.vector(d.config(), oracle.workload(d.rate()));
      rate[i] = d.rate();
      thr[i] = out[i].throughput();
      p99[i] = out[i].p99Ms();
    }
    return new PerformanceModelTrainer.Samples(x, rate, thr, p99);
  }
}
