package dev.autopilot.agents.recovery.detect.stream;

/**
 * A raw anomaly scorer of one univariate series. It is <b>causal</b>: {@code rawScores(v)[t]}
 * depends on {@code v[0..t]} only, so it gives the same scores row by row as on the whole series.
 * It learns from the series' own past (no labels, no other series), with the same settings for
 * every series.
 */
public interface SeriesDetector {

  /** Short name ({@code iforest}, {@code autoencoder}, {@code lstm}). */
  String name();

  /**
   * Raw scores, one per row: larger is more anomalous, non-negative, ordinary rows around 0.1 to 1;
   * NaN while the detector has not yet learnt enough to score.
   *
   * @param values the series, finite (missing values already filled)
   */
  double[] rawScores(double[] values);
}
