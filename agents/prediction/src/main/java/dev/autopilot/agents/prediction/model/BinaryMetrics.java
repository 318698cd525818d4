package dev.autopilot.agents.prediction.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Metrics of a binary classifier that outputs a score: confusion counts at a threshold (score
 * {@code >=} threshold is positive), accuracy, precision, recall, F1, false-positive rate, and the
 * threshold-free ROC AUC. Pure.
 */
public final class BinaryMetrics {

  private BinaryMetrics() {}

  /**
   * Confusion counts and the figures derived from them.
   *
   * @param tp true positives
   * @param fp false positives
   * @param fn false negatives
   * @param tn true negatives
   */
  public record Confusion(long tp, long fp, long fn, long tn) {

    public long total() {
      return tp + fp + fn + tn;
    }

    public double accuracy() {
      return total() == 0 ? 0 : (tp + tn) / (double) total();
    }

    /** Precision; 0 when nothing is predicted positive. */
    public double precision() {
      return tp + fp == 0 ? 0 : tp / (double) (tp + fp);
    }

    /** Recall; 0 when there are no positives. */
    public double recall() {
      return tp + fn == 0 ? 0 : tp / (double) (tp + fn);
    }

    public double f1() {
      double p = precision();
      double r = recall();
      return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** False-positive rate; 0 when there are no negatives. */
    public double falsePositiveRate() {
      return fp + tn == 0 ? 0 : fp / (double) (fp + tn);
    }
  }

  /** Confusion counts of {@code score >= threshold} against the labels. */
  public static Confusion confusion(double[] scores, boolean[] labels, double threshold) {
    check(scores, labels);
    long tp = 0;
    long fp = 0;
    long fn = 0;
    long tn = 0;
    for (int i = 0; i < scores.length; i++) {
      boolean p = scores[i] >= threshold;
      if (p && labels[i]) {
        tp++;
      } else if (p) {
        fp++;
      } else if (labels[i]) {
        fn++;
      } else {
        tn++;
      }
    }
    return new Confusion(tp, fp, fn, tn);
  }

  /**
   * Area under the ROC curve: the probability that a random positive scores above a random
   * negative, ties counting half (Mann-Whitney with mid-ranks). NaN when one class is missing.
   */
  public static double rocAuc(double[] scores, boolean[] labels) {
    check(scores, labels);
    int n = scores.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
    long positives = 0;
    double rankSum = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double midRank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        if (labels[order[k]]) {
          positives++;
          rankSum += midRank;
        }
      }
      i = j + 1;
    }
    long negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }

  /**
   * The threshold with the highest F1 among those whose false-positive rate is at most {@code
   * maxFalsePositiveRate} (1 for no bound). Candidates are the distinct scores; the returned
   * threshold is the score itself (rows at or above it are positive). Falls back to the highest F1
   * overall when no candidate meets the bound, and to 0.5 when there are no positives.
   */
  public static double bestF1Threshold(
      double[] scores, boolean[] labels, double maxFalsePositiveRate) {
    check(scores, labels);
    int n = scores.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    // descending: lowering the threshold past each distinct score adds its rows as positives
    Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
    long positives = 0;
    for (boolean l : labels) {
      if (l) {
        positives++;
      }
    }
    long negatives = n - positives;
    if (positives == 0) {
      return 0.5;
    }
    long tp = 0;
    long fp = 0;
    double best = -1;
    double bestThreshold = 0.5;
    double bestAny = -1;
    double bestAnyThreshold = 0.5;
    int i = 0;
    while (i < n) {
      double s = scores[order[i]];
      while (i < n && scores[order[i]] == s) {
        if (labels[order[i]]) {
          tp++;
        } else {
          fp++;
        }
        i++;
      }
      double precision = tp / (double) (tp + fp);
      double recall = tp / (double) positives;
      double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
      double fpr = negatives == 0 ? 0 : fp / (double) negatives;
      if (f1 > bestAny) {
        bestAny = f1;
        bestAnyThreshold = s;
      }
      if (fpr <= maxFalsePositiveRate && f1 > best) {
        best = f1;
        bestThreshold = s;
      }
    }
    return best >= 0 ? bestThreshold : bestAnyThreshold;
  }

  /**
   * The headline metrics at a threshold: accuracy, precision, recall, f1, falsePositiveRate, auc,
   * threshold, samples, positiveRate.
   */
  public static Map<String, Double> summary(double[] scores, boolean[] labels, double threshold) {
    Confusion c = confusion(scores, labels, threshold);
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("accuracy", c.accuracy());
    m.put("precision", c.precision());
    m.put("recall", c.recall());
    m.put("f1", c.f1());
    m.put("falsePositiveRate", c.falsePositiveRate());
    m.put("auc", rocAuc(scores, labels));
    m.put("threshold", threshold);
    m.put("samples", (double) c.total());
    m.put("positiveRate", c.total() == 0 ? 0 : (c.tp() + c.fn()) / (double) c.total());
    return m;
  }

  private static void check(double[] scores, boolean[] labels) {
    if (scores.length != labels.length) {
      throw new IllegalArgumentException(
          scores.length + " scores but " + labels.length + " labels");
    }
  }
}
