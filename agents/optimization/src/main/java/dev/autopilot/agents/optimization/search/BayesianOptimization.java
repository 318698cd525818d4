package dev.autopilot.agents.optimization.search;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import smile.math.kernel.MaternKernel;
import smile.math.special.Erf;
import smile.regression.GaussianProcessRegression;

/**
 * Bayesian optimization over a {@link ConfigSpace} with a Smile Gaussian process (Matérn kernel, ν
 * = 2.5) and expected improvement: {@code initial-points} uniformly random points (20), then {@code
 * iterations} (80) points, each the maximiser of expected improvement. Deterministic for a seed.
 *
 * <p>Decisions:
 *
 * <ul>
 *   <li>The GP works in the unit cube (every knob scaled to [0, 1]), so one isotropic length scale
 *       fits knobs of different units.
 *   <li>Scores are modelled as {@code log(score)} when every score so far is positive (the SLA-cost
 *       objective's penalties span orders of magnitude; on the log scale a saturated corner does
 *       not flatten the rest of the surface), then standardised to mean 0 and deviation 1.
 *   <li>Expected improvement (minimisation) {@code EI = (f* − μ − ξ) Φ(z) + σ φ(z)}, {@code z = (f*
 *       − μ − ξ) / σ}, is maximised over random candidates: {@code candidates} uniform in the cube
 *       plus {@code local-candidates} Gaussian steps around the best point so far (cheap, and
 *       needed to refine once the region is found). A GP does no gradient search here.
 *   <li>Smile's {@code gp.predict(x, est)} writes the mean and the standard deviation into {@code
 *       est}, which must have length ≥ 2 (DESIGN.md §8).
 * </ul>
 */
public final class BayesianOptimization {

  private final SearchSettings.Bayesian settings;

  public BayesianOptimization(SearchSettings.Bayesian settings) {
    this.settings = settings;
  }

  /** Minimises the objective over the space. */
  public SearchResult minimise(ConfigSpace space, Objective objective, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int d = space.size();
    int total = settings.initialPoints() + settings.iterations();
    List<double[]> us = new ArrayList<>();
    List<Double> fs = new ArrayList<>();
    double[] trajectory = new double[total];
    double[][] bestPoints = new double[total][];
    double fBest = Double.POSITIVE_INFINITY;
    double[] best = null;
    MaternKernel kernel = new MaternKernel(settings.lengthScale(), settings.maternNu());
    for (int it = 0; it < total; it++) {
      double[] u;
      if (it < settings.initialPoints()) {
        u = new double[d];
        for (int i = 0; i < d; i++) {
          u[i] = rnd.nextDouble();
        }
      } else {
        u = nextPoint(us, fs, kernel, best == null ? null : space.toUnit(best), rnd, d);
      }
      double[] x = space.fromUnit(u);
      double f = SimulatedAnnealing.evaluate(objective, x);
      us.add(u);
      fs.add(f);
      if (f < fBest) {
        fBest = f;
        best = x;
      }
      trajectory[it] = fBest;
      bestPoints[it] = best.clone();
    }
    return new SearchResult(best.clone(), fBest, trajectory, bestPoints, total);
  }

  private double[] nextPoint(
      List<double[]> us,
      List<Double> fs,
      MaternKernel kernel,
      double[] bestUnit,
      SplittableRandom rnd,
      int d) {
    int n = us.size();
    boolean positive = fs.stream().allMatch(v -> v > 0);
    double[] y = new double[n];
    double mean = 0;
    for (int i = 0; i < n; i++) {
      y[i] = positive ? Math.log(fs.get(i)) : fs.get(i);
      mean += y[i];
    }
    mean /= n;
    double var = 0;
    for (double v : y) {
      var += (v - mean) * (v - mean);
    }
    double sd = Math.sqrt(var / n);
    if (!(sd > 1e-12)) {
      sd = 1;
    }
    double yBest = Double.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      y[i] = (y[i] - mean) / sd;
      yBest = Math.min(yBest, y[i]);
    }
    GaussianProcessRegression<double[]> gp =
        GaussianProcessRegression.fit(us.toArray(new double[0][]), y, kernel, settings.noise());
    double[] est = new double[2];
    double bestEi = -1;
    double[] chosen = null;
    int m = settings.candidates() + (bestUnit == null ? 0 : settings.localCandidates());
    for (int c = 0; c < m; c++) {
      double[] u = new double[d];
      if (c < settings.candidates()) {
        for (int i = 0; i < d; i++) {
          u[i] = rnd.nextDouble();
        }
      } else {
        for (int i = 0; i < d; i++) {
          u[i] = Math.max(0, Math.min(1, bestUnit[i] + settings.localStepSize() * gaussian(rnd)));
        }
      }
      double mu = gp.predict(u, est);
      double sigma = est.length > 1 ? est[1] : 0;
      double ei = expectedImprovement(yBest, mu, sigma, settings.xi());
      if (ei > bestEi) {
        bestEi = ei;
        chosen = u;
      }
    }
    return chosen;
  }

  /** Expected improvement below {@code best} of a normal(mu, sigma) prediction (minimisation). */
  static double expectedImprovement(double best, double mu, double sigma, double xi) {
    double gain = best - mu - xi;
    if (!(sigma > 1e-12)) {
      return Math.max(0, gain);
    }
    double z = gain / sigma;
    double cdf = 0.5 * Erf.erfc(-z / Math.sqrt(2));
    double pdf = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    return gain * cdf + sigma * pdf;
  }

  private static double gaussian(SplittableRandom rnd) {
    // Box-Muller, one value (deterministic for the stream)
    double u1 = Math.max(rnd.nextDouble(), 1e-300);
    double u2 = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
