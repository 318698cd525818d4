package dev.autopilot.runtime.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.runtime.bench.BenchScenarios;
import dev.autopilot.runtime.sim.YcsbWorkload.Mix;
import dev.autopilot.runtime.sim.YcsbWorkload.Operation;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import site.ycsb.generator.DiscreteGenerator;
import site.ycsb.generator.ScrambledZipfianGenerator;

/** The YCSB stream of the ycsb scenario: its rates, its operation mixes and its key skew. */
class YcsbWorkloadTest {

  private static final Config CONFIG =
      BenchScenarios.create(ConfigFactory.load()).require("ycsb").configure(ConfigFactory.load());
  private static final SimSettings SIM = SimSettings.create(CONFIG);
  private static final YcsbWorkload.Settings YCSB = YcsbWorkload.Settings.create(CONFIG);
  private static final int TICKS_PER_HOUR = 3600 / SIM.tickSeconds();
  private static final YcsbWorkload FULL =
      YcsbWorkload.create(SIM, YCSB, 42L, 42 * SIM.ticksPerDay());

  /** Hourly means; {@code regular} marks the hours outside month-end periods and events. */
  private static double[][] hourly(YcsbWorkload w, long ticks) {
    int hours = (int) (ticks / TICKS_PER_HOUR);
    double[] mean = new double[hours];
    double[] regular = new double[hours];
    for (int h = 0; h < hours; h++) {
      boolean special = false;
      for (int t = h * TICKS_PER_HOUR; t < (h + 1) * TICKS_PER_HOUR; t++) {
        mean[h] += w.offeredRate(t) / TICKS_PER_HOUR;
        special |= w.rates().monthEndFactor(t) != 1 || w.rates().eventFactor(t) != 1;
      }
      regular[h] = special ? 0 : 1;
    }
    return new double[][] {mean, regular};
  }

  @Test
  void fortyTwoDaysAverage450kWithARegularPeakNear850kAndALowNear180k() {
    double[][] h = hourly(FULL, 42 * SIM.ticksPerDay());
    double sum = 0;
    double peak = 0;
    double low = Double.MAX_VALUE;
    for (int i = 0; i < h[0].length; i++) {
      sum += h[0][i];
      if (h[1][i] == 1) {
        peak = Math.max(peak, h[0][i]);
        low = Math.min(low, h[0][i]);
      }
    }
    // tolerances: mean 1 % (the generator scales to it), hourly peak and low 10 %
    assertEquals(450_000, sum / h[0].length, 4_500);
    assertEquals(850_000, peak, 85_000);
    assertEquals(180_000, low, 18_000);
  }

  @Test
  void monthEndIsTwoToThreeTimesTheLoadForTwoToThreeDays() {
    List<GeneratedWorkload.MonthEnd> ends = FULL.rates().monthEnds();
    assertEquals(1, ends.size(), "42 days from January 1 hold one month-end: " + ends);
    GeneratedWorkload.MonthEnd m = ends.get(0);
    double days = (m.endTick() - m.startTick()) / (double) SIM.ticksPerDay();
    assertTrue(days >= 2 && days <= 3, "length " + days);
    assertTrue(m.factor() >= 2 && m.factor() <= 3, "factor " + m.factor());
    // the load itself: against the same weekday and hour a week earlier
    long week = 7 * SIM.ticksPerDay();
    double ratio = 0;
    for (long t = m.startTick(); t < m.endTick(); t++) {
      ratio += FULL.offeredRate(t) / FULL.offeredRate(t - week);
    }
    ratio /= m.endTick() - m.startTick();
    assertTrue(ratio >= 1.9 && ratio <= 3.1, "month-end over the week before: " + ratio);
  }

  @Test
  void theSameSeedGivesTheSameStreamAndAnotherSeedAnother() {
    long ticks = 2 * SIM.ticksPerDay();
    double[][] a = series(YcsbWorkload.create(SIM, YCSB, 7L, ticks), ticks);
    double[][] b = series(YcsbWorkload.create(SIM, YCSB, 7L, ticks), ticks);
    double[][] c = series(YcsbWorkload.create(SIM, YCSB, 8L, ticks), ticks);
    for (int i = 0; i < a.length; i++) {
      assertArrayEquals(a[i], b[i]);
      assertFalse(java.util.Arrays.equals(a[i], c[i]), "series " + i + " differs by seed");
    }
  }

  private static double[][] series(YcsbWorkload w, long ticks) {
    double[][] s = new double[3][(int) ticks];
    for (int t = 0; t < ticks; t++) {
      s[0][t] = w.offeredRate(t);
      s[1][t] = w.costFactor(t);
      s[2][t] = w.hotKeyShare(t);
    }
    return s;
  }

  @Test
  void theMixesAreYcsbsCoreWorkloads() {
    Map<Mix, double[]> expected = new EnumMap<>(Mix.class);
    // read, update, insert, scan, read-modify-write (YCSB's workloads/workload[a-f])
    expected.put(Mix.A, new double[] {0.5, 0.5, 0, 0, 0});
    expected.put(Mix.B, new double[] {0.95, 0.05, 0, 0, 0});
    expected.put(Mix.C, new double[] {1, 0, 0, 0, 0});
    expected.put(Mix.D, new double[] {0.95, 0, 0.05, 0, 0});
    expected.put(Mix.E, new double[] {0, 0, 0.05, 0.95, 0});
    expected.put(Mix.F, new double[] {0.5, 0, 0, 0, 0.5});
    for (Mix m : Mix.values()) {
      for (Operation op : Operation.values()) {
        assertEquals(expected.get(m)[op.ordinal()], m.proportion(op), 1e-12, m + " " + op);
      }
    }
    assertEquals(YcsbWorkload.RequestDistribution.LATEST, Mix.D.distribution());
    assertEquals(YcsbWorkload.RequestDistribution.ZIPFIAN, Mix.A.distribution());
  }

