package dev.autopilot.agents.recovery.diagnosis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A discrete Bayesian network: variables, each with its parents and its conditional probability
 * table (CPT). Immutable and validated on construction: names unique, parents known, the graph
 * acyclic, every CPT row a probability distribution.
 *
 * <p>CPT layout: one row per assignment of the parents, rows in row-major order over the parents as
 * listed (the last parent varies fastest), each row a distribution over the variable's states.
 * Flattened, the table is row-major over {@code [parents..., variable]}.
 */
public final class BayesNet {
  /** Tolerance on the sum of a CPT row. */
  public static final double ROW_TOLERANCE = 1e-6;

  private final List<Variable> variables;
  private final int[][] parents;
  private final double[][] cpts;
  private final Map<String, Integer> index;
  private final int[] topoOrder;
  private final Factor[] factors;

  /**
   * @param variables the variables; ids are their positions
   * @param parents per variable, the ids of its parents
   * @param cpts per variable, its flattened CPT (see the class comment)
   * @throws IllegalArgumentException naming the variable when anything is inconsistent
   */
  public BayesNet(List<Variable> variables, int[][] parents, double[][] cpts) {
    int n = variables.size();
    if (parents.length != n || cpts.length != n) {
      throw new IllegalArgumentException(
          n + " variables but " + parents.length + " parent lists and " + cpts.length + " CPTs");
    }
    this.variables = List.copyOf(variables);
    this.index = new HashMap<>();
    for (int v = 0; v < n; v++) {
      if (index.put(variables.get(v).name(), v) != null) {
        throw new IllegalArgumentException("duplicate variable '" + variables.get(v).name() + "'");
      }
    }
    this.parents = new int[n][];
    this.cpts = new double[n][];
    for (int v = 0; v < n; v++) {
      String name = variables.get(v).name();
      int[] ps = parents[v] == null ? new int[0] : parents[v].clone();
      for (int k = 0; k < ps.length; k++) {
        if (ps[k] < 0 || ps[k] >= n) {
          throw new IllegalArgumentException(
              "variable '" + name + "' has unknown parent id " + ps[k]);
        }
        if (ps[k] == v) {
          throw new IllegalArgumentException("variable '" + name + "' is its own parent");
        }
        for (int m = 0; m < k; m++) {
          if (ps[m] == ps[k]) {
            throw new IllegalArgumentException(
                "variable '" + name + "' lists parent '" + variables.get(ps[k]).name() + "' twice");
          }
        }
      }
      this.parents[v] = ps;
      int card = variables.get(v).cardinality();
      int rows = 1;
      for (int p : ps) {
        rows *= variables.get(p).cardinality();
      }
      double[] cpt = cpts[v];
      if (cpt == null || cpt.length != rows * card) {
        throw new IllegalArgumentException(
            "CPT of '"
                + name
                + "' needs "
                + rows
                + " rows of "
                + card
                + " probabilities ("
                + rows * card
                + " values), got "
                + (cpt == null ? 0 : cpt.length));
      }
      for (int r = 0; r < rows; r++) {
        double sum = 0;
        for (int s = 0; s < card; s++) {
          double p = cpt[r * card + s];
          if (!(p >= 0 && p <= 1 + ROW_TOLERANCE)) {
            throw new IllegalArgumentException(
                "CPT of '"
                    + name
                    + "', row "
                    + r
                    + ", state '"
                    + variables.get(v).states().get(s)
                    + "': probability "
                    + p
                    + " outside [0, 1]");
          }
          sum += p;
        }
        if (Math.abs(sum - 1) > ROW_TOLERANCE) {
          throw new IllegalArgumentException(
              "CPT of '" + name + "', row " + r + " sums to " + sum + ", not 1");
        }
      }
      this.cpts[v] = cpt.clone();
    }
    this.topoOrder = topologicalOrder();
    this.factors = new Factor[n];
    for (int v = 0; v < n; v++) {
      factors[v] = buildFactor(v);
    }
  }

  private int[] topologicalOrder() {
    int n = variables.size();
    int[] state = new int[n]; // 0 new, 1 on stack, 2 done
    int[] out = new int[n];
    int[] pos = {0};
    for (int v = 0; v < n; v++) {
      visit(v, state, out, pos, new ArrayList<>());
    }
    return out;
  }

  private void visit(int v, int[] state, int[] out, int[] pos, List<String> path) {
    if (state[v] == 2) {
      return;
    }
    path.add(variables.get(v).name());
    if (state[v] == 1) {
      throw new IllegalArgumentException("the network has a cycle: " + String.join(" <- ", path));
    }
    state[v] = 1;
    for (int p : parents[v]) {
      visit(p, state, out, pos, path);
    }
    state[v] = 2;
    path.remove(path.size() - 1);
    out[pos[0]++] = v;
  }

  public int size() {
    return variables.size();
  }

  public List<Variable> variables() {
    return variables;
  }

  public Variable variable(int id) {
    return variables.get(id);
  }

  /** Id of a variable by name. */
  public int id(String name) {
    Integer i = index.get(name);
    if (i == null) {
      throw new IllegalArgumentException("no variable '" + name + "' in the network");
    }
    return i;
  }

  public boolean has(String name) {
    return index.containsKey(name);
  }

  public int[] parents(int id) {
    return parents[id].clone();
  }

  int[] parentsRef(int id) {
    return parents[id];
  }

  /** The flattened CPT of a variable (a copy). */
  public double[] cpt(int id) {
    return cpts[id].clone();
  }

  /** Variable ids, every parent before its children. */
  public int[] topologicalOrderIds() {
    return topoOrder.clone();
  }

  /** P(variable = state | parents = parentStates). */
  public double probability(int id, int state, int[] parentStates) {
    int[] ps = parents[id];
    int row = 0;
    for (int k = 0; k < ps.length; k++) {
      row = row * variables.get(ps[k]).cardinality() + parentStates[k];
    }
    return cpts[id][row * variables.get(id).cardinality() + state];
  }

  /** The joint probability of a full assignment (one state per variable). */
  public double joint(int[] assignment) {
    double p = 1;
    int[] buf = new int[0];
    for (int v = 0; v < variables.size(); v++) {
      int[] ps = parents[v];
      if (buf.length != ps.length) {
        buf = new int[ps.length];
      }
      for (int k = 0; k < ps.length; k++) {
        buf[k] = assignment[ps[k]];
      }
      p *= probability(v, assignment[v], buf);
    }
    return p;
  }

  /** The CPT of a variable as a factor over itself and its parents (immutable, cached). */
  Factor factor(int id) {
    return factors[id];
  }

  private Factor buildFactor(int id) {
    int[] ps = parents[id];
    int[] order = Arrays.copyOf(ps, ps.length + 1);
    order[ps.length] = id;
    int[] cards = new int[order.length];
    for (int k = 0; k < order.length; k++) {
      cards[k] = variables.get(order[k]).cardinality();
    }
    return Factor.fromRowMajor(order, cards, cpts[id]);
  }
}
