package dev.autopilot.agents.optimization.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Simulated annealing and Bayesian optimization on analytic functions with a known optimum. */
class SearchTest {

  private static final SearchSettings SETTINGS = SearchSettings.create(ConfigFactory.load());

  /** A 4-d box [1, 10]^4 (positive coordinates, as configuration knobs are). */
  private static ConfigSpace box(int d) {
    List<ConfigSpace.Dimension> dims = new ArrayList<>();
    for (int i = 0; i < d; i++) {
      dims.add(new ConfigSpace.Dimension("x" + i, 1, 10, false, List.of(1.0, 5.5, 10.0)));
    }
    return ConfigSpace.of(dims);
  }

  /** 1 + sum (x_i - c_i)^2 with its minimum 1 at c = (3, 7, 4.5, 8). */
  private static final double[] OPT = {3, 7, 4.5, 8};

  private static double sphere(double[] x) {
    double s = 1;
    for (int i = 0; i < x.length; i++) {
      s += (x[i] - OPT[i]) * (x[i] - OPT[i]);
    }
    return s;
  }

  /** Rosenbrock-like valley, shifted into the box, minimum 1 at (5, 5). */
  private static double valley(double[] x) {
    double a = x[0] - 4;
    double b = x[1] - 4;
    return 1 + (1 - a) * (1 - a) + 10 * (b - a * a) * (b - a * a);
  }

  @Test
  void annealingGetsCloseToTheOptimumOfASphere() {
    SearchResult r =
        new SimulatedAnnealing(SETTINGS.annealing()).minimise(box(4), SearchTest::sphere, 1);
    assertTrue(r.bestScore() < 1.5, "SA best " + r.bestScore());
    assertEquals(SETTINGS.annealing().iterations() + 1, r.trajectory().length);
    assertEquals(r.bestScore(), sphere(r.best()), 1e-12);
  }

  @Test
  void bayesianOptimizationGetsCloseToTheOptimumOfASphere() {
    SearchResult r =
        new BayesianOptimization(SETTINGS.bayesian()).minimise(box(4), SearchTest::sphere, 1);
    assertTrue(r.bestScore() < 1.5, "BO best " + r.bestScore());
    assertEquals(100, r.trajectory().length);
    assertEquals(100, r.evaluations());
  }

  @Test
  void bothFindTheValleyMinimum() {
    ConfigSpace s = box(2);
    SearchResult sa =
        new SimulatedAnnealing(SETTINGS.annealing()).minimise(s, SearchTest::valley, 3);
    SearchResult bo =
        new BayesianOptimization(SETTINGS.bayesian()).minimise(s, SearchTest::valley, 3);
    assertTrue(sa.bestScore() < 1.3, "SA " + sa.bestScore());
    assertTrue(bo.bestScore() < 1.3, "BO " + bo.bestScore());
  }

  @Test
  void trajectoriesNeverGetWorseAndEndAtTheBest() {
    SearchResult sa =
        new SimulatedAnnealing(SETTINGS.annealing()).minimise(box(4), SearchTest::sphere, 9);
    SearchResult bo =
        new BayesianOptimization(SETTINGS.bayesian()).minimise(box(4), SearchTest::sphere, 9);
    for (SearchResult r : List.of(sa, bo)) {
      for (int i = 1; i < r.trajectory().length; i++) {
        assertTrue(r.trajectory()[i] <= r.trajectory()[i - 1]);
        assertEquals(r.trajectory()[i], sphere(r.bestPoints()[i]), 1e-12);
      }
      assertEquals(r.bestScore(), r.trajectory()[r.trajectory().length - 1]);
      assertTrue(r.iterationsToWithin(1, 10) >= 0);
      assertEquals(-1, r.iterationsToWithin(0.5, 0.05));
    }
  }

  @Test
  void sameSeedSameResultOtherSeedOtherPath() {
    SimulatedAnnealing sa = new SimulatedAnnealing(SETTINGS.annealing());
    BayesianOptimization bo = new BayesianOptimization(SETTINGS.bayesian());
    SearchResult a1 = sa.minimise(box(4), SearchTest::sphere, 5);
    SearchResult a2 = sa.minimise(box(4), SearchTest::sphere, 5);
    SearchResult a3 = sa.minimise(box(4), SearchTest::sphere, 6);
    assertArrayEquals(a1.trajectory(), a2.trajectory());
    assertArrayEquals(a1.best(), a2.best());
    assertTrue(!java.util.Arrays.equals(a1.trajectory(), a3.trajectory()));
    SearchResult b1 = bo.minimise(box(4), SearchTest::sphere, 5);
    SearchResult b2 = bo.minimise(box(4), SearchTest::sphere, 5);
    assertArrayEquals(b1.trajectory(), b2.trajectory());
    assertArrayEquals(b1.best(), b2.best());
  }

  @Test
  void everyEvaluatedPointIsInsideTheBounds() {
    ConfigSpace s = box(4);
    List<double[]> seen = new ArrayList<>();
    Objective recording =
        x -> {
          seen.add(x.clone());
          return sphere(x);
        };
    // a start far outside is clamped; the optimum at a corner pulls the walk against the bounds
    new SimulatedAnnealing(SETTINGS.annealing())
        .minimise(s, recording, new double[] {-50, 99, 0, 1e6}, 2);
    new BayesianOptimization(SETTINGS.bayesian()).minimise(s, recording, 2);
    assertEquals(251 + 100, seen.size());
    for (double[] x : seen) {
      assertTrue(s.contains(x), java.util.Arrays.toString(x));
    }
  }

  @Test
  void invalidSettingsAreRejectedWithTheKey() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new SearchSettings.Annealing(100, 1.2, 250, 0.1));
    assertTrue(e.getMessage().contains("annealing.cooling"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> new SearchSettings.Annealing(0, 0.95, 250, 0.1));
    assertThrows(
        IllegalArgumentException.class, () -> new SearchSettings.Annealing(100, 0.95, 0, 0.1));
    assertThrows(
        IllegalArgumentException.class, () -> new SearchSettings.Annealing(100, 0.95, 9, 1.5));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new SearchSettings.Bayesian(20, 80, 100, 10, 0.05, 2.0, 0.3, 1e-3, 0.01));
    assertTrue(e.getMessage().contains("matern-nu"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new SearchSettings.Bayesian(1, 80, 100, 10, 0.05, 2.5, 0.3, 1e-3, 0.01));
    assertThrows(
        IllegalArgumentException.class,
        () -> new SearchSettings.Space(4, 64, 16, 128, 60, 5, 4, 16, 2, 8));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ConfigSpace.Dimension("x", 1, 10, true, List.of(11.0)));
    assertThrows(IllegalArgumentException.class, () -> box(4).clamp(new double[] {1, 2}));
  }

  @Test
  void aNonFiniteScoreIsAClearError() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                new SimulatedAnnealing(SETTINGS.annealing()).minimise(box(2), x -> Double.NaN, 1));
    assertTrue(e.getMessage().contains("finite"));
  }
}
