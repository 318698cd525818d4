package dev.autopilot.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.recovery.diagnosis.Diagnoser;
import dev.autopilot.agents.recovery.diagnosis.RootCauseModel;
import dev.autopilot.api.model.ModelBundle;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiagnosisTrainingStepTest {

  @Test
  void writesTheNetworkWithItsTestMetricsIntoTheBundle(@TempDir Path root) throws Exception {
    DiagnosisTrainingStep step =
        new DiagnosisTrainingStep(
            ConfigFactory.load(),
            new IncidentGenerator.Settings(40, 60, 0.5, 30, new int[] {2}, 1, 100, 0.5),
            1,
            1,
            1);
    ModelBundle.Writer writer = ModelBundle.create(root, "recovery", 1, Map.of("seed", 3));
    StringWriter err = new StringWriter();
    TrainingContext ctx =
        new TrainingContext(3, 1, writer, root.resolve("work"), new PrintWriter(err), false);
    Map<String, Object> headline = step.train(ctx);
    writer.commit();
    assertNotNull(headline.get("top1"));
    assertEquals("15/15/15", headline.get("incidents"));

    ModelBundle bundle = ModelBundle.load(root, "recovery", 1);
    ModelBundle.Component c = bundle.component(Diagnoser.COMPONENT);
    assertEquals(RootCauseModel.SCHEMA, c.featureSchema());
    Map<String, Object> m = c.metrics();
    for (String key : List.of("top1", "top3", "rules_top1")) {
      double v = ((Number) m.get("test_" + key)).doubleValue();
      assertTrue(v >= 0 && v <= 1, key + " = " + v);
    }
    assertEquals(15, ((Number) m.get("test_incidents")).intValue());
    @SuppressWarnings("unchecked")
    Map<String, List<Integer>> confusion = (Map<String, List<Integer>>) m.get("test_confusion");
    assertEquals(15, confusion.size());
    assertEquals(
        15, confusion.values().stream().mapToInt(r -> r.stream().mapToInt(i -> i).sum()).sum());
    Diagnoser d = Diagnoser.load(bundle);
    assertEquals(1 + DiagnosisTrainer.features().size(), d.model().network().size());
    assertTrue(err.toString().contains("confusion"), "the report is printed");
  }
}
