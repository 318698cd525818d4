package dev.autopilot.agents.optimization.perf;

import java.util.Map;
import smile.base.cart.Loss;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.math.MathEx;
import smile.regression.GradientTreeBoost;

/**
 * Fits a {@link PerformanceModel}: two {@code GradientTreeBoost} regressions (least squares) with
 * the configured trees, depth, leaves, shrinkage and subsample. Smile draws each tree's subsample
 * from its global random stream, so the fit seeds it ({@code MathEx.setSeed}) first: the same data
 * and seed give the same trees. Pure: no Pekko, no metrics.
 */
public final class PerformanceModelTrainer {

  private static final Object SMILE_SEED_LOCK = new Object();

  private final PerformanceModelSettings settings;
  private final PerformanceFeatures features;

  public PerformanceModelTrainer(PerformanceModelSettings settings, PerformanceFeatures features) {
    this.settings = settings;
    this.features = features;
  }

  /**
   * One training set.
   *
   * @param x feature vectors ({@link PerformanceFeatures#vector})
   * @param offeredRate the offered rate of each sample, events/s
   * @param throughput measured throughput of each sample, events/s
   * @param p99Ms measured p99 of each sample, ms
   */
  public record Samples(double[][] x, double[] offeredRate, double[] throughput, double[] p99Ms) {
    public Samples {
      int n = x.length;
      if (n == 0 || offeredRate.length != n || throughput.length != n || p99Ms.length != n) {
        throw new IllegalArgumentException(
            "samples need as many rates, throughputs and latencies as feature vectors (>0)");
      }
    }

    public int size() {
      return x.length;
    }
  }

  /**
   * Fits both models.
   *
   * @throws IllegalArgumentException when there are fewer samples than a leaf needs or a vector has
   *     the wrong length
   */
  public PerformanceModel fit(Samples s, long seed) {
    int n = s.size();
    int d = features.size();
    if (n < 2 * settings.nodeSize()) {
      throw new IllegalArgumentException(
          "need at least " + 2 * settings.nodeSize() + " samples to fit, got " + n);
    }
    double[][] thr = new double[n][d + 1];
    double[][] lat = new double[n][d + 1];
    for (int i = 0; i < n; i++) {
      if (s.x()[i].length != d) {
        throw new IllegalArgumentException(
            "feature vector " + i + " has " + s.x()[i].length + " values, expected " + d);
      }
      System.arraycopy(s.x()[i], 0, thr[i], 0, d);
      System.arraycopy(s.x()[i], 0, lat[i], 0, d);
      thr[i][d] = PerformanceModel.throughputTarget(s.throughput()[i], s.offeredRate()[i]);
      lat[i][d] = PerformanceModel.latencyTarget(s.p99Ms()[i], settings.logLatency());
    }
    String[] names = columns(d);
    Formula f = Formula.lhs("y");
    GradientTreeBoost t;
    GradientTreeBoost l;
    synchronized (SMILE_SEED_LOCK) {
      MathEx.setSeed(seed);
      t = fit(f, DataFrame.of(thr, names));
      MathEx.setSeed(seed + 1);
      l = fit(f, DataFrame.of(lat, names));
    }
    return new PerformanceModel(features, settings.logLatency(), t, l, Map.of());
  }

  private GradientTreeBoost fit(Formula f, DataFrame data) {
    return GradientTreeBoost.fit(
        f,
        data,
        Loss.ls(),
        settings.trees(),
        settings.maxDepth(),
        settings.maxNodes(),
        settings.nodeSize(),
        settings.shrinkage(),
        settings.subsample());
  }

  /** Column names of the data frame: {@code f0..f(d-1)} and the target {@code y}. */
  static String[] columns(int d) {
    String[] names = new String[d + 1];
    for (int i = 0; i < d; i++) {
      names[i] = "f" + i;
    }
    names[d] = "y";
    return names;
  }
}
