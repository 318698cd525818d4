package dev.autopilot.agents.recovery.detect;

import dev.autopilot.agents.recovery.detect.nn.LstmForecaster;
import dev.autopilot.api.Diagnostics.DetectorVote;
import java.util.Arrays;

/**
 * Forecast-residual detector for one pipeline: keeps the last {@link LstmForecaster#WINDOW} vectors
 * of the key metrics ({@link SnapshotFeatures#LSTM}), forecasts the next {@link
 * LstmForecaster#HORIZON} ticks every {@code forecastEvery} ticks, and compares each new
 * observation with the forecast made for its tick, metric by metric, in units of that metric's
 * residual σ at that horizon step (floored at {@code minSigmaFraction} of the metric's training
 * spread). It votes when at least {@code minMetrics} metrics lie more than {@code sigmaK} σ away;
 * the score is {@code 1 - 2^-(z/sigmaK)} of the {@code minMetrics}-th largest deviation z.
 *
 * <p>Stateful and <b>not thread-safe</b>; it shares the (not thread-safe) forecaster, so all
 * detectors built on one forecaster run on one thread. Until the window is full and a forecast
 * exists it scores 0 and does not vote.
 */
public final class LstmDetector {

  /** Detector name in votes and bundles. */
  public static final String NAME = "lstm";

  private final LstmForecaster forecaster;
  private final int k;
  private final double sigmaK;
  private final int minMetrics;
  private final int forecastEvery;
  private final double[] sigmaFloor;
  private final float[][] ring;
  private final float[][] window;
  private final double[] z;
  private long seen;
  private float[][] forecast;
  private long forecastBase = -1;

  /**
   * @param forecaster a forecaster over the {@link SnapshotFeatures#LSTM} metrics
   */
  public LstmDetector(
      LstmForecaster forecaster,
      double sigmaK,
      int minMetrics,
      int forecastEvery,
      double minSigmaFraction) {
    if (forecaster.metrics() != SnapshotFeatures.LSTM.length) {
      throw new IllegalArgumentException(
          "the forecaster has "
              + forecaster.metrics()
              + " metrics, the detector reads "
              + SnapshotFeatures.LSTM.length);
    }
    this.forecaster = forecaster;
    this.k = forecaster.metrics();
    this.sigmaK = sigmaK;
    this.minMetrics = Math.min(minMetrics, k);
    this.forecastEvery = forecastEvery;
    this.sigmaFloor = new double[k];
    for (int m = 0; m < k; m++) {
      sigmaFloor[m] = minSigmaFraction * forecaster.standardizer().std(m);
    }
    this.ring = new float[LstmForecaster.WINDOW][];
    this.window = new float[LstmForecaster.WINDOW][];
    this.z = new double[k];
  }

  /** Builds one from the ensemble settings. */
  public static LstmDetector of(LstmForecaster forecaster, EnsembleSettings s) {
    return new LstmDetector(
        forecaster,
        s.lstmSigmaK(),
        s.lstmMinMetrics(),
        s.lstmForecastEvery(),
        s.lstmMinSigmaFraction());
  }

  /** Scores the next tick's full snapshot feature vector, then takes it into the window. */
  public DetectorVote observe(float[] features) {
    float[] x = SnapshotFeatures.select(features, SnapshotFeatures.LSTM);
    DetectorVote vote = new DetectorVote(NAME, 0, false);
    if (forecast != null) {
      int h = (int) (seen - forecastBase);
      if (h >= 0 && h < LstmForecaster.HORIZON) {
        for (int m = 0; m < k; m++) {
          double sigma = Math.max(forecaster.sigma(h, m), Math.max(sigmaFloor[m], 1e-9));
          z[m] = Math.abs(x[m] - forecast[h][m]) / sigma;
        }
        Arrays.sort(z);
        double zk = z[k - minMetrics];
        vote = new DetectorVote(NAME, VoteScore.ofRatio(zk / sigmaK), zk > sigmaK);
      }
    }
    ring[(int) (seen % ring.length)] = x;
    seen++;
    if (seen >= ring.length
        && (forecast == null
            || seen - forecastBase >= forecastEvery
            || seen - forecastBase >= LstmForecaster.HORIZON)) {
      for (int t = 0; t < ring.length; t++) {
        window[t] = ring[(int) ((seen + t) % ring.length)];
      }
      forecast = forecaster.forecast(window);
      forecastBase = seen;
    }
    return vote;
  }

  /** Forgets the window (for example after a gap in telemetry). */
  public void reset() {
    seen = 0;
    forecast = null;
    forecastBase = -1;
    Arrays.fill(ring, null);
  }
}
