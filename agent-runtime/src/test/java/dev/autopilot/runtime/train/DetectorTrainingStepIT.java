package dev.autopilot.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.agents.recovery.detect.DetectorModels;
import dev.autopilot.agents.recovery.detect.SnapshotFeatures;
import dev.autopilot.api.model.ModelBundle;
import dev.autopilot.runtime.RuntimeConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detector step on a tiny budget: it writes three loadable components with their metrics. An
 * IT because it simulates three days and fits all three models (about 10-30 s on 2 shared cores).
 */
class DetectorTrainingStepIT {

  @Test
  void writesLoadableComponentsWithValidationMetrics(@TempDir Path root) throws Exception {
    DetectorTrainingStep step =
        new DetectorTrainingStep(
            weeks -> new DetectorTrainingStep.Budget(1, 1, 1, 120, 3_000, 2, 3_000, 300, 1),
            RuntimeConfig.load());
    ModelBundle.Writer w = ModelBundle.create(root, "recovery", 1, Map.of("seed", 5));
    StringWriter err = new StringWriter();
    TrainingContext ctx = new TrainingContext(5, 1, w, root, new PrintWriter(err), false);
    Map<String, Object> headline = step.train(ctx);
    w.commit();
    assertTrue(headline.containsKey("ensemble"), headline.toString());
    ModelBundle b = ModelBundle.load(root, "recovery", 1);
    for (String c : DetectorModels.FILES.keySet()) {
      assertEquals(SnapshotFeatures.SCHEMA, b.component(c).featureSchema());
      assertTrue(b.component(c).metrics().containsKey("f1"), c + " " + b.component(c).metrics());
    }
    assertTrue(b.component("autoencoder").metrics().containsKey("calibratedThreshold"));
    assertEquals("3.1.1", b.component("iforest").metrics().get("smileVersion"));
    try (DetectorModels m = DetectorModels.load(b)) {
      assertTrue(m.autoencoder().threshold() > 0);
    }
    assertTrue(err.toString().contains("detectors: autoencoder"), err.toString());
  }
}
