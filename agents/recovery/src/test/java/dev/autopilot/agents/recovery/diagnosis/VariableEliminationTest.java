package dev.autopilot.agents.recovery.diagnosis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class VariableEliminationTest {

  static LongStream seeds() {
    return LongStream.range(1, 61);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void matchesBruteForceEnumerationOnRandomNetworks(long seed) {
    Random rnd = new Random(seed);
    int n = 3 + rnd.nextInt(6); // 3..8 variables
    BayesNet net = RandomNets.random(rnd, n);
    for (VariableElimination.Heuristic h : VariableElimination.Heuristic.values()) {
      VariableElimination ve = new VariableElimination(net, h);
      for (int trial = 0; trial < 5; trial++) {
        int query = rnd.nextInt(n);
        int[] ev = new int[n];
        Arrays.fill(ev, VariableElimination.UNOBSERVED);
        for (int v = 0; v < n; v++) {
          if (v != query && rnd.nextDouble() < 0.4) {
            ev[v] = rnd.nextInt(net.variable(v).cardinality());
          }
        }
        double[] expected = RandomNets.enumerate(net, query, ev);
        double[] actual = ve.query(query, ev).posterior();
        assertArrayEquals(
            expected,
            actual,
            1e-9,
            "seed " + seed + ", " + h + ", query v" + query + ", evidence " + Arrays.toString(ev));
      }
    }
  }

  @Test
  void evidenceProbabilityIsTheMarginalOfTheEvidence() {
    Random rnd = new Random(99);
    BayesNet net = RandomNets.random(rnd, 6);
    int[] ev = new int[6];
    Arrays.fill(ev, VariableElimination.UNOBSERVED);
    ev[5] = 1;
    ev[2] = 0;
    // P(e) = sum over v0 of P(v0, e)
    double direct = 0;
    int[] all = ev.clone();
    for (int s = 0; s < net.variable(0).cardinality(); s++) {
      all[0] = s;
      direct += new VariableElimination(net).query(0, all).evidenceProbability();
    }
    assertEquals(direct, new VariableElimination(net).query(0, ev).evidenceProbability(), 1e-12);
  }

  @Test
  void greedyOrderKeepsAChainLinear() {
    // x0 -> x1 -> ... -> x11, query x0, evidence on x11: every factor built has two variables
    int n = 12;
    List<Variable> vars = new ArrayList<>();
    int[][] parents = new int[n][];
    double[][] cpts = new double[n][];
    for (int v = 0; v < n; v++) {
      vars.add(new Variable("x" + v, List.of("a", "b", "c")));
      parents[v] = v == 0 ? new int[0] : new int[] {v - 1};
      double[] t = new double[v == 0 ? 3 : 9];
      Arrays.fill(t, 1.0 / 3);
      cpts[v] = t;
    }
    BayesNet net = new BayesNet(vars, parents, cpts);
    int[] ev = new int[n];
    Arrays.fill(ev, VariableElimination.UNOBSERVED);
    ev[n - 1] = 2;
    for (VariableElimination.Heuristic h : VariableElimination.Heuristic.values()) {
      VariableElimination.Result r = new VariableElimination(net, h).query(0, ev);
      assertEquals(n - 2, r.order().length);
      assertEquals(9, r.largestFactor(), h + " order " + Arrays.toString(r.order()));
    }
  }

  @Test
  void barrenVariablesAreNotEliminated() {
    Random rnd = new Random(5);
    BayesNet net = RandomNets.random(rnd, 8);
    int[] ev = new int[8];
    Arrays.fill(ev, VariableElimination.UNOBSERVED);
    // query the first variable with no evidence: only its ancestors (none) are relevant
    VariableElimination.Result r = new VariableElimination(net).query(0, ev);
    assertEquals(0, r.order().length);
    assertArrayEquals(net.cpt(0), r.posterior(), 1e-12);
  }

  @Test
  void observedQueryGivesADeltaAndRejectsImpossibleEvidence() {
    List<Variable> vars =
        List.of(new Variable("a", List.of("x", "y")), new Variable("b", List.of("u", "v")));
    BayesNet net =
        new BayesNet(vars, new int[][] {{}, {0}}, new double[][] {{1, 0}, {0.5, 0.5, 0.2, 0.8}});
    VariableElimination ve = new VariableElimination(net);
    assertArrayEquals(new double[] {1, 0}, ve.posterior("a", Map.of("b", "v")), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> ve.posterior("b", Map.of("a", "y")));
    assertTrue(ve.query(0, new int[] {0, 1}).posterior()[0] == 1);
  }
}
