package dev.autopilot.agents.recovery.diagnosis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Exact inference in a {@link BayesNet} by variable elimination.
 *
 * <p>For a query {@code P(Q | e)}: the network is first pruned to the ancestors of the query and
 * the evidence (the other variables are barren and sum to one); every remaining CPT is reduced by
 * the evidence; the unobserved non-query variables are then eliminated one at a time (multiply the
 * factors that mention it, sum it out) in a greedy order that keeps the intermediate factors small;
 * what remains is multiplied and normalised.
 *
 * <p>Order heuristics (Koller and Friedman, section 9.4.3): {@link Heuristic#MIN_WEIGHT} picks the
 * variable whose elimination creates the smallest factor (product of the cardinalities of it and
 * its neighbours in the interaction graph), ties broken by fill-in; {@link Heuristic#MIN_FILL}
 * picks the one that adds the fewest edges, ties broken by weight. Thread-safe: no state between
 * queries.
 */
public final class VariableElimination {

  /** Greedy elimination-order heuristic. */
  public enum Heuristic {
    MIN_WEIGHT,
    MIN_FILL
  }

  /**
   * The answer to one query.
   *
   * @param posterior P(Q | e) over the query's states
   * @param evidenceProbability P(e)
   * @param order the elimination order used (variable ids)
   * @param largestFactor entries of the largest factor built while eliminating
   * @param work entries of all factors built while eliminating (the cost)
   */
  public record Result(
      double[] posterior, double evidenceProbability, int[] order, int largestFactor, long work) {}

  /** Marks an unobserved variable in an evidence array. */
  public static final int UNOBSERVED = -1;

  private final BayesNet net;
  private final Heuristic heuristic;

  public VariableElimination(BayesNet net, Heuristic heuristic) {
    this.net = net;
    this.heuristic = heuristic;
  }

  public VariableElimination(BayesNet net) {
    this(net, Heuristic.MIN_WEIGHT);
  }

  public BayesNet net() {
    return net;
  }

  /**
   * P(query | evidence).
   *
   * @param query the query variable id
   * @param evidence one entry per variable: its observed state, or {@link #UNOBSERVED}
   * @throws IllegalArgumentException when the evidence is malformed or has probability zero
   */
  public Result query(int query, int[] evidence) {
    int n = net.size();
    if (query < 0 || query >= n) {
      throw new IllegalArgumentException("query variable id " + query + " outside 0.." + (n - 1));
    }
    if (evidence.length != n) {
      throw new IllegalArgumentException(
          "evidence has " + evidence.length + " entries for " + n + " variables");
    }
    for (int v = 0; v < n; v++) {
      int e = evidence[v];
      if (e != UNOBSERVED && (e < 0 || e >= net.variable(v).cardinality())) {
        throw new IllegalArgumentException(
            "evidence state "
                + e
                + " outside 0.."
                + (net.variable(v).cardinality() - 1)
                + " for '"
                + net.variable(v).name()
                + "'");
      }
    }
    int observedQuery = evidence[query];
    int[] ev = evidence.clone();
    ev[query] = UNOBSERVED;

    // relevant variables: ancestors of the query and of the evidence
    BitSet relevant = new BitSet(n);
    int[] stack = new int[n];
    int sp = 0;
    stack[sp++] = query;
    relevant.set(query);
    for (int v = 0; v < n; v++) {
      if (ev[v] != UNOBSERVED && !relevant.get(v)) {
        relevant.set(v);
        stack[sp++] = v;
      }
    }
    while (sp > 0) {
      int v = stack[--sp];
      for (int p : net.parentsRef(v)) {
        if (!relevant.get(p)) {
          relevant.set(p);
          stack[sp++] = p;
        }
      }
    }

    List<Factor> factors = new ArrayList<>();
    double constant = 1;
    for (int v = relevant.nextSetBit(0); v >= 0; v = relevant.nextSetBit(v + 1)) {
      Factor f = net.factor(v);
      for (int u : f.varsRef().clone()) {
        if (ev[u] != UNOBSERVED) {
          f = f.reduce(u, ev[u]);
        }
      }
      if (f.varsRef().length == 0) {
        constant *= f.valuesRef()[0];
      } else {
        factors.add(f);
      }
    }

    BitSet toEliminate = (BitSet) relevant.clone();
    toEliminate.clear(query);
    for (int v = 0; v < n; v++) {
      if (ev[v] != UNOBSERVED) {
        toEliminate.clear(v);
      }
    }
    int[] order = order(factors, toEliminate);
    int largest = 0;
    long work = 0;
    for (int v : order) {
      Factor product = null;
      List<Factor> rest = new ArrayList<>(factors.size());
      for (Factor f : factors) {
        if (f.contains(v)) {
          product = product == null ? f : product.multiply(f);
        } else {
          rest.add(f);
        }
      }
      if (product == null) {
        continue;
      }
      largest = Math.max(largest, product.size());
      work += product.size();
      Factor summed = product.sumOut(v);
      if (summed.varsRef().length == 0) {
        constant *= summed.valuesRef()[0];
      } else {
        rest.add(summed);
      }
      factors = rest;
    }
    int card = net.variable(query).cardinality();
    double[] post = new double[card];
    Arrays.fill(post, constant);
    for (Factor f : factors) {
      // every remaining factor is over the query alone
      if (f.varsRef().length != 1 || f.varsRef()[0] != query) {
        throw new IllegalStateException("factor over " + Arrays.toString(f.varsRef()) + " left");
      }
      double[] vals = f.valuesRef();
      for (int s = 0; s < card; s++) {
        post[s] *= vals[s];
      }
      work += card;
    }
    double total = 0;
    for (double p : post) {
      total += p;
    }
    if (observedQuery != UNOBSERVED) {
      double pe = post[observedQuery];
      Arrays.fill(post, 0);
      post[observedQuery] = 1;
      total = pe;
    } else if (total > 0) {
      for (int s = 0; s < card; s++) {
        post[s] /= total;
      }
    }
    if (!(total > 0)) {
      throw new IllegalArgumentException("the evidence has probability zero under the network");
    }
    return new Result(post, total, order, largest, work);
  }

  /** Convenience: P(query | evidence) with evidence given by name and state name. */
  public double[] posterior(String query, java.util.Map<String, String> evidence) {
    int[] ev = new int[net.size()];
    Arrays.fill(ev, UNOBSERVED);
    evidence.forEach((k, s) -> ev[net.id(k)] = net.variable(net.id(k)).indexOf(s));
    return query(net.id(query), ev).posterior();
  }

  /** The greedy elimination order of {@code vars} given the factors' interaction graph. */
  int[] order(List<Factor> factors, BitSet vars) {
    int n = net.size();
    BitSet[] adj = new BitSet[n];
    BitSet inGraph = new BitSet(n);
    for (Factor f : factors) {
      int[] vs = f.varsRef();
      for (int a : vs) {
        inGraph.set(a);
        if (adj[a] == null) {
          adj[a] = new BitSet(n);
        }
        for (int b : vs) {
          if (a != b) {
            adj[a].set(b);
          }
        }
      }
    }
    BitSet left = (BitSet) vars.clone();
    left.and(inGraph);
    int[] order = new int[left.cardinality()];
    for (int k = 0; k < order.length; k++) {
      int best = -1;
      double bestPrimary = Double.POSITIVE_INFINITY;
      double bestSecondary = Double.POSITIVE_INFINITY;
      for (int v = left.nextSetBit(0); v >= 0; v = left.nextSetBit(v + 1)) {
        double weight = net.variable(v).cardinality();
        int fill = 0;
        BitSet nb = adj[v];
        for (int a = nb.nextSetBit(0); a >= 0; a = nb.nextSetBit(a + 1)) {
          weight *= net.variable(a).cardinality();
          for (int b = nb.nextSetBit(a + 1); b >= 0; b = nb.nextSetBit(b + 1)) {
            if (!adj[a].get(b)) {
              fill++;
            }
          }
        }
        double primary = heuristic == Heuristic.MIN_WEIGHT ? weight : fill;
        double secondary = heuristic == Heuristic.MIN_WEIGHT ? fill : weight;
        if (primary < bestPrimary || (primary == bestPrimary && secondary < bestSecondary)) {
          best = v;
          bestPrimary = primary;
          bestSecondary = secondary;
        }
      }
      order[k] = best;
      left.clear(best);
      BitSet nb = adj[best];
      for (int a = nb.nextSetBit(0); a >= 0; a = nb.nextSetBit(a + 1)) {
        adj[a].or(nb);
        adj[a].clear(a);
        adj[a].clear(best);
      }
    }
    return order;
  }
}
