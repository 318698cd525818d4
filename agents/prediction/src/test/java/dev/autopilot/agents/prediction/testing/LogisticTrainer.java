package dev.autopilot.agents.prediction.testing;

import dev.autopilot.agents.prediction.model.ViolationModel;
import dev.autopilot.agents.prediction.model.ViolationTrainer;

/**
 * Test double: fits a logistic regression by batch gradient descent (no standardization; the test
 * features are in [0, 1]) and picks the threshold that maximizes F1 on the validation rows.
 */
public final class LogisticTrainer implements ViolationTrainer {
  private volatile int calls;

  public int calls() {
    return calls;
  }

  @Override
  public ViolationModel train(
      float[][] x, boolean[] y, float[][] vx, boolean[] vy, int version, long seed) {
    calls++;
    if (x.length == 0) {
      throw new IllegalArgumentException("no rows");
    }
    int d = x[0].length;
    double[] w = new double[d];
    double b = 0;
    for (int epoch = 0; epoch < 2000; epoch++) {
      double[] gw = new double[d];
      double gb = 0;
      for (int i = 0; i < x.length; i++) {
        double z = b;
        for (int j = 0; j < d; j++) {
          z += w[j] * x[i][j];
        }
        double err = 1 / (1 + Math.exp(-z)) - (y[i] ? 1 : 0);
        for (int j = 0; j < d; j++) {
          gw[j] += err * x[i][j];
        }
        gb += err;
      }
      for (int j = 0; j < d; j++) {
        w[j] -= 5.0 * gw[j] / x.length;
      }
      b -= 5.0 * gb / x.length;
    }
    float[] wf = new float[d];
    for (int j = 0; j < d; j++) {
      wf[j] = (float) w[j];
    }
    LogisticModel raw = new LogisticModel(version, wf, b, 0.5, LogisticModel.SCHEMA);
    double best = 0.5;
    double bestF1 = -1;
    for (double t = 0.05; t < 1; t += 0.05) {
      long tp = 0;
      long fp = 0;
      long fn = 0;
      for (int i = 0; i < vx.length; i++) {
        boolean alarm = raw.probability(vx[i]) >= t;
        tp += alarm && vy[i] ? 1 : 0;
        fp += alarm && !vy[i] ? 1 : 0;
        fn += !alarm && vy[i] ? 1 : 0;
      }
      double f1 = tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
      if (f1 > bestF1) {
        bestF1 = f1;
        best = t;
      }
    }
    return new LogisticModel(version, wf, b, best, LogisticModel.SCHEMA);
  }
}
