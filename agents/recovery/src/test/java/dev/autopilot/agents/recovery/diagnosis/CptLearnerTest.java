package dev.autopilot.agents.recovery.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CptLearnerTest {

  /** Draws a full assignment from the network (ancestral sampling). */
  static int[] sample(BayesNet net, Random rnd) {
    int[] x = new int[net.size()];
    for (int v : net.topologicalOrderIds()) {
      int[] ps = net.parents(v);
      int[] pv = new int[ps.length];
      for (int k = 0; k < ps.length; k++) {
        pv[k] = x[ps[k]];
      }
      double u = rnd.nextDouble();
      int card = net.variable(v).cardinality();
      int s = 0;
      double acc = net.probability(v, 0, pv);
      while (u > acc && s < card - 1) {
        s++;
        acc += net.probability(v, s, pv);
      }
      x[v] = s;
    }
    return x;
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void recoversKnownProbabilitiesFromSamples(long seed) {
    Random rnd = new Random(seed);
    BayesNet truth = RandomNets.random(rnd, 5);
    int[][] data = new int[60_000][];
    for (int i = 0; i < data.length; i++) {
      data[i] = sample(truth, rnd);
    }
    int[][] parents = new int[truth.size()][];
    for (int v = 0; v < truth.size(); v++) {
      parents[v] = truth.parents(v);
    }
    BayesNet learned = CptLearner.fit(truth.variables(), parents, data, null, 1.0);
    // compare the rows whose parent assignment is common enough to be estimated well
    for (int v = 0; v < truth.size(); v++) {
      double[] t = truth.cpt(v);
      double[] l = learned.cpt(v);
      int card = truth.variable(v).cardinality();
      for (int r = 0; r < t.length / card; r++) {
        int support = rowSupport(truth, v, r, data);
        if (support < 2_000) {
          continue;
        }
        for (int s = 0; s < card; s++) {
          assertEquals(
              t[r * card + s],
              l[r * card + s],
              0.03,
              "v" + v + " row " + r + " state " + s + " (" + support + " samples)");
        }
      }
    }
  }

  private static int rowSupport(BayesNet net, int v, int row, int[][] data) {
    int[] ps = net.parents(v);
    int n = 0;
    for (int[] x : data) {
      int r = 0;
      for (int p : ps) {
        r = r * net.variable(p).cardinality() + x[p];
      }
      n += r == row ? 1 : 0;
    }
    return n;
  }

  @Test
  void smoothingGivesUnseenCombinationsNonZeroProbability() {
    List<Variable> vars =
        List.of(
            new Variable("c", List.of("a", "b", "c")),
            new Variable("x", List.of("lo", "mid", "hi")));
    int[][] parents = {{}, {0}};
    // only c=a with x=lo, four times; c=c never seen
    int[][] data = {{0, 0}, {0, 0}, {0, 0}, {0, 0}, {1, 2}};
    BayesNet net = CptLearner.fit(vars, parents, data, null, 1.0);
    double[] x = net.cpt(1);
    for (double p : x) {
      assertTrue(p > 0, "every cell is positive");
    }
    assertEquals((4 + 1.0) / (4 + 3), x[0], 1e-12); // P(lo | a)
    assertEquals(1.0 / 7, x[1], 1e-12); // P(mid | a), never seen
    assertEquals(1.0 / 3, x[6], 1e-12); // P(lo | c): no data, uniform
    assertEquals((0 + 1.0) / (5 + 3), net.cpt(0)[2], 1e-12); // P(c = c)
    // smaller alpha, less smoothing
    BayesNet sharp = CptLearner.fit(vars, parents, data, null, 0.1);
    assertEquals(4.1 / 4.3, sharp.cpt(1)[0], 1e-12);
  }

  @Test
  void rejectsBadInput() {
    List<Variable> vars = List.of(new Variable("c", List.of("a", "b")));
    int[][] parents = {{}};
    assertThrows(
        IllegalArgumentException.class,
        () -> CptLearner.fit(vars, parents, new int[][] {{0}}, null, 0));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CptLearner.fit(vars, parents, new int[][] {{0}, {5}}, null, 1));
    assertTrue(e.getMessage().contains("sample 1"), e.getMessage());
  }

  @Test
  void missingValuesCountOnlyForFullyObservedFamilies() {
    List<Variable> vars =
        List.of(new Variable("c", List.of("a", "b")), new Variable("x", List.of("n", "y")));
    int[][] parents = {{}, {0}};
    int u = VariableElimination.UNOBSERVED;
    int[][] data = {{0, 1}, {0, u}, {u, 1}, {1, 0}};
    BayesNet net = CptLearner.fit(vars, parents, data, null, 1.0);
    assertEquals((2 + 1.0) / (3 + 2), net.cpt(0)[0], 1e-12); // c counted 3 times
    assertEquals((1 + 1.0) / (1 + 2), net.cpt(1)[1], 1e-12); // x | a counted once
  }
}
