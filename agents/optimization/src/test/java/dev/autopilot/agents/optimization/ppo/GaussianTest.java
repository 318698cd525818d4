package dev.autopilot.agents.optimization.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.autopilot.api.model.ModelRuntime;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Gaussian formulas, their tensor versions in the trainer, and the clamped PPO loss. */
class GaussianTest {

  @Test
  void logProbAndEntropyOfAStandardNormal() {
    double halfLog2Pi = 0.5 * Math.log(2 * Math.PI);
    assertEquals(
        -halfLog2Pi, Gaussian.logProb(new double[] {0}, new double[] {0}, new double[] {0}), 1e-12);
    assertEquals(
        -0.5 - halfLog2Pi,
        Gaussian.logProb(new double[] {1}, new double[] {0}, new double[] {0}),
        1e-12);
    assertEquals(0.5 + halfLog2Pi, Gaussian.entropy(new double[] {0}), 1e-12);
  }

  @Test
  void logProbIsTheSumOverIndependentDimensions() {
    // sigma = e^-1: z = (0.3 - 0.1) * e = 0.2e; log p = -0.5 z^2 + 1 - 0.5 log 2 pi
    double d0 = -0.5 * Math.pow(0.2 * Math.E, 2) + 1 - Gaussian.HALF_LOG_2PI;
    // sigma = e^0.5: z = -1 / e^0.5; log p = -0.5 z^2 - 0.5 - 0.5 log 2 pi
    double d1 = -0.5 * Math.exp(-1) - 0.5 - Gaussian.HALF_LOG_2PI;
    assertEquals(
        d0 + d1,
        Gaussian.logProb(new double[] {0.3, -1}, new double[] {0.1, 0}, new double[] {-1, 0.5}),
        1e-12);
    assertEquals(
        2 * (0.5 + Gaussian.HALF_LOG_2PI) - 0.5, Gaussian.entropy(new double[] {-1, 0.5}), 1e-12);
  }

  @Test
  void tensorLogProbMatchesTheFormula() {
    ModelRuntime.configureOffline();
    Random r = new Random(3);
    int b = 5;
    int a = 4;
    float[] act = new float[b * a];
    float[] mean = new float[b * a];
    float[] logStd = new float[a];
    for (int i = 0; i < act.length; i++) {
      act[i] = (float) r.nextGaussian();
      mean[i] = (float) Math.tanh(r.nextGaussian());
    }
    for (int i = 0; i < a; i++) {
      logStd[i] = (float) (r.nextGaussian() * 0.5);
    }
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      float[] lp =
          PpoTrainer.logProb(
                  m.create(act, new Shape(b, a)), m.create(mean, new Shape(b, a)), m.create(logStd))
              .toFloatArray();
      for (int i = 0; i < b; i++) {
        double[] ai = new double[a];
        double[] mi = new double[a];
        double[] li = new double[a];
        for (int k = 0; k < a; k++) {
          ai[k] = act[i * a + k];
          mi[k] = mean[i * a + k];
          li[k] = logStd[k];
        }
        assertEquals(Gaussian.logProb(ai, mi, li), lp[i], 1e-5);
      }
    }
  }

  @Test
  void anExtremeLogRatioGivesAFiniteLossAndGradient() {
    ModelRuntime.configureOffline();
    PpoSettings s = PpoSettings.defaults();
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      NDArray mean = m.create(new float[] {0.1f, -0.2f, 0.3f, 0.0f}, new Shape(2, 2));
      NDArray logStd = m.create(new float[] {-0.5f, -0.5f});
      mean.setRequiresGradient(true);
      logStd.setRequiresGradient(true);
      NDArray act = m.create(new float[] {0.1f, -0.2f, 0.3f, 0.0f}, new Shape(2, 2));
      // logp - oldLogp is about +-1000: exp would overflow float (inf) without the clamp
      NDArray oldLogp = m.create(new float[] {-1000f, 1000f});
      NDArray adv = m.create(new float[] {-1f, 1f});
      NDArray value = m.create(new float[] {0f, 0f});
      NDArray ret = m.create(new float[] {1f, 1f});
      try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        PpoTrainer.Loss loss = PpoTrainer.loss(mean, logStd, value, act, oldLogp, adv, ret, s);
        float total = loss.total().getFloat();
        assertTrue(Float.isFinite(total), "loss " + total);
        float[] logRatio = loss.logRatio().toFloatArray();
        assertEquals(20f, logRatio[0], 0f);
        assertEquals(-20f, logRatio[1], 0f);
        // step 0: min(e^20 * -1, 1.2 * -1) = -e^20; step 1: min(e^-20, 0.8) = e^-20
        assertEquals((Math.exp(20) - Math.exp(-20)) / 2, loss.policy().getFloat(), 1e3);
        gc.backward(loss.total());
      }
      for (float g : mean.getGradient().toFloatArray()) {
        assertTrue(Float.isFinite(g), "gradient " + g);
      }
      for (float g : logStd.getGradient().toFloatArray()) {
        assertTrue(Float.isFinite(g), "gradient " + g);
      }
    }
  }

  @Test
  void atRatioOneThePolicyLossIsMinusTheMeanAdvantage() {
    ModelRuntime.configureOffline();
    PpoSettings s = PpoSettings.defaults();
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      NDArray mean = m.create(new float[] {0.5f, -0.5f}, new Shape(2, 1));
      NDArray logStd = m.create(new float[] {0f});
      NDArray act = m.create(new float[] {0.7f, -0.1f}, new Shape(2, 1));
      NDArray oldLogp = PpoTrainer.logProb(act, mean, logStd);
      NDArray adv = m.create(new float[] {2f, -1f});
      NDArray value = m.create(new float[] {1f, 3f});
      NDArray ret = m.create(new float[] {2f, 1f});
      PpoTrainer.Loss loss = PpoTrainer.loss(mean, logStd, value, act, oldLogp, adv, ret, s);
      assertEquals(-0.5, loss.policy().getFloat(), 1e-6);
      assertEquals((1 + 4) / 2.0, loss.value().getFloat(), 1e-6); // mean of 1^2 and 2^2
      double entropy = 0.5 + Gaussian.HALF_LOG_2PI;
      assertEquals(entropy, loss.entropy().getFloat(), 1e-6);
      assertEquals(-0.5 + 0.5 * 2.5 - 0.01 * entropy, loss.total().getFloat(), 1e-6);
    }
  }
}
