package dev.autopilot.agents.recovery.detect.stream;

import java.util.Arrays;

/**
 * Isolation forest ({@link SeededIsolationForest}) over sliding windows of the series, z-scored
 * with the training rows' mean and deviation. Refit on the recent past per {@link RefitSchedule};
 * the raw score is the forest's isolation score (about 0.5 for ordinary rows, towards 1 for
 * isolated ones).
 *
 * @param window values per feature row
 * @param trees trees per forest
 * @param subsample rows per tree
 * @param schedule when to refit
 * @param seed random seed of each fit
 */
public record IsolationForestDetector(
    int window, int trees, int subsample, RefitSchedule schedule, long seed)
    implements SeriesDetector {

  @Override
  public String name() {
    return "iforest";
  }

  @Override
  public double[] rawScores(double[] v) {
    double[] out = new double[v.length];
    Arrays.fill(out, Double.NaN);
    int depth = (int) Math.ceil(Math.log(subsample) / Math.log(2));
    for (RefitSchedule.Segment s : schedule.segments(v.length)) {
      int from = Math.max(s.trainFrom(), window - 1);
      int rows = s.scoreFrom() - from;
      if (rows < 16) {
        continue;
      }
      double[] ms = Features.meanStd(v, s.trainFrom(), s.scoreFrom());
      double[] ds = Features.diffStd(v, s.trainFrom(), s.scoreFrom(), ms[1]);
      double[][] x = new double[rows][];
      for (int t = from; t < s.scoreFrom(); t++) {
        x[t - from] = features(v, t, ms, ds);
      }
      SeededIsolationForest forest =
          SeededIsolationForest.fit(x, trees, subsample, depth, seed + s.scoreFrom());
      for (int t = s.scoreFrom(); t < s.scoreTo(); t++) {
        out[t] = forest.score(features(v, t, ms, ds));
      }
    }
    return out;
  }

  /** The window's values (z-scored) and its first differences (scaled by their deviation). */
  private double[] features(double[] v, int t, double[] ms, double[] ds) {
    double[] x = new double[2 * window - 1];
    for (int j = 0; j < window; j++) {
      x[j] = (v[t - window + 1 + j] - ms[0]) / ms[1];
    }
    for (int j = 1; j < window; j++) {
      x[window + j - 1] = (v[t - window + 1 + j] - v[t - window + j]) / ds[0];
    }
    return x;
  }
}
