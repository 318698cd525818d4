package dev.autopilot.agents.optimization.search;

import java.util.SplittableRandom;

/**
 * Simulated annealing over a {@link ConfigSpace} (the paper's settings: T0 100, cooling 0.95, 250
 * iterations, ±10 % perturbations). Deterministic for a seed.
 *
 * <p>A move changes every knob at once by a factor drawn uniformly from [1 − p, 1 + p] of its
 * current value (p = 0.1), clamped to the bounds; a knob at 0 moves by up to p of its range
 * instead. Points stay continuous between moves (the objective snaps integer knobs), so small
 * relative steps of small values still accumulate. A worse candidate is accepted with probability
 * {@code exp(-Δ / T)} where Δ is the score increase in percent of the current score: the
 * temperature is then scale-free, and T0 = 100 accepts a move 100 % worse with probability 1/e.
 * Relative to the current score rather than the starting one: the SLA-cost objective spans orders
 * of magnitude (an infeasible start scores thousands of dollars per hour, feasible configurations
 * cents apart), and a fixed scale from an infeasible start left the walk random among feasible
 * configurations until T was nearly zero (measured: 0.71-0.78 of the optimum over the model). After
 * each iteration T is multiplied by the cooling factor, so after 250 iterations T ≈ 3e-4 and the
 * walk is greedy.
 */
public final class SimulatedAnnealing {

  private final SearchSettings.Annealing settings;

  public SimulatedAnnealing(SearchSettings.Annealing settings) {
    this.settings = settings;
  }

  /** Searches from a uniformly random start. */
  public SearchResult minimise(ConfigSpace space, Objective objective, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    return minimise(space, objective, space.random(rnd), rnd);
  }

  /** Searches from a given start (clamped into the box). */
  public SearchResult minimise(ConfigSpace space, Objective objective, double[] start, long seed) {
    return minimise(space, objective, start, new SplittableRandom(seed));
  }

  private SearchResult minimise(
      ConfigSpace space, Objective objective, double[] start, SplittableRandom rnd) {
    int n = settings.iterations();
    double[] x = space.clamp(start);
    double fx = evaluate(objective, x);
    double[] best = x.clone();
    double fBest = fx;
    double temperature = settings.initialTemperature();
    double[] trajectory = new double[n + 1];
    double[][] bestPoints = new double[n + 1][];
    trajectory[0] = fBest;
    bestPoints[0] = best.clone();
    for (int it = 1; it <= n; it++) {
      double[] y = perturb(space, x, rnd);
      double fy = evaluate(objective, y);
      double delta = 100 * (fy - fx) / Math.max(Math.abs(fx), 1e-12);
      if (delta <= 0 || rnd.nextDouble() < Math.exp(-delta / temperature)) {
        x = y;
        fx = fy;
      }
      if (fx < fBest) {
        fBest = fx;
        best = x.clone();
      }
      trajectory[it] = fBest;
      bestPoints[it] = best.clone();
      temperature *= settings.cooling();
    }
    return new SearchResult(best, fBest, trajectory, bestPoints, n + 1);
  }

  private double[] perturb(ConfigSpace space, double[] x, SplittableRandom rnd) {
    double p = settings.perturbation();
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double u = rnd.nextDouble(-p, p);
      y[i] = x[i] == 0 ? u * space.dimension(i).span() : x[i] * (1 + u);
    }
    return space.clamp(y);
  }

  static double evaluate(Objective objective, double[] x) {
    double f = objective.score(x);
    if (!Double.isFinite(f)) {
      throw new IllegalStateException("the objective returned " + f + "; scores must be finite");
    }
    return f;
  }
}
