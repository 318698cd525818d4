package dev.autopilot.agents.prediction.learn;

import java.util.Locale;
import java.util.Map;

/**
 * The figure on the recent validation window that decides a promotion. The candidate replaces the
 * current model only when its figure is better by more than the configured margin; a tie keeps the
 * current model.
 *
 * <ul>
 *   <li>{@link #F1} (default): F1 of each model at its own decision threshold. Violations are rare,
 *       so accuracy is dominated by the quiet ticks; F1 scores the decision the agent acts on (a
 *       pre-scale at probability ≥ threshold), trading missed violations against false alarms.
 *   <li>{@link #AUC}: ranking quality, independent of the threshold (use when the threshold is
 *       recalibrated elsewhere).
 *   <li>{@link #LOG_LOSS}: calibration of the probabilities (lower is better).
 * </ul>
 */
public enum PromotionMetric {
  F1(WindowMetrics.F1, true),
  AUC(WindowMetrics.AUC, true),
  LOG_LOSS(WindowMetrics.LOG_LOSS, false);

  private final String key;
  private final boolean higherIsBetter;

  PromotionMetric(String key, boolean higherIsBetter) {
    this.key = key;
    this.higherIsBetter = higherIsBetter;
  }

  /** The key of the figure in a {@link WindowMetrics} map. */
  public String key() {
    return key;
  }

  /** The name in configuration ({@code f1}, {@code auc}, {@code log-loss}). */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The metric of a configuration name. */
  public static PromotionMetric parse(String name) {
    for (PromotionMetric m : values()) {
      if (m.configName().equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "promotion-metric must be one of f1, auc, log-loss, got '" + name + "'");
  }

  /**
   * Whether the candidate beats the current model by more than {@code margin}.
   *
   * @param candidate the candidate's window metrics
   * @param current the current model's window metrics
   * @param margin the improvement required (≥ 0)
   */
  public boolean beats(Map<String, Double> candidate, Map<String, Double> current, double margin) {
    double c = candidate.getOrDefault(key, Double.NaN);
    double k = current.getOrDefault(key, Double.NaN);
    if (Double.isNaN(c)) {
      return false;
    }
    if (Double.isNaN(k)) {
      return true;
    }
    return higherIsBetter ? c > k + margin : c < k - margin;
  }
}
