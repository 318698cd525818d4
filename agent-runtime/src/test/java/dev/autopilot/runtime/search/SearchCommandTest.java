package dev.autopilot.runtime.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autopilot.agents.optimization.perf.PerformanceModel;
import dev.autopilot.api.model.ModelBundle;
import dev.autopilot.runtime.train.PerformanceModelTrainingStep;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code autopilot search} on a 3-point grid, one load and short searches. */
class SearchCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl =
        new CommandLine(new SearchCommand(SearchFixtures.TINY, new PrintWriter(err, true), false));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          cmd.getErr().println("failed: " + ex.getMessage());
          return 1;
        });
    return cl.execute(args);
  }

  @Test
  void itReportsTheOptimumAndBothSearchesOverModelAndSimulator() throws Exception {
    assertEquals(0, run("--seed", "3", "--json"), err.toString());
    JsonNode r = new ObjectMapper().readTree(out.toString());
    assertTrue(r.at("/modelMetrics/throughputR2").isNumber(), out.toString());
    JsonNode level = r.at("/levels/0");
    assertEquals(600000, level.get("offeredRate").asDouble());
    assertEquals(3, level.get("gridPoints").asInt());
    double optimum = level.get("optimumScore").asDouble();
    assertTrue(optimum > 0);
    assertEquals(5, level.get("runs").size());
    assertEquals("grid", level.at("/runs/0/method").asText());
    for (JsonNode run : level.get("runs")) {
      double fraction = run.get("fraction").asDouble();
      assertEquals(optimum / run.get("trueScore").asDouble(), fraction, 1e-9);
      int to = run.get("evaluationsToTolerance").asInt();
      assertTrue(to == -1 || (to >= 1 && to <= run.get("evaluations").asInt()), run.toString());
    }
    assertEquals(5, r.get("summary").size());
  }

  @Test
  void theTableAndOneMethod() {
    assertEquals(0, run("--method", "sa"), err.toString());
    String s = out.toString();
    assertTrue(s.contains("true optimum over 3 grid configurations"), s);
    assertTrue(s.contains("sa   over model"), s);
    assertTrue(!s.contains("bo  over"), s);
  }

  @Test
  void badOptionsAndCorruptModelsAreClearErrors(@TempDir Path dir) throws Exception {
    assertEquals(2, run("--method", "ga"));
    assertTrue(err.toString().contains("--method must be sa, bo or all"), err.toString());
    assertEquals(1, run("--models-dir", dir.toString()));
    assertTrue(err.toString().contains("no optimization bundle"), err.toString());
    // a bundle whose model bytes are not a model (written with a matching digest)
    ModelBundle.Writer w = ModelBundle.create(dir, PerformanceModel.FAMILY, 1, Map.of());
    w.put(
        PerformanceModel.COMPONENT,
        PerformanceModel.FILE,
        dev.autopilot.agents.optimization.perf.PerformanceFeatures.SCHEMA,
        Map.of(),
        o -> o.write("garbage".getBytes()));
    w.commit();
    assertEquals(1, run("--models-dir", dir.toString()));
    assertTrue(err.toString().contains("not a readable performance model"), err.toString());
  }

  @Test
  void aTrainedBundleIsUsedInsteadOfTraining(@TempDir Path dir) throws Exception {
    ModelBundle.Writer w = ModelBundle.create(dir, PerformanceModel.FAMILY, 1, Map.of());
    PerformanceModelTrainingStep.Trained t =
        new PerformanceModelTrainingStep(SearchFixtures.TINY, Function.identity())
            .fit(1, label -> (d, n) -> {});
    t.model().put(w, t.metrics());
    w.commit();
    assertEquals(0, run("--models-dir", dir.toString(), "--method", "bo"), err.toString());
    assertTrue(out.toString().contains("performance model: " + dir), out.toString());
    assertTrue(Files.isDirectory(dir.resolve("optimization/v1")));
  }
}
