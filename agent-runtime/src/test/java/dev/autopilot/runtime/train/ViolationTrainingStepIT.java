package dev.autopilot.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.agents.prediction.features.SnapshotFeaturePipeline;
import dev.autopilot.agents.prediction.model.MlpTrainer;
import dev.autopilot.agents.prediction.model.MlpViolationModel;
import dev.autopilot.agents.prediction.model.ViolationModels;
import dev.autopilot.api.model.ModelBundle;
import dev.autopilot.runtime.RuntimeConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train prediction --weeks 1} on a tiny budget (one-day "weeks", one seed per split, two
 * epochs): the bundle holds a loadable forecaster with its test metrics and sample counts. An IT
 * because it simulates three pipeline-days and fits the MLP (about 30-60 s on 2 shared cores).
 */
class ViolationTrainingStepIT {

  @Test
  void writesLoadableForecasterWithTestMetrics(@TempDir Path root) throws Exception {
    ViolationTrainingStep step =
        new ViolationTrainingStep(
            weeks ->
                new ViolationTrainingStep.Budget(
                    1, 1, 1, 1, MlpTrainer.Options.defaults().withEpochs(2), 2),
            RuntimeConfig.load());
    ModelBundle.Writer w = ModelBundle.create(root, ViolationModels.FAMILY, 1, Map.of("seed", 7));
    StringWriter err = new StringWriter();
    TrainingContext ctx = new TrainingContext(7, 1, w, root, new PrintWriter(err), false);
    Map<String, Object> headline = step.train(ctx);
    w.commit();

    assertTrue(headline.containsKey("auc"), headline.toString());
    ModelBundle b = ModelBundle.load(root, ViolationModels.FAMILY, 1);
    ModelBundle.Component c = b.component(MlpViolationModel.COMPONENT);
    assertEquals(SnapshotFeaturePipeline.SCHEMA, c.featureSchema());
    for (String k :
        new String[] {"accuracy", "precision", "recall", "f1", "falsePositiveRate", "auc"}) {
      assertTrue(c.metrics().containsKey(k), k + " missing: " + c.metrics());
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> training = (Map<String, Object>) b.manifest().training().get("violation");
    assertEquals(8640 - 60, ((Number) training.get("testSamples")).intValue());
    MlpViolationModel m = ViolationModels.violationModel(root, 1);
    assertEquals(1, m.version());
    assertEquals(SnapshotFeaturePipeline.SIZE, m.inputs());
    assertTrue(m.metrics().containsKey("auc"));
    double p = m.probability(new float[SnapshotFeaturePipeline.SIZE]);
    assertTrue(p >= 0 && p <= 1, "probability " + p);
    assertTrue(err.toString().contains("violation: mlp"), err.toString());
  }
}
