package dev.autopilot.agents.recovery.detect.stream;

import java.util.SplittableRandom;

/**
 * Isolation forest (Liu, Ting and Zhou 2008), grown from an explicit seed so that equal data give
 * equal forests. Smile's {@code IsolationForest} draws from per-thread generators whose state
 * {@code MathEx.setSeed} does not fully reset (the same data fitted twice in a row gives different
 * forests), which would make a streaming detector's past scores depend on how often it had been
 * run; this is the same algorithm (random feature, random split between the node's minimum and
 * maximum, depth limit, average path length normalised by {@code c(n)}) with a {@link
 * SplittableRandom}. Path lengths are normalised by {@code c(ψ)} of the subsample size ψ, as in
 * the paper (Smile uses c of all training rows, which shifts the score level each time a growing
 * training window is refitted and so skews the likelihood's history).
 */
final class SeededIsolationForest {

  private final Node[] trees;
  private final double cn;

  private record Node(int feature, double split, Node left, Node right, int size) {}

  private SeededIsolationForest(Node[] trees, int sampleSize) {
    this.trees = trees;
    this.cn = c(sampleSize);
  }

  /**
   * @param x rows
   * @param trees number of trees
   * @param subsample rows per tree (at most all rows)
   * @param maxDepth depth limit
   * @param seed generator seed
   */
  static SeededIsolationForest fit(
      double[][] x, int trees, int subsample, int maxDepth, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int m = Math.min(subsample, x.length);
    Node[] forest = new Node[trees];
    int[] idx = new int[x.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    for (int k = 0; k < trees; k++) {
      for (int i = 0; i < m; i++) {
        int j = i + r.nextInt(idx.length - i);
        int tmp = idx[i];
        idx[i] = idx[j];
        idx[j] = tmp;
      }
      double[][] sample = new double[m][];
      for (int i = 0; i < m; i++) {
        sample[i] = x[idx[i]];
      }
      forest[k] = grow(sample, 0, m, 0, maxDepth, r);
    }
    return new SeededIsolationForest(forest, m);
  }

  private static Node grow(
      double[][] s, int from, int to, int depth, int maxDepth, SplittableRandom r) {
    int n = to - from;
    if (n <= 1 || depth >= maxDepth) {
      return new Node(-1, 0, null, null, n);
    }
    int d = s[from].length;
    // Pick a random feature that is not constant in this node (if any).
    int start = r.nextInt(d);
    for (int a = 0; a < d; a++) {
      int f = (start + a) % d;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (int i = from; i < to; i++) {
        min = Math.min(min, s[i][f]);
        max = Math.max(max, s[i][f]);
      }
      if (max > min) {
        double split = min + r.nextDouble() * (max - min);
        int mid = from;
        for (int i = from; i < to; i++) {
          if (s[i][f] < split) {
            double[] tmp = s[i];
            s[i] = s[mid];
            s[mid] = tmp;
            mid++;
          }
        }
        return new Node(
            f,
            split,
            grow(s, from, mid, depth + 1, maxDepth, r),
            grow(s, mid, to, depth + 1, maxDepth, r),
            n);
      }
    }
    return new Node(-1, 0, null, null, n);
  }

  /**
   * Anomaly score {@code 2^(-E[h(x)] / c(n))}: about 0.5 for ordinary rows, towards 1 if isolated.
   */
  double score(double[] x) {
    double sum = 0;
    for (Node t : trees) {
      Node node = t;
      int depth = 0;
      while (node.feature() >= 0) {
        node = x[node.feature()] < node.split() ? node.left() : node.right();
        depth++;
      }
      sum += depth + c(node.size());
    }
    return Math.pow(2, -(sum / trees.length) / cn);
  }

  /** Average path length of an unsuccessful search in a binary search tree of n keys. */
  static double c(int n) {
    if (n <= 1) {
      return 0;
    }
    if (n == 2) {
      return 1;
    }
    return 2 * (Math.log(n - 1) + 0.5772156649) - 2.0 * (n - 1) / n;
  }
}
