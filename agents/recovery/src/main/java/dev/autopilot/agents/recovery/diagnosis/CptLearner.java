package dev.autopilot.agents.recovery.diagnosis;

import java.util.List;

/**
 * Learns the CPTs of a fixed structure from complete (or partly missing) discrete samples by
 * maximum a posteriori estimation under a symmetric Dirichlet prior: {@code P(x | u) = (N(x, u) +
 * α) / (N(u) + α·|X|)}. α = 1 is Laplace smoothing; every combination, seen or not, gets a non-zero
 * probability, and a parent assignment never seen gets the uniform distribution.
 */
public final class CptLearner {
  private CptLearner() {}

  /**
   * Fits the CPTs.
   *
   * @param variables the variables
   * @param parents per variable, its parent ids
   * @param samples one row per sample, one state per variable, or {@link
   *     VariableElimination#UNOBSERVED} (a sample then counts only for the families it fully
   *     observes)
   * @param weights per sample weight, or null for 1 each
   * @param alpha Dirichlet pseudo-count per cell, > 0
   */
  public static BayesNet fit(
      List<Variable> variables, int[][] parents, int[][] samples, double[] weights, double alpha) {
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("alpha must be a positive number, got " + alpha);
    }
    if (weights != null && weights.length != samples.length) {
      throw new IllegalArgumentException(
          samples.length + " samples but " + weights.length + " weights");
    }
    int n = variables.size();
    double[][] cpts = new double[n][];
    for (int v = 0; v < n; v++) {
      int[] ps = parents[v];
      int card = variables.get(v).cardinality();
      int rows = 1;
      for (int p : ps) {
        rows *= variables.get(p).cardinality();
      }
      double[] counts = new double[rows * card];
      for (int r = 0; r < samples.length; r++) {
        int[] x = samples[r];
        if (x.length != n) {
          throw new IllegalArgumentException(
              "sample " + r + " has " + x.length + " values for " + n + " variables");
        }
        if (x[v] == VariableElimination.UNOBSERVED) {
          continue;
        }
        int row = 0;
        boolean complete = true;
        for (int p : ps) {
          if (x[p] == VariableElimination.UNOBSERVED) {
            complete = false;
            break;
          }
          row = row * variables.get(p).cardinality() + check(variables, p, x[p], r);
        }
        if (complete) {
          counts[row * card + check(variables, v, x[v], r)] += weights == null ? 1 : weights[r];
        }
      }
      double[] cpt = new double[rows * card];
      for (int row = 0; row < rows; row++) {
        double total = 0;
        for (int s = 0; s < card; s++) {
          total += counts[row * card + s];
        }
        for (int s = 0; s < card; s++) {
          cpt[row * card + s] = (counts[row * card + s] + alpha) / (total + alpha * card);
        }
      }
      cpts[v] = cpt;
    }
    return new BayesNet(variables, parents, cpts);
  }

  private static int check(List<Variable> variables, int v, int state, int row) {
    if (state < 0 || state >= variables.get(v).cardinality()) {
      throw new IllegalArgumentException(
          "sample "
              + row
              + ": state "
              + state
              + " outside 0.."
              + (variables.get(v).cardinality() - 1)
              + " for '"
              + variables.get(v).name()
              + "'");
    }
    return state;
  }
}
