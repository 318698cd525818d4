package dev.autopilot.agents.prediction.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BinaryMetricsTest {

  private static final double[] SCORES = {0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1};
  private static final boolean[] LABELS = {true, true, false, true, false, false, true, false};

  @Test
  void confusionAndDerivedFigures() {
    BinaryMetrics.Confusion c = BinaryMetrics.confusion(SCORES, LABELS, 0.5);
    assertEquals(new BinaryMetrics.Confusion(3, 1, 1, 3), c);
    assertEquals(0.75, c.accuracy(), 1e-12);
    assertEquals(0.75, c.precision(), 1e-12);
    assertEquals(0.75, c.recall(), 1e-12);
    assertEquals(0.75, c.f1(), 1e-12);
    assertEquals(0.25, c.falsePositiveRate(), 1e-12);
  }

  @Test
  void aucCountsOrderedPairsAndHalfTies() {
    // positives at ranks 8,7,5,2 of 8: pairs above negatives = 4+4+3+1 = 12 of 16
    assertEquals(12 / 16.0, BinaryMetrics.rocAuc(SCORES, LABELS), 1e-12);
    assertEquals(
        0.5, BinaryMetrics.rocAuc(new double[] {1, 1}, new boolean[] {true, false}), 1e-12);
    assertTrue(Double.isNaN(BinaryMetrics.rocAuc(new double[] {1}, new boolean[] {true})));
  }

  @Test
  void bestThresholdMaximisesF1UnderTheFalsePositiveBound() {
    // at 0.6: tp 3 fp 1 -> F1 0.75; at 0.2: tp 4 fp 3 -> F1 0.727; at 0.8: tp 2 fp 0 -> 0.667
    assertEquals(0.6, BinaryMetrics.bestF1Threshold(SCORES, LABELS, 1.0), 1e-12);
    // no false positive allowed: 0.8 is the best threshold with FPR 0
    assertEquals(0.8, BinaryMetrics.bestF1Threshold(SCORES, LABELS, 0.0001), 1e-12);
  }

  @Test
  void summaryNamesTheHeadlineMetrics() {
    Map<String, Double> m = BinaryMetrics.summary(SCORES, LABELS, 0.5);
    assertEquals(0.75, m.get("f1"), 1e-12);
    assertEquals(0.5, m.get("positiveRate"), 1e-12);
    assertEquals(8, m.get("samples"), 1e-12);
    assertEquals(0.75, m.get("auc"), 1e-12);
  }
}
