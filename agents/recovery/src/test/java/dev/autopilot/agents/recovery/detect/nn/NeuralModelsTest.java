package dev.autopilot.agents.recovery.detect.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.model.FitProgress;
import dev.autopilot.api.model.ModelException;
import dev.autopilot.api.model.TrainOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The generic networks fit, generalize on normal data, and round-trip through bytes. */
class NeuralModelsTest {

  /** Rows on a 2-d manifold embedded in 8 features, plus small noise. */
  static float[][] normalRows(int n, long seed) {
    Random r = new Random(seed);
    float[][] x = new float[n][8];
    for (float[] row : x) {
      double a = r.nextGaussian();
      double b = r.nextGaussian();
      for (int j = 0; j < 8; j++) {
        row[j] = (float) ((j + 1) * a + (j % 3) * b + 0.05 * r.nextGaussian() + 10 * j);
      }
    }
    return x;
  }

  @Test
  void autoencoderReconstructsNormalBetterThanAnomalousAndRoundTrips() throws IOException {
    try (Autoencoder ae = Autoencoder.fit(normalRows(500, 1), 25, 32, 7, FitProgress.NONE)) {
      assertTrue(ae.report().bestEpoch() >= 1);
      float[][] test = normalRows(50, 2);
      double normal = Arrays.stream(ae.reconstructionErrors(test)).average().orElseThrow();
      float[][] bad = normalRows(50, 3);
      for (float[] row : bad) {
        row[3] += 25; // off the manifold
      }
      double anomalous = Arrays.stream(ae.reconstructionErrors(bad)).average().orElseThrow();
      assertTrue(anomalous > 5 * normal, "anomalous " + anomalous + " vs normal " + normal);
      assertEquals(ae.reconstructionErrors(test)[0], ae.reconstructionError(test[0]), 1e-5);
      // the plain-Java forward pass is the engine's
      for (float[] row : new float[][] {test[0], test[1], bad[0]}) {
        double djl = ae.reconstructionErrorDjl(row);
        assertEquals(djl, ae.reconstructionError(row), 1e-4 * Math.max(1, djl));
      }

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ae.save(out);
      try (Autoencoder back = Autoencoder.load(new ByteArrayInputStream(out.toByteArray()), "t")) {
        assertEquals(ae.standardizer(), back.standardizer());
        assertEquals(ae.reconstructionError(bad[0]), back.reconstructionError(bad[0]), 1e-9);
      }
      byte[] cut = Arrays.copyOf(out.toByteArray(), out.size() / 2);
      ModelException e =
          assertThrows(
              ModelException.class,
              () -> Autoencoder.load(new ByteArrayInputStream(cut), "ae.bin"));
      assertTrue(e.getMessage().contains("ae.bin"), e.getMessage());
    }
  }

  static float[][] sine(int n, int k, double phase) {
    float[][] s = new float[n][k];
    for (int t = 0; t < n; t++) {
      for (int m = 0; m < k; m++) {
        s[t][m] = (float) (Math.sin((t + phase) * 2 * Math.PI / 20 + m) * (m + 1) + 3 * m);
      }
    }
    return s;
  }

  @Test
  void forecasterLearnsAPeriodicSeriesAndRoundTrips() throws IOException {
    List<float[][]> series = List.of(sine(300, 3, 0), sine(300, 3, 7));
    try (LstmForecaster f =
        LstmForecaster.fit(
            series, 3, new TrainOptions(12, 32, 3, 0.2, 4, 5e-3f), FitProgress.NONE)) {
      float[][] s = sine(200, 3, 2);
      float[][] window = Arrays.copyOfRange(s, 0, LstmForecaster.WINDOW);
      float[][] fc = f.forecast(window);
      assertEquals(LstmForecaster.HORIZON, fc.length);
      float[][] djl = f.forecastDjl(window);
      for (int h = 0; h < fc.length; h++) {
        assertArrayEquals(djl[h], fc[h], 1e-3f);
      }
      double err = 0;
      for (int h = 0; h < LstmForecaster.HORIZON; h++) {
        for (int m = 0; m < 3; m++) {
          double e = fc[h][m] - s[LstmForecaster.WINDOW + h][m];
          err += e * e;
        }
      }
      double rmse = Math.sqrt(err / (LstmForecaster.HORIZON * 3));
      // The series' own spread is about 1.4 on average; a useful forecaster does much better.
      assertTrue(rmse < 1.0, "rmse " + rmse);
      assertTrue(f.sigma(0) > 0 && f.sigma(0) < 2, "sigma " + f.sigma(0));

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      f.save(out);
      try (LstmForecaster back =
          LstmForecaster.load(new ByteArrayInputStream(out.toByteArray()), "t")) {
        float[][] again = back.forecast(window);
        for (int h = 0; h < fc.length; h++) {
          assertArrayEquals(fc[h], again[h], 1e-5f);
        }
        assertEquals(f.sigma(5, 1), back.sigma(5, 1), 0);
      }
    }
  }
}
