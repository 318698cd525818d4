package dev.autopilot.agents.recovery.rca;

import java.util.Map;

/**
 * How anomalous one service is after the fault began.
 *
 * @param score standardized rise per symptom kind (about 0 when normal; larger is more anomalous)
 * @param magnitude rise in natural units per kind (latency seconds, excess failed requests, excess
 *     requests), used to decide whether a callee's rise can explain its caller's
 * @param preRequests mean requests per sample before the fault (0: the service had no traffic)
 */
public record NodeAnomaly(
    Map<SymptomKind, Double> score, Map<SymptomKind, Double> magnitude, double preRequests) {

  public NodeAnomaly {
    score = Map.copyOf(score);
    magnitude = Map.copyOf(magnitude);
  }

  /** A service without metrics. */
  public static final NodeAnomaly NONE = new NodeAnomaly(Map.of(), Map.of(), 0);

  public double score(SymptomKind k) {
    return score.getOrDefault(k, 0.0);
  }

  public double magnitude(SymptomKind k) {
    return magnitude.getOrDefault(k, 0.0);
  }
}
