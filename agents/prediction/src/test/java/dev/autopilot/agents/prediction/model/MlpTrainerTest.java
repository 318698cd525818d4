package dev.autopilot.agents.prediction.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.model.FitProgress;
import dev.autopilot.api.model.ModelBundle;
import dev.autopilot.api.model.ModelException;
import dev.autopilot.api.model.Nets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer on a small synthetic set that a linear rule separates (up to label noise). */
class MlpTrainerTest {

  private static final int D = 150;
  private static float[][] xTrain;
  private static boolean[] yTrain;
  private static float[][] xVal;
  private static boolean[] yVal;
  private static MlpTrainer.Fitted fitted;

  private static float[][] rows(int n, Random r) {
    float[][] x = new float[n][D];
    for (float[] row : x) {
      for (int j = 0; j < D; j++) {
        row[j] = (float) (r.nextGaussian() * (j + 1) + j); // different scales and offsets
      }
    }
    return x;
  }

  private static boolean[] labels(float[][] x, Random r) {
    boolean[] y = new boolean[x.length];
    for (int i = 0; i < x.length; i++) {
      double s = (x[i][0] - 0) / 1 + (x[i][7] - 7) / 8 - (x[i][42] - 42) / 43;
      y[i] = s + 0.1 * r.nextGaussian() > 0.5;
    }
    return y;
  }

  @BeforeAll
  static void fit() {
    Random r = new Random(3);
    xTrain = rows(4000, r);
    yTrain = labels(xTrain, r);
    xVal = rows(1000, r);
    yVal = labels(xVal, r);
    MlpTrainer t =
        new MlpTrainer(
            "test/1", D, new MlpTrainer.Options(15, 64, 5, 1e-3f, 1.0),
            FitProgress.NONE);
    fitted = t.fit(xTrain, yTrain, xVal, yVal, 3, 11, true);
  }

  @AfterAll
  static void close() {
    fitted.network().close();
  }

  @Test
  void separatesASeparableSet() {
    MlpViolationModel m = fitted.model();
    double auc = BinaryMetrics.rocAuc(m.probabilities(xVal), yVal);
    assertTrue(auc > 0.95, "validation AUC " + auc);
    assertTrue(m.metrics().get("validation.f1") > 0.8, m.metrics().toString());
    assertEquals(m.threshold(), m.metrics().get("validation.threshold"), 1e-12);
    assertEquals(3, m.version());
    assertEquals("test/1", m.featureSchema());
    assertTrue(fitted.report().bestEpoch() >= 1);
  }

  @Test
  void plainJavaInferenceEqualsDjl() {
    MlpViolationModel m = fitted.model();
    float[][] z = new float[20][];
    for (int i = 0; i < z.length; i++) {
      z[i] = m.standardizer().transform(xVal[i]);
    }
    float[][] djl =
        Nets.predict(
            fitted.network().getBlock(), fitted.network().getNDManager(), z, new long[] {D}, 8);
    for (int i = 0; i < z.length; i++) {
      assertEquals(djl[i][0], m.logit(xVal[i]), 1e-4);
    }
  }

  @Test
  void bundleRoundTripKeepsEverything(@TempDir Path root) {
    MlpViolationModel m = fitted.model();
    ModelBundle.Writer w = ModelBundle.create(root, ViolationModels.FAMILY, 2, Map.of());
    m.put(w, MlpViolationModel.COMPONENT, Map.of("auc", 0.9));
    w.commit();
    MlpViolationModel back = ViolationModels.violationModel(root, 2);
    assertEquals(m.threshold(), back.threshold(), 0);
    assertEquals(m.metrics(), back.metrics());
    assertEquals(m.featureSchema(), back.featureSchema());
    assertArrayEquals(m.toBytes(), back.toBytes());
    for (int i = 0; i < 10; i++) {
      assertEquals(m.probability(xVal[i]), back.probability(xVal[i]), 0);
    }
    byte[] bytes = m.toBytes();
    bytes[0] ^= 1;
    assertThrows(ModelException.class, () -> MlpViolationModel.fromBytes(bytes, "x"));
    assertThrows(
        ModelException.class,
        () -> MlpViolationModel.fromBytes(Arrays.copyOf(m.toBytes(), 100), "x"));
  }

  @Test
  void rejectsBadInput() {
    MlpTrainer t =
        new MlpTrainer("test/1", D, MlpTrainer.Options.defaults(), (a, b, c, d) -> {});
    float[][] x = {new float[D], new float[D]};
    assertThrows(
        IllegalArgumentException.class,
        () -> t.train(x, new boolean[] {false, false}, x, new boolean[] {true, false}, 1, 1));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            t.train(
                new float[][] {new float[3], new float[D]},
                new boolean[] {true, false},
                x,
                new boolean[] {true, false},
                1,
                1));
    assertThrows(
        IllegalArgumentException.class,
        () -> t.train(new float[0][], new boolean[0], x, new boolean[] {true, false}, 1, 1));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new MlpViolationModel(
                1, "s", 1.5, Map.of(), fitted.model().standardizer(), List.of()));
  }
}
