package dev.autopilot.agents.recovery.detect;

import com.typesafe.config.Config;
import dev.autopilot.api.model.DistributionGuard;

/**
 * Knobs of the detector ensemble, read from {@code autopilot.recovery.ensemble} (the module's
 * {@code reference.conf} documents each key).
 *
 * @param minVotes detectors that must vote anomalous (1-3)
 * @param iforestWeight weight of the isolation forest's score
 * @param autoencoderWeight weight of the autoencoder's score
 * @param lstmWeight weight of the LSTM detector's score
 * @param scoreThreshold the weighted score must exceed this (0-1)
 * @param lstmSigmaK an observation this many residual σ from its forecast is a deviation
 * @param lstmMinMetrics metrics that must deviate at once for the LSTM detector to vote
 * @param lstmForecastEvery ticks between forecasts (1-30); between them the latest forecast's later
 *     steps are used
 * @param lstmMinSigmaFraction floor of a metric's residual σ, as a fraction of its standard
 *     deviation in the training data
 * @param persistenceK a detector votes only when its score was over its own threshold on at least
 *     this many of its last {@code persistenceN} ticks (1 = no persistence)
 * @param persistenceN the window of the persistence rule, ticks (≥ persistenceK, ≤ 60)
 */
public record EnsembleSettings(
    int minVotes,
    double iforestWeight,
    double autoencoderWeight,
    double lstmWeight,
    double scoreThreshold,
    double lstmSigmaK,
    int lstmMinMetrics,
    int lstmForecastEvery,
    double lstmMinSigmaFraction,
    int persistenceK,
    int persistenceN) {

  public EnsembleSettings {
    if (minVotes < 1 || minVotes > 3) {
      throw new IllegalArgumentException("ensemble min-votes must be 1..3, got " + minVotes);
    }
    if (!(iforestWeight >= 0 && autoencoderWeight >= 0 && lstmWeight >= 0)
        || !(iforestWeight + autoencoderWeight + lstmWeight > 0)) {
      throw new IllegalArgumentException(
          "ensemble weights must be >= 0 with a positive sum, got "
              + iforestWeight
              + ", "
              + autoencoderWeight
              + ", "
              + lstmWeight);
    }
    if (!(scoreThreshold >= 0 && scoreThreshold < 1)) {
      throw new IllegalArgumentException(
          "ensemble score-threshold must be in [0, 1), got " + scoreThreshold);
    }
    if (!(lstmSigmaK > 0)) {
      throw new IllegalArgumentException("ensemble lstm.sigma-k must be > 0, got " + lstmSigmaK);
    }
    if (lstmMinMetrics < 1) {
      throw new IllegalArgumentException(
          "ensemble lstm.min-metrics must be >= 1, got " + lstmMinMetrics);
    }
    if (lstmForecastEvery < 1 || lstmForecastEvery > 30) {
      throw new IllegalArgumentException(
          "ensemble lstm.forecast-every-ticks must be 1..30, got " + lstmForecastEvery);
    }
    if (persistenceN < 1 || persistenceN > 60 || persistenceK < 1 || persistenceK > persistenceN) {
      throw new IllegalArgumentException(
          "ensemble persistence needs 1 <= k <= n <= 60, got k="
              + persistenceK
              + ", n="
              + persistenceN);
    }
    if (!(lstmMinSigmaFraction >= 0)) {
      throw new IllegalArgumentException(
          "ensemble lstm.min-sigma-fraction must be >= 0, got " + lstmMinSigmaFraction);
    }
  }

  /** The same settings with another persistence rule (k of the last n ticks). */
  public EnsembleSettings withPersistence(int k, int n) {
    return new EnsembleSettings(
        minVotes,
        iforestWeight,
        autoencoderWeight,
        lstmWeight,
        scoreThreshold,
        lstmSigmaK,
        lstmMinMetrics,
        lstmForecastEvery,
        lstmMinSigmaFraction,
        k,
        n);
  }

  /** Reads {@code autopilot.recovery.ensemble} from a full configuration. */
  public static EnsembleSettings create(Config root) {
    Config c = root.getConfig("autopilot.recovery.ensemble");
    Config w = c.getConfig("weights");
    Config l = c.getConfig("lstm");
    return new EnsembleSettings(
        c.getInt("min-votes"),
        w.getDouble("iforest"),
        w.getDouble("autoencoder"),
        w.getDouble("lstm"),
        c.getDouble("score-threshold"),
        l.getDouble("sigma-k"),
        l.getInt("min-metrics"),
        l.getInt("forecast-every-ticks"),
        l.getDouble("min-sigma-fraction"),
        c.getInt("persistence.k"),
        c.getInt("persistence.n"));
  }

  /**
   * Reads {@code autopilot.recovery.ensemble.ood-guard}: the ensemble's out-of-distribution guard.
   */
  public static DistributionGuard.Settings oodGuard(Config root) {
    Config g = root.getConfig("autopilot.recovery.ensemble.ood-guard");
    try {
      return new DistributionGuard.Settings(
          g.getInt("warmup-ticks"),
          g.getDouble("saturated-score"),
          g.getDouble("max-saturated-fraction"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "autopilot.recovery.ensemble.ood-guard: " + e.getMessage(), e);
    }
  }

  /** The same settings with other voting rules. */
  public EnsembleSettings withVoting(
      int minVotes, double iforest, double autoencoder, double lstm, double threshold) {
    return new EnsembleSettings(
        minVotes,
        iforest,
        autoencoder,
        lstm,
        threshold,
        lstmSigmaK,
        lstmMinMetrics,
        lstmForecastEvery,
        lstmMinSigmaFraction,
        persistenceK,
        persistenceN);
  }
}