  @ParameterizedTest
  @EnumSource(Mix.class)
  void seededDrawsAndYcsbsOwnChooserMatchTheProportions(Mix mix) {
    int n = 200_000;
    SplittableRandom rnd = new SplittableRandom(11);
    Map<Operation, Integer> ours = new EnumMap<>(Operation.class);
    Map<String, Integer> theirs = new HashMap<>();
    DiscreteGenerator chooser = YcsbWorkload.ycsbOperationChooser(mix);
    for (int i = 0; i < n; i++) {
      ours.merge(YcsbWorkload.sample(mix, rnd), 1, Integer::sum);
      theirs.merge(chooser.nextString(), 1, Integer::sum);
    }
    for (Operation op : Operation.values()) {
      double p = mix.proportion(op);
      assertEquals(p, ours.getOrDefault(op, 0) / (double) n, 0.005, "seeded " + op);
      String label = op == Operation.READ_MODIFY_WRITE ? "READMODIFYWRITE" : op.name();
      assertEquals(p, theirs.getOrDefault(label, 0) / (double) n, 0.005, "YCSB " + op);
    }
  }

  @Test
  void keysFollowYcsbsZipfianSkew() {
    long records = YCSB.recordCount();
    int n = 200_000;
    double ours =
        YcsbWorkload.KeySampler.scrambledZipfian(records).topShare(new SplittableRandom(3), n);
    // YCSB's own (unseeded) generator over the same key space
    ScrambledZipfianGenerator ycsb = new ScrambledZipfianGenerator(records);
    Map<Long, Integer> counts = new HashMap<>();
    int top = 0;
    for (int i = 0; i < n; i++) {
      top = Math.max(top, counts.merge(ycsb.nextValue(), 1, Integer::sum));
    }
    double theirs = top / (double) n;
    // the most popular item of a Zipfian has probability 1 / zeta(n, theta)
    assertEquals(1 / ScrambledZipfianGenerator.ZETAN, ours, 0.15 / ScrambledZipfianGenerator.ZETAN);
    assertEquals(theirs, ours, 0.15 * theirs);
    assertTrue(ours > 1000.0 / records, "far from uniform: " + ours);
  }

  @Test
  void theStreamRotatesThroughTheMixesAndCarriesTheirCostAndSkew() {
    long day = SIM.ticksPerDay();
    assertEquals(List.of(Mix.A, Mix.B, Mix.C, Mix.D, Mix.E, Mix.F), YCSB.rotation());
    for (int d = 0; d < 6; d++) {
      Mix m = FULL.mix(d * day + day / 2);
      assertEquals(YCSB.rotation().get(d), m);
      double expected = 0;
      for (Operation op : Operation.values()) {
        expected += m.proportion(op) * YCSB.operationCost().get(op);
      }
      double mean = 0;
      for (long t = d * day; t < (d + 1) * day; t++) {
        mean += FULL.costFactor(t) / day;
      }
      assertEquals(expected, mean, 0.02, "mean cost of a " + m + " day");
      double hot = FULL.hotKeyShare(d * day);
      assertTrue(hot > 0.02 && hot < 0.2, m + " hot key share " + hot);
    }
    // D reads the latest records: its hottest key is hotter than a scrambled Zipfian's
    assertTrue(FULL.hotKeyShare(3 * day) > FULL.hotKeyShare(2 * day));
  }

  @Test
  void theSimulatorFeelsTheCostAndTheHotKey() {
    double plain = capacity(new FixedWorkload(400_000, 1, 0));
    double heavy = capacity(new FixedWorkload(400_000, 2, 0));
    double skewed = capacity(new FixedWorkload(400_000, 1, 0.3));
    assertEquals(plain / 2, heavy, plain * 0.05, "twice the cost per event, half the capacity");
    assertTrue(
        skewed < plain * 0.9, "a hot key caps the keyed operators: " + skewed + " vs " + plain);
  }

  private static double capacity(Workload w) {
    SimulatedPlatform p =
        new SimulatedPlatform(
            SimFixtures.SETTINGS, new Scenario(1, 1, List.of("p1"), w, FaultSchedule.none()));
    SimFixtures.advance(p, 5);
    return p.truth("p1").capacity();
  }

  private record FixedWorkload(double rate, double cost, double hot) implements Workload {
    @Override
    public double offeredRate(long tick) {
      return rate;
    }

    @Override
    public double costFactor(long tick) {
      return cost;
    }

    @Override
    public double hotKeyShare(long tick) {
      return hot;
    }
  }

  @Test
  void badSettingsAreRejectedWithTheirKey() {
    Config bad =
        ConfigFactory.parseString("autopilot.simulation.ycsb.rotation = [a, g]")
            .withFallback(CONFIG);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> YcsbWorkload.Settings.create(bad));
    assertTrue(e.getMessage().contains("autopilot.simulation.ycsb.rotation"), e.getMessage());
    assertNotEquals(Mix.A, Mix.parse("workloadb"));
  }
}
