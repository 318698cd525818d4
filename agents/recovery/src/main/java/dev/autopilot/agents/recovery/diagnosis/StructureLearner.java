package dev.autopilot.agents.recovery.diagnosis;

import java.util.Arrays;
import java.util.List;

/**
 * Structure learning for tree-augmented networks: the Chow-Liu tree over the features, weighted by
 * their conditional mutual information given the class variable.
 */
final class StructureLearner {
  private StructureLearner() {}

  /**
   * The maximum spanning tree over every variable but {@code classVar}, with edge weights {@code
   * I(Xi; Xj | C)}, rooted at the first such variable.
   *
   * @return per variable its tree parent, or -1 (the root, and the class variable)
   */
  static int[] chowLiuGivenClass(
      List<Variable> vars, int[][] rows, double[] weights, int classVar) {
    int n = vars.size();
    int[] feats = new int[n - 1];
    for (int v = 0, k = 0; v < n; v++) {
      if (v != classVar) {
        feats[k++] = v;
      }
    }
    int m = feats.length;
    double[][] w = new double[m][m];
    for (int a = 0; a < m; a++) {
      for (int b = a + 1; b < m; b++) {
        w[a][b] = w[b][a] = cmi(vars, rows, weights, feats[a], feats[b], classVar);
      }
    }
    int[] parent = new int[n];
    Arrays.fill(parent, -1);
    if (m == 0) {
      return parent;
    }
    // Prim's algorithm for the maximum spanning tree
    boolean[] in = new boolean[m];
    double[] best = new double[m];
    int[] from = new int[m];
    Arrays.fill(best, Double.NEGATIVE_INFINITY);
    in[0] = true;
    for (int b = 1; b < m; b++) {
      best[b] = w[0][b];
      from[b] = 0;
    }
    for (int step = 1; step < m; step++) {
      int pick = -1;
      for (int b = 0; b < m; b++) {
        if (!in[b] && (pick < 0 || best[b] > best[pick])) {
          pick = b;
        }
      }
      in[pick] = true;
      parent[feats[pick]] = feats[from[pick]];
      for (int b = 0; b < m; b++) {
        if (!in[b] && w[pick][b] > best[b]) {
          best[b] = w[pick][b];
          from[b] = pick;
        }
      }
    }
    return parent;
  }

  /** Conditional mutual information I(X; Y | C) of the weighted empirical distribution, nats. */
  static double cmi(List<Variable> vars, int[][] rows, double[] weights, int x, int y, int c) {
    int cx = vars.get(x).cardinality();
    int cy = vars.get(y).cardinality();
    int cc = vars.get(c).cardinality();
    double[] nxyc = new double[cx * cy * cc];
    double total = 0;
    for (int r = 0; r < rows.length; r++) {
      int[] row = rows[r];
      if (row[x] < 0 || row[y] < 0 || row[c] < 0) {
        continue;
      }
      double wt = weights == null ? 1 : weights[r];
      nxyc[(row[c] * cx + row[x]) * cy + row[y]] += wt;
      total += wt;
    }
    if (total == 0) {
      return 0;
    }
    double info = 0;
    for (int k = 0; k < cc; k++) {
      double nc = 0;
      double[] nx = new double[cx];
      double[] ny = new double[cy];
      for (int i = 0; i < cx; i++) {
        for (int j = 0; j < cy; j++) {
          double v = nxyc[(k * cx + i) * cy + j];
          nx[i] += v;
          ny[j] += v;
          nc += v;
        }
      }
      for (int i = 0; i < cx; i++) {
        for (int j = 0; j < cy; j++) {
          double v = nxyc[(k * cx + i) * cy + j];
          if (v > 0) {
            info += v / total * Math.log(v * nc / (nx[i] * ny[j]));
          }
        }
      }
    }
    return info;
  }
}
