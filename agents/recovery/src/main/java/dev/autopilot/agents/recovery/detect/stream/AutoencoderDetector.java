package dev.autopilot.agents.recovery.detect.stream;

import dev.autopilot.agents.recovery.detect.nn.Autoencoder;
import dev.autopilot.api.model.FitProgress;
import dev.autopilot.api.model.TrainOptions;
import java.util.Arrays;

/**
 * The DJL {@link Autoencoder} over sliding windows of the series, each window expressed relative to
 * the training rows' mean and deviation. Refit on the recent past per {@link RefitSchedule}. The
 * raw score is the reconstruction error (mean squared error of the standardized window), not
 * squashed: a bounded squash saturates and would rank all large errors alike.
 *
 * @param window values per feature row
 * @param options how each fit trains
 * @param schedule when to refit
 */
public record AutoencoderDetector(int window, TrainOptions options, RefitSchedule schedule)
    implements SeriesDetector {

  @Override
  public String name() {
    return "autoencoder";
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
    for (RefitSchedule.Segment s : schedule.segments(v.length)) {
      int from = Math.max(s.trainFrom(), window - 1);
      int rows = s.scoreFrom() - from;
      if (rows < 32) {
        continue;
      }
      double[] ms = Features.meanStd(v, s.trainFrom(), s.scoreFrom());
      // A little seeded noise keeps a flat training series from giving all-zero gradients.
      java.util.Random noise = new java.util.Random(options.seed() + s.scoreFrom());
      float[][] train = new float[rows][];
      for (int t = from; t < s.scoreFrom(); t++) {
        float[] x = row(v, t, ms);
        for (int j = 0; j < x.length; j++) {
          x[j] += (float) (0.01 * noise.nextGaussian());
        }
        train[t - from] = x;
      }
      float[][] score = new float[s.scoreTo() - s.scoreFrom()][];
      for (int t = s.scoreFrom(); t < s.scoreTo(); t++) {
        score[t - s.scoreFrom()] = row(v, t, ms);
      }
      try (Autoencoder ae = Autoencoder.fit(train, options, FitProgress.NONE)) {
        double[] err = ae.reconstructionErrors(score);
        for (int i = 0; i < err.length; i++) {
          out[s.scoreFrom() + i] = err[i];
        }
      }
    }
    return out;
  }

  /**
   * A window as deviations from the training mean in training deviations. The autoencoder then
   * standardizes each column again; the first step keeps columns of a flat training series from
   * blowing up tiny changes.
   */
  private float[] row(double[] v, int t, double[] ms) {
    float[] x = new float[window];
    for (int j = 0; j < window; j++) {
      x[j] = (float) ((v[t - window + 1 + j] - ms[0]) / ms[1]);
    }
    return x;
  }
}
