package dev.autopilot.agents.prediction.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WindowMetricsTest {

  @Test
  void countsAtTheThreshold() {
    double[] p = {0.9, 0.6, 0.4, 0.2, 0.7, 0.1};
    boolean[] y = {true, true, true, false, false, false};
    Map<String, Double> m = WindowMetrics.of(p, y, 0.5);
    // tp 2, fn 1, fp 1, tn 2
    assertEquals(6.0, m.get(WindowMetrics.SAMPLES));
    assertEquals(3.0, m.get(WindowMetrics.POSITIVES));
    assertEquals(4.0 / 6, m.get(WindowMetrics.ACCURACY), 1e-12);
    assertEquals(2.0 / 3, m.get(WindowMetrics.PRECISION), 1e-12);
    assertEquals(2.0 / 3, m.get(WindowMetrics.RECALL), 1e-12);
    assertEquals(2.0 / 3, m.get(WindowMetrics.F1), 1e-12);
    assertEquals(1.0 / 3, m.get(WindowMetrics.FPR), 1e-12);
    // pairs (pos, neg) ranked right: 0.9 > all 3; 0.6 > 0.2, 0.1; 0.4 > 0.2, 0.1 -> 7 of 9
    assertEquals(7.0 / 9, m.get(WindowMetrics.AUC), 1e-12);
    assertTrue(m.get(WindowMetrics.LOG_LOSS) > 0);
  }

  @Test
  void undefinedRatiosAreZeroAndAucHalf() {
    Map<String, Double> m = WindowMetrics.of(new double[] {0.1, 0.2}, new boolean[2], 0.5);
    assertEquals(0.0, m.get(WindowMetrics.PRECISION));
    assertEquals(0.0, m.get(WindowMetrics.RECALL));
    assertEquals(0.0, m.get(WindowMetrics.F1));
    assertEquals(0.5, m.get(WindowMetrics.AUC));
    assertEquals(1.0, m.get(WindowMetrics.ACCURACY));
    assertThrows(
        IllegalArgumentException.class, () -> WindowMetrics.of(new double[1], new boolean[2], 0.5));
  }

  @Test
  void promotionNeedsAStrictlyBetterFigure() {
    Map<String, Double> a = Map.of("f1", 0.8, "auc", 0.9, "log_loss", 0.3);
    Map<String, Double> b = Map.of("f1", 0.7, "auc", 0.9, "log_loss", 0.4);
    assertTrue(PromotionMetric.F1.beats(a, b, 0));
    assertFalse(PromotionMetric.F1.beats(b, a, 0));
    assertFalse(PromotionMetric.F1.beats(a, b, 0.2), "not better by the margin");
    assertFalse(PromotionMetric.AUC.beats(a, b, 0), "a tie keeps the current model");
    assertTrue(PromotionMetric.LOG_LOSS.beats(a, b, 0), "lower log-loss is better");
    assertEquals(PromotionMetric.LOG_LOSS, PromotionMetric.parse("log-loss"));
    assertThrows(IllegalArgumentException.class, () -> PromotionMetric.parse("accuracy"));
  }
}
