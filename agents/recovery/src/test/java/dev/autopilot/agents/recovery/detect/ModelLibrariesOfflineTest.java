package dev.autopilot.agents.recovery.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.autopilot.api.model.ModelRuntime;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import smile.anomaly.IsolationForest;

/** The model libraries load offline, from the natives on the classpath. */
class ModelLibrariesOfflineTest {

  @BeforeAll
  static void offline() {
    ModelRuntime.configureOffline();
  }

  @Test
  void pytorchEngineLoadsOfflineAndComputes() {
    assertEquals("true", System.getProperty("ai.djl.offline"));
    Engine engine = Engine.getEngine("PyTorch");
    try (NDManager m = engine.newBaseManager()) {
      NDArray a = m.create(new float[] {1f, 2f, 3f});
      assertEquals(14f, a.mul(a).sum().getFloat(), 1e-6);
    }
  }

  @Test
  void smileIsolationForestSeparatesAnOutlier() {
    Random r = new Random(1);
    double[][] x = new double[1000][5];
    for (double[] row : x) {
      for (int j = 0; j < row.length; j++) {
        row[j] = r.nextGaussian();
      }
    }
    IsolationForest f = IsolationForest.fit(x, 100, 8, 0.256, 0);
    double normal = f.score(new double[] {0, 0, 0, 0, 0});
    double outlier = f.score(new double[] {8, 8, 8, 8, 8});
    assertTrue(outlier > normal + 0.1, "outlier " + outlier + " vs normal " + normal);
  }
}
