package dev.autopilot.agents.prediction.learn;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Classification figures of a forecaster's probabilities against labels, at a decision threshold: a
 * positive is {@code probability ≥ threshold}. Pure. Undefined ratios (no positive predicted, no
 * positive label) are 0, except AUC, which is 0.5 when one class is missing.
 */
public final class WindowMetrics {
  public static final String SAMPLES = "samples";
  public static final String POSITIVES = "positives";
  public static final String ACCURACY = "accuracy";
  public static final String PRECISION = "precision";
  public static final String RECALL = "recall";
  public static final String F1 = "f1";
  public static final String FPR = "fpr";
  public static final String AUC = "auc";
  public static final String LOG_LOSS = "log_loss";
  public static final String THRESHOLD = "threshold";

  private static final double EPS = 1e-7;

  private WindowMetrics() {}

  /**
   * The figures, in a fixed order: samples, positives, threshold, accuracy, precision, recall, f1,
   * fpr, auc, log_loss.
   *
   * @throws IllegalArgumentException when the arrays differ in length
   */
  public static Map<String, Double> of(double[] probabilities, boolean[] labels, double threshold) {
    if (probabilities.length != labels.length) {
      throw new IllegalArgumentException(
          probabilities.length + " probabilities for " + labels.length + " labels");
    }
    long tp = 0;
    long fp = 0;
    long tn = 0;
    long fn = 0;
    double logLoss = 0;
    for (int i = 0; i < labels.length; i++) {
      double p = probabilities[i];
      boolean alarm = p >= threshold;
      if (labels[i]) {
        if (alarm) {
          tp++;
        } else {
          fn++;
        }
      } else if (alarm) {
        fp++;
      } else {
        tn++;
      }
      double q = Math.min(1 - EPS, Math.max(EPS, p));
      logLoss -= labels[i] ? Math.log(q) : Math.log(1 - q);
    }
    int n = labels.length;
    double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
    double recall = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(SAMPLES, (double) n);
    m.put(POSITIVES, (double) (tp + fn));
    m.put(THRESHOLD, threshold);
    m.put(ACCURACY, n == 0 ? 0 : (double) (tp + tn) / n);
    m.put(PRECISION, precision);
    m.put(RECALL, recall);
    m.put(F1, precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall));
    m.put(FPR, fp + tn == 0 ? 0 : (double) fp / (fp + tn));
    m.put(AUC, auc(probabilities, labels));
    m.put(LOG_LOSS, n == 0 ? 0 : logLoss / n);
    return m;
  }

  /** Area under the ROC curve (Mann-Whitney, ties count half); 0.5 when a class is missing. */
  static double auc(double[] probabilities, boolean[] labels) {
    int n = labels.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(probabilities[a], probabilities[b]));
    long positives = 0;
    double rankSum = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && probabilities[order[j + 1]] == probabilities[order[i]]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        if (labels[order[k]]) {
          positives++;
          rankSum += rank;
        }
      }
      i = j + 1;
    }
    long negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      return 0.5;
    }
    return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }
}
