package dev.autopilot.agents.recovery.detect.stream;

import dev.autopilot.api.model.FitProgress;
import dev.autopilot.agents.recovery.detect.nn.LstmForecaster;
import dev.autopilot.api.model.TrainOptions;
import java.util.Arrays;
import java.util.List;

/**
 * The DJL {@link LstmForecaster} (reads {@value LstmForecaster#WINDOW} steps, forecasts {@value
 * LstmForecaster#HORIZON}). Refit on the recent past per {@link RefitSchedule}. Every {@code
 * stride} rows it forecasts from the last {@value LstmForecaster#WINDOW} rows; the next {@code
 * stride} rows are scored against the forecast {@code h} steps ahead, in units of the forecaster's
 * validation residual σ at that horizon: raw score {@code |error| / (2σ)}, not squashed (a bounded
 * squash saturates and would rank all large errors alike).
 *
 * @param stride rows between two forecasts (at most the horizon)
 * @param trainStride steps between training windows
 * @param options how each fit trains
 * @param schedule when to refit
 */
public record LstmDetector(
    int stride, int trainStride, TrainOptions options, RefitSchedule schedule)
    implements SeriesDetector {

  public LstmDetector {
    if (stride < 1 || stride > LstmForecaster.HORIZON) {
      throw new IllegalArgumentException(
          "stride must be in 1.." + LstmForecaster.HORIZON + ": " + stride);
    }
  }

  @Override
  public String name() {
    return "lstm";
  }

  @Override
  public double[] rawScores(double[] v) {
    // All DJL work of a series (fits and inference) holds the engine lock: series scored in
    // parallel otherwise perturb each other's results through the engine's shared state.
    synchronized (Features.DJL_LOCK) {
      return compute(v);
    }
  }

  private double[] compute(double[] v) {
    double[] out = new double[v.length];
    Arrays.fill(out, Double.NaN);
    int w = LstmForecaster.WINDOW;
    for (RefitSchedule.Segment s : schedule.segments(v.length)) {
      int rows = s.scoreFrom() - s.trainFrom();
      if (rows < w + LstmForecaster.HORIZON + 20) {
        continue;
      }
      // A little seeded noise (1 % of the training deviation) keeps a flat training series from
      // giving all-zero gradients.
      double[] ms = Features.meanStd(v, s.trainFrom(), s.scoreFrom());
      java.util.Random noise = new java.util.Random(options.seed() + s.scoreFrom());
      float[][] train = new float[rows][1];
      for (int t = s.trainFrom(); t < s.scoreFrom(); t++) {
        train[t - s.trainFrom()][0] = (float) (v[t] + 0.01 * ms[1] * noise.nextGaussian());
      }
      try (LstmForecaster f =
          LstmForecaster.fit(List.<float[][]>of(train), trainStride, options, FitProgress.NONE)) {
        float[][] in = new float[w][1];
        for (int t0 = s.scoreFrom(); t0 < s.scoreTo(); t0 += stride) {
          for (int j = 0; j < w; j++) {
            in[j][0] = (float) v[t0 - w + j];
          }
          float[][] fc = f.forecast(in);
          for (int h = 0; h < stride && t0 + h < s.scoreTo(); h++) {
            double sigma = Math.max(f.sigma(h, 0), 1e-6 * Math.max(1, Math.abs(v[t0 - 1])));
            double err = Math.abs(v[t0 + h] - fc[h][0]) / sigma;
            out[t0 + h] = err / 2;
          }
        }
      }
    }
    return out;
  }
}
