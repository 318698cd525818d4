package dev.autopilot.agents.prediction.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.agents.prediction.features.SnapshotFeaturePipeline;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.model.ModelException;
import dev.autopilot.api.testing.Snapshots;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The release bundle shipped on the classpath loads and reads the current feature layout. */
class ReleaseBundleTest {

  @Test
  void releaseForecasterLoadsFromTheClasspath(@TempDir Path empty) {
    MlpViolationModel m = ViolationModels.violationModel(empty, 1);
    assertEquals(1, m.version());
    assertEquals(SnapshotFeaturePipeline.SCHEMA, m.featureSchema());
    assertEquals(SnapshotFeaturePipeline.SIZE, m.inputs());
    assertTrue(m.threshold() > 0 && m.threshold() < 1, "threshold " + m.threshold());
    for (String k :
        new String[] {"accuracy", "precision", "recall", "f1", "falsePositiveRate", "auc"}) {
      assertTrue(m.metrics().containsKey(k), k);
    }
    SnapshotFeaturePipeline p = new SnapshotFeaturePipeline();
    double prob =
        m.probability(p.observe(Snapshots.healthy("p1", 1), new SlaSpec(800_000, 500, 0.05)));
    assertTrue(prob >= 0 && prob <= 1, "probability " + prob);
  }

  @Test
  void aMissingVersionIsAClearError() {
    ModelException e =
        assertThrows(ModelException.class, () -> ViolationModels.violationModel(null, 999));
    assertTrue(e.getMessage().contains("train prediction"), e.getMessage());
  }
}
