package dev.autopilot.agents.recovery.diagnosis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Random small networks and brute-force enumeration, for checking exact inference. */
final class RandomNets {
  private RandomNets() {}

  /** A random DAG over {@code n} variables (2..4 states, up to 3 parents), random CPTs. */
  static BayesNet random(Random rnd, int n) {
    List<Variable> vars = new ArrayList<>();
    int[][] parents = new int[n][];
    double[][] cpts = new double[n][];
    for (int v = 0; v < n; v++) {
      int card = 2 + rnd.nextInt(3);
      List<String> states = new ArrayList<>();
      for (int s = 0; s < card; s++) {
        states.add("s" + s);
      }
      vars.add(new Variable("v" + v, states));
      // parents among the earlier variables, so the graph is acyclic
      List<Integer> cand = new ArrayList<>();
      for (int u = 0; u < v; u++) {
        cand.add(u);
      }
      java.util.Collections.shuffle(cand, rnd);
      int k = Math.min(cand.size(), rnd.nextInt(4));
      parents[v] = cand.subList(0, k).stream().mapToInt(Integer::intValue).toArray();
    }
    for (int v = 0; v < n; v++) {
      int rows = 1;
      for (int p : parents[v]) {
        rows *= vars.get(p).cardinality();
      }
      int card = vars.get(v).cardinality();
      double[] t = new double[rows * card];
      for (int r = 0; r < rows; r++) {
        double sum = 0;
        for (int s = 0; s < card; s++) {
          // some near-deterministic entries, as learned tables have
          double x = rnd.nextDouble() < 0.15 ? 1e-4 * rnd.nextDouble() : rnd.nextDouble();
          t[r * card + s] = x;
          sum += x;
        }
        for (int s = 0; s < card; s++) {
          t[r * card + s] /= sum;
        }
      }
      cpts[v] = t;
    }
    return new BayesNet(vars, parents, cpts);
  }

  /** P(query | evidence) by summing the joint over every full assignment. */
  static double[] enumerate(BayesNet net, int query, int[] evidence) {
    int n = net.size();
    int[] a = new int[n];
    double[] post = new double[net.variable(query).cardinality()];
    while (true) {
      boolean consistent = true;
      for (int v = 0; v < n; v++) {
        if (evidence[v] != VariableElimination.UNOBSERVED && evidence[v] != a[v]) {
          consistent = false;
          break;
        }
      }
      if (consistent) {
        post[a[query]] += net.joint(a);
      }
      int d = 0;
      while (d < n) {
        a[d]++;
        if (a[d] < net.variable(d).cardinality()) {
          break;
        }
        a[d] = 0;
        d++;
      }
      if (d == n) {
        break;
      }
    }
    double total = Arrays.stream(post).sum();
    for (int s = 0; s < post.length; s++) {
      post[s] /= total;
    }
    return post;
  }
}
