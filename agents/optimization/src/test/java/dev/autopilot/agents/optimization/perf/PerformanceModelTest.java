package dev.autopilot.agents.optimization.perf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.optimization.search.ConfigSpace;
import dev.autopilot.agents.optimization.search.Performance;
import dev.autopilot.agents.optimization.search.SearchSettings;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.model.ModelBundle;
import dev.autopilot.api.model.ModelException;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The performance model on a synthetic queueing law (capacity from cores and the smallest key
 * parallelism, p99 rising near saturation): it learns it, round-trips through a bundle, and rejects
 * corrupt bytes with a ModelException.
 */
class PerformanceModelTest {

  private static final SearchSettings SEARCH = SearchSettings.create(ConfigFactory.load());
  private static final PerformanceModelSettings SETTINGS =
      PerformanceModelSettings.create(ConfigFactory.load());
  private static final ConfigSpace SPACE = ConfigSpace.pipeline(SEARCH);
  private static final PerformanceFeatures FEATURES =
      new PerformanceFeatures(SEARCH.keyOperators());

  private static PerformanceModel model;
  private static PerformanceModelTrainer.Samples test;

  static PipelineConfig base() {
    Map<String, Integer> p = new LinkedHashMap<>();
    for (String op :
        List.of(
            "source",
            "parse",
            "enrich",
            "filter",
            "transform",
            "window-agg",
            "session-agg",
            "sink")) {
      p.put(op, 16);
    }
    return new PipelineConfig(p, 32, 30, 8, 4, 16, 4);
  }

  /** The synthetic truth. */
  static Performance truth(PipelineConfig c, double rate) {
    double minP = SEARCH.keyOperators().stream().mapToInt(c::parallelismOf).min().orElse(1);
    double capacity = Math.min(c.taskManagers() * c.taskManagerCpu() * 60_000, minP * 80_000);
    double rho = Math.min(0.99, rate / capacity);
    return new Performance(
        Math.min(rate, capacity), 80 + 8 * rho / (1 - rho) + 500.0 / c.taskManagerMemoryGb());
  }

  static PerformanceModelTrainer.Samples samples(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] x = new double[n][];
    double[] rate = new double[n];
    double[] thr = new double[n];
    double[] p99 = new double[n];
    for (int i = 0; i < n; i++) {
      PipelineConfig c = SPACE.toConfig(SPACE.random(r), base());
      rate[i] = r.nextDouble(2e5, 2.5e6);
      Performance p = truth(c, rate[i]);
      x[i] = FEATURES.vector(c, new WorkloadFeatures(rate[i], rate[i] / 1e6));
      thr[i] = p.throughput();
      p99[i] = p.p99LatencyMs();
    }
    return new PerformanceModelTrainer.Samples(x, rate, thr, p99);
  }

  @BeforeAll
  static void fit() {
    model = new PerformanceModelTrainer(SETTINGS, FEATURES).fit(samples(600, 1), 7);
    test = samples(200, 2);
  }

  private static double[][] predictions(PerformanceModel m, PerformanceModelTrainer.Samples s) {
    double[] t = new double[s.size()];
    double[] l = new double[s.size()];
    for (int i = 0; i < s.size(); i++) {
      Performance p = m.predict(s.x()[i], s.offeredRate()[i]);
      t[i] = p.throughput();
      l[i] = p.p99LatencyMs();
    }
    return new double[][] {t, l};
  }

  @Test
  void itLearnsTheSyntheticLaw() {
    double[][] p = predictions(model, test);
    double r2t = RegressionMetrics.r2(test.throughput(), p[0]);
    assertTrue(r2t > 0.9, "throughput R2 " + r2t);
    assertEquals(List.of(100, 100), model.treeCounts());
  }

  @Test
  void theSameDataAndSeedGiveTheSameModel() {
    PerformanceModel again =
        new PerformanceModelTrainer(SETTINGS, FEATURES).fit(samples(600, 1), 7);
    double[][] a = predictions(model, test);
    double[][] b = predictions(again, test);
    assertArrayEquals(a[0], b[0]);
    assertArrayEquals(a[1], b[1]);
  }

  @Test
  void itRoundTripsThroughABundle(@TempDir Path dir) {
    ModelBundle.Writer w = ModelBundle.create(dir, PerformanceModel.FAMILY, 1, Map.of("seed", 7));
    model.withMetrics(Map.of("r2", 0.9)).put(w, Map.of("r2", 0.9));
    w.commit();
    PerformanceModel loaded =
        PerformanceModel.load(ModelBundle.load(dir, PerformanceModel.FAMILY, 1));
    assertArrayEquals(predictions(model, test)[0], predictions(loaded, test)[0]);
    assertArrayEquals(predictions(model, test)[1], predictions(loaded, test)[1]);
    assertEquals(0.9, loaded.metrics().get("r2"));
    assertEquals(SEARCH.keyOperators(), loaded.features().keyOperators());
  }

  @Test
  void corruptBytesAreAModelException(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    model.write(out);
    byte[] bytes = out.toByteArray();
    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);
    ModelException e =
        assertThrows(ModelException.class, () -> PerformanceModel.read(truncated, "half.ser"));
    assertTrue(e.getMessage().contains("half.ser"), e.getMessage());
    assertThrows(
        ModelException.class, () -> PerformanceModel.read("not a model".getBytes(), "text"));
    // a serialized object of another type
    ByteArrayOutputStream other = new ByteArrayOutputStream();
    new java.io.ObjectOutputStream(other).writeObject("hello");
    assertThrows(ModelException.class, () -> PerformanceModel.read(other.toByteArray(), "string"));
    // a bundle whose file was altered after it was written: the digest check names it
    ModelBundle.Writer w = ModelBundle.create(dir, PerformanceModel.FAMILY, 1, Map.of());
    model.put(w, Map.of());
    Path v1 = w.commit();
    Files.write(v1.resolve(PerformanceModel.FILE), truncated);
    e =
        assertThrows(
            ModelException.class,
            () -> PerformanceModel.load(ModelBundle.load(dir, PerformanceModel.FAMILY, 1)));
    assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
  }

  @Test
  void invalidSettingsAndSamplesAreRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new PerformanceModelSettings(100, 6, 64, 5, 0.1, 1.5, true));
    assertThrows(
        IllegalArgumentException.class,
        () -> new PerformanceModelSettings(0, 6, 64, 5, 0.1, 0.8, true));
    assertThrows(IllegalArgumentException.class, () -> new WorkloadFeatures(0, 1));
    PerformanceModelTrainer t = new PerformanceModelTrainer(SETTINGS, FEATURES);
    assertThrows(IllegalArgumentException.class, () -> t.fit(samples(4, 3), 1));
  }
}
