package dev.autopilot.runtime.bench;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the prediction agent's forecasts did in one week of a run (see {@link
 * Scorer#predictionWeeks}): its alarms ({@code probability ≥ threshold}) against the ground truth
 * "the SLA is violated at some tick in the next {@link Scorer#PREDICTION_HORIZON_TICKS} ticks".
 *
 * @param week week number, from 1
 * @param samples forecasts scored (pipeline-ticks with a forecast and a complete horizon)
 * @param positives of which the SLA was violated within the horizon
 * @param accuracyPct right forecasts over forecasts, percent; null without samples
 * @param precisionPct alarms followed by a violation over alarms, percent; null without alarms
 * @param recallPct violations forecast over violations, percent; null without positives
 * @param fprPct alarms without a violation over quiet samples, percent; null without negatives
 * @param f1Pct harmonic mean of precision and recall, percent; null when either is undefined
 * @param modelVersions forecasts per model version that made them
 */
public record PredictionWeek(
    int week,
    long samples,
    long positives,
    Double accuracyPct,
    Double precisionPct,
    Double recallPct,
    Double fprPct,
    Double f1Pct,
    Map<Integer, Long> modelVersions) {

  public PredictionWeek {
    modelVersions = Collections.unmodifiableMap(new TreeMap<>(modelVersions));
  }

  /**
   * The versions used, as {@code v1 12%, v2 88%}; the Holt baseline of a cold start (version {@link
   * RunRecorder#BASELINE_VERSION}) shows as {@code holt}.
   */
  public String versionsText() {
    StringBuilder sb = new StringBuilder();
    long total = modelVersions.values().stream().mapToLong(Long::longValue).sum();
    modelVersions.forEach(
        (v, n) -> {
          if (sb.length() > 0) {
            sb.append(", ");
          }
          sb.append(versionName(v)).append(' ').append(Math.round(100.0 * n / total)).append('%');
        });
    return sb.length() == 0 ? "-" : sb.toString();
  }

  /** A model version's name: {@code v<N>}, or {@code holt} for a cold start's baseline. */
  public static String versionName(int version) {
    return version == RunRecorder.BASELINE_VERSION ? "holt" : "v" + version;
  }
}
