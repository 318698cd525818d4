package dev.autopilot.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.optimization.perf.PerformanceModel;
import dev.autopilot.api.model.ModelBundle;
import dev.autopilot.runtime.RuntimeConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The performance-model step on a tiny data set: it fits, tests and writes a loadable bundle. */
class PerformanceModelTrainingStepTest {

  static final Config TINY =
      ConfigFactory.parseString(
              """
              autopilot.performance-search {
                oracle { settle-ticks = 3, measure-ticks = 3 }
                training { train-seeds = 2, test-seeds = 1, samples-per-seed = 40, threads = 1 }
              }
              autopilot.optimization.performance-model { trees = 20 }
              """)
          .withFallback(RuntimeConfig.load())
          .resolve();

  @Test
  void itTrainsTestsOnHeldOutSeedsAndWritesTheComponent(@TempDir Path dir) throws Exception {
    ModelBundle.Writer w = ModelBundle.create(dir, PerformanceModel.FAMILY, 1, Map.of("seed", 5));
    TrainingContext ctx =
        new TrainingContext(5, 1, w, dir, new PrintWriter(new StringWriter()), false);
    PerformanceModelTrainingStep step = new PerformanceModelTrainingStep(TINY, Function.identity());
    Map<String, Object> metrics = step.train(ctx);
    w.commit();
    assertEquals(80, metrics.get("trainSamples"));
    assertEquals(40, metrics.get("testSamples"));
    for (String k : new String[] {"throughputR2", "throughputMae", "latencyR2", "latencyMaeMs"}) {
      assertTrue(metrics.get(k) instanceof Number, k + " in " + metrics);
    }
    ModelBundle bundle = ModelBundle.load(dir, PerformanceModel.FAMILY, 1);
    PerformanceModel model = PerformanceModel.load(bundle);
    assertEquals(
        metrics.get("throughputR2"),
        bundle.component(PerformanceModel.COMPONENT).metrics().get("throughputR2"));
    assertEquals(2, model.treeCounts().size());
    assertEquals(20, model.treeCounts().get(0));
    // the same seed gives the same held-out figures
    Map<String, Object> again = step.fit(5, label -> (d, t) -> {}).metrics();
    assertEquals(metrics.get("throughputMae"), again.get("throughputMae"));
    assertEquals(metrics.get("latencyMaeMs"), again.get("latencyMaeMs"));
  }
}
