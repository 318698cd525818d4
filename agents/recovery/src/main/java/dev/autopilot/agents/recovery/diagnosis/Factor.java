package dev.autopilot.agents.recovery.diagnosis;

import java.util.Arrays;

/**
 * A non-negative function over an assignment of discrete variables (a table): the unit of variable
 * elimination. Immutable. The scope is kept sorted by variable id; the first variable of the scope
 * varies fastest in {@link #values()}.
 */
public final class Factor {
  private final int[] vars;
  private final int[] cards;
  private final int[] strides;
  private final double[] values;

  /**
   * @param vars variable ids, strictly ascending
   * @param cards their cardinalities
   * @param values table, first variable fastest; length = product of cards
   */
  Factor(int[] vars, int[] cards, double[] values) {
    this.vars = vars;
    this.cards = cards;
    this.values = values;
    this.strides = new int[vars.length];
    int s = 1;
    for (int i = 0; i < vars.length; i++) {
      if (i > 0 && vars[i] <= vars[i - 1]) {
        throw new IllegalArgumentException("factor scope not ascending: " + Arrays.toString(vars));
      }
      strides[i] = s;
      s *= cards[i];
    }
    if (s != values.length) {
      throw new IllegalArgumentException(
          "factor over " + Arrays.toString(vars) + " needs " + s + " values, got " + values.length);
    }
  }

  /** A constant factor with an empty scope. */
  static Factor constant(double v) {
    return new Factor(new int[0], new int[0], new double[] {v});
  }

  /**
   * A factor from a table in row-major order over {@code order} (the last variable fastest), as
   * conditional probability tables are stored.
   */
  static Factor fromRowMajor(int[] order, int[] orderCards, double[] table) {
    int n = order.length;
    Integer[] perm = new Integer[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    Arrays.sort(perm, (a, b) -> Integer.compare(order[a], order[b]));
    int[] vars = new int[n];
    int[] cards = new int[n];
    for (int i = 0; i < n; i++) {
      vars[i] = order[perm[i]];
      cards[i] = orderCards[perm[i]];
    }
    // stride of each position of `order` inside the sorted factor
    int[] sortedStride = new int[n];
    int s = 1;
    for (int i = 0; i < n; i++) {
      sortedStride[perm[i]] = s;
      s *= cards[i];
    }
    double[] values = new double[table.length];
    int[] a = new int[n];
    int target = 0;
    for (int k = 0; k < table.length; k++) {
      values[target] = table[k];
      // increment the row-major counter (last position fastest)
      for (int i = n - 1; i >= 0; i--) {
        a[i]++;
        target += sortedStride[i];
        if (a[i] < orderCards[i]) {
          break;
        }
        target -= sortedStride[i] * a[i];
        a[i] = 0;
      }
    }
    return new Factor(vars, cards, values);
  }

  public int[] vars() {
    return vars.clone();
  }

  int[] varsRef() {
    return vars;
  }

  public double[] values() {
    return values.clone();
  }

  double[] valuesRef() {
    return values;
  }

  /** Number of entries. */
  public int size() {
    return values.length;
  }

  boolean contains(int var) {
    return position(var) >= 0;
  }

  private int position(int var) {
    for (int i = 0; i < vars.length; i++) {
      if (vars[i] == var) {
        return i;
      }
    }
    return -1;
  }

  /** A factor over this scope without the variable at position {@code p}, with these values. */
  private Factor withoutPosition(int p, double[] values) {
    int n = vars.length;
    int[] nv = new int[n - 1];
    int[] nc = new int[n - 1];
    for (int i = 0, j = 0; i < n; i++) {
      if (i != p) {
        nv[j] = vars[i];
        nc[j++] = cards[i];
      }
    }
    return new Factor(nv, nc, values);
  }

  /** The factor with {@code var} fixed to {@code state} (and removed from the scope). */
  Factor reduce(int var, int state) {
    int p = position(var);
    if (p < 0) {
      return this;
    }
    double[] out = new double[values.length / cards[p]];
    int inner = strides[p];
    int outerStep = inner * cards[p];
    int k = 0;
    for (int base = 0; base < values.length; base += outerStep) {
      int off = base + state * inner;
      for (int i = 0; i < inner; i++) {
        out[k++] = values[off + i];
      }
    }
    return withoutPosition(p, out);
  }

  /** The factor with {@code var} summed out. */
  Factor sumOut(int var) {
    int p = position(var);
    if (p < 0) {
      return this;
    }
    double[] out = new double[values.length / cards[p]];
    int inner = strides[p];
    int outerStep = inner * cards[p];
    int k = 0;
    for (int base = 0; base < values.length; base += outerStep) {
      for (int i = 0; i < inner; i++) {
        double sum = 0;
        for (int st = 0; st < cards[p]; st++) {
          sum += values[base + st * inner + i];
        }
        out[k++] = sum;
      }
    }
    return withoutPosition(p, out);
  }

  /** The pointwise product over the union of both scopes. */
  Factor multiply(Factor o) {
    if (o.vars.length == 0) {
      return scale(o.values[0]);
    }
    if (vars.length == 0) {
      return o.scale(values[0]);
    }
    // union scope (both ascending)
    int[] uv = new int[vars.length + o.vars.length];
    int[] uc = new int[uv.length];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < vars.length || j < o.vars.length) {
      if (j >= o.vars.length || (i < vars.length && vars[i] < o.vars[j])) {
        uv[n] = vars[i];
        uc[n++] = cards[i++];
      } else if (i >= vars.length || o.vars[j] < vars[i]) {
        uv[n] = o.vars[j];
        uc[n++] = o.cards[j++];
      } else {
        uv[n] = vars[i];
        uc[n++] = cards[i];
        i++;
        j++;
      }
    }
    uv = Arrays.copyOf(uv, n);
    uc = Arrays.copyOf(uc, n);
    int[] sa = new int[n];
    int[] sb = new int[n];
    int total = 1;
    for (int k = 0; k < n; k++) {
      int pa = position(uv[k]);
      int pb = o.position(uv[k]);
      sa[k] = pa < 0 ? 0 : strides[pa];
      sb[k] = pb < 0 ? 0 : o.strides[pb];
      total *= uc[k];
    }
    double[] out = new double[total];
    int[] a = new int[n];
    int ia = 0;
    int ib = 0;
    for (int k = 0; k < total; k++) {
      out[k] = values[ia] * o.values[ib];
      for (int d = 0; d < n; d++) {
        a[d]++;
        ia += sa[d];
        ib += sb[d];
        if (a[d] < uc[d]) {
          break;
        }
        ia -= sa[d] * uc[d];
        ib -= sb[d] * uc[d];
        a[d] = 0;
      }
    }
    return new Factor(uv, uc, out);
  }

  private Factor scale(double c) {
    double[] out = values.clone();
    for (int k = 0; k < out.length; k++) {
      out[k] *= c;
    }
    return new Factor(vars, cards, out);
  }

  /** Sum of all entries. */
  double sum() {
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s;
  }
}
