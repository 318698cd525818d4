package dev.autopilot.runtime.forecast;

import ai.djl.Model;
import dev.autopilot.api.model.FitProgress;
import dev.autopilot.api.model.FitReport;
import dev.autopilot.api.model.JavaForward;
import dev.autopilot.api.model.Nets;
import dev.autopilot.api.model.TrainOptions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The DJL LSTM the workload forecaster is compared with ({@code forecast --model lstm}): two
 * stacked LSTM layers (64 and 32 units) and a dense head read a window of steps (standardized
 * {@code log1p} demand plus the sine and cosine of the time of day and of the week) and forecast
 * the standardized log demand {@code horizon} steps after the window's last step.
 *
 * <p>Trained only on the past: the first fit is at the start of the evaluated last third (rows
 * before it, the last 20 % of their windows held out for early stopping); then it is refitted
 * every {@code refitRows} rows on all rows before the refit. A model fitted at row r forecasts
 * from origins {@code r - 1} on, so the forecast for row t uses rows {@code <= t - horizon}.
 * Inference runs in plain Java ({@link JavaForward.LstmStack}). Rows before the first fit get no
 * forecast.
 */
final class LstmBaseline {

  private static final int FEATURES = 5;

  private final int window;
  private final int refitRows;
  private final TrainOptions options;
  private final PrintWriter progress;

  /**
   * @param window steps the network reads
   * @param refitRows rows between two fits
   * @param options how each fit trains
   * @param progress where one line per fit goes
   */
  LstmBaseline(int window, int refitRows, TrainOptions options, PrintWriter progress) {
    if (window < 2 || refitRows < 1) {
      throw new IllegalArgumentException("window must be >= 2 and refit rows >= 1");
    }
    this.window = window;
    this.refitRows = refitRows;
    this.options = options;
    this.progress = progress;
  }

  /**
   * Entry t: the forecast for row t made right after row t - horizon (NaN where none).
   *
   * @param day steps per day
   * @param week steps per week
   */
  double[] run(double[] values, long[] ticks, int horizon, int day, int week) {
    int n = values.length;
    double[] forecast = new double[n];
    Arrays.fill(forecast, Double.NaN);
    double[] ly = new double[n];
    for (int i = 0; i < n; i++) {
      ly[i] = Double.isFinite(values[i]) && values[i] >= 0 ? Math.log1p(values[i]) : Double.NaN;
    }
    int firstFit = Math.max(window + horizon + 1, n - n / 3 - horizon);
    for (int fit = firstFit; fit - 1 < n - horizon; fit += refitRows) {
      double mean = 0;
      double sq = 0;
      int count = 0;
      for (int i = 0; i < fit; i++) {
        if (!Double.isNaN(ly[i])) {
          mean += ly[i];
          sq += ly[i] * ly[i];
          count++;
        }
      }
      mean /= count;
      double std = Math.sqrt(Math.max(1e-12, sq / count - mean * mean));
      List<float[]> xs = new ArrayList<>();
      List<float[]> ys = new ArrayList<>();
      // Windows whose target row (origin + horizon) is before the fit row.
      for (int origin = window - 1; origin + horizon < fit; origin++) {
        float[] x = input(ly, ticks, origin, day, week, mean, std);
        double target = ly[origin + horizon];
        if (x != null && !Double.isNaN(target)) {
          xs.add(x);
          ys.add(new float[] {(float) ((target - mean) / std)});
        }
      }
      int nVal = Math.max(1, (int) Math.round(xs.size() * options.validationFraction()));
      if (xs.size() - nVal < 1) {
        continue;
      }
      float[][] xTrain = xs.subList(0, xs.size() - nVal).toArray(new float[0][]);
      float[][] yTrain = ys.subList(0, ys.size() - nVal).toArray(new float[0][]);
      float[][] xVal = xs.subList(xs.size() - nVal, xs.size()).toArray(new float[0][]);
      float[][] yVal = ys.subList(ys.size() - nVal, ys.size()).toArray(new float[0][]);
      JavaForward.LstmStack net;
      long t0 = System.nanoTime();
      try (Model model = Nets.newModel("workload-lstm", Nets.lstmStack(64, 32, 1))) {
        FitReport r =
            Nets.fit(
                model, xTrain, yTrain, xVal, yVal, new long[] {window, FEATURES}, options,
                FitProgress.NONE);
        net = new JavaForward.LstmStack(model.getBlock());
        progress.printf(
            Locale.ROOT,
            "  lstm fit at row %d: %d windows, %d epochs (best %d), validation MSE %.4f, %.1f s%n",
            fit, xTrain.length, r.epochsRun(), r.bestEpoch(), r.validationLoss(),
            (System.nanoTime() - t0) / 1e9);
        progress.flush();
      }
      for (int origin = fit - 1; origin < Math.min(fit - 1 + refitRows, n - horizon); origin++) {
        float[] x = input(ly, ticks, origin, day, week, mean, std);
        if (x != null) {
          double z = net.forward(x, window, FEATURES)[0];
          forecast[origin + horizon] = Math.max(0, Math.expm1(z * std + mean));
        }
      }
    }
    return forecast;
  }

  /** The window ending at origin, row-major [window][FEATURES]; null when a value is missing. */
  private float[] input(
      double[] ly, long[] ticks, int origin, int day, int week, double mean, double std) {
    float[] x = new float[window * FEATURES];
    for (int j = 0; j < window; j++) {
      int i = origin - window + 1 + j;
      if (Double.isNaN(ly[i])) {
        return null;
      }
      double d = 2 * Math.PI * Math.floorMod(ticks[i], (long) day) / day;
      double w = 2 * Math.PI * Math.floorMod(ticks[i], (long) week) / week;
      int f = j * FEATURES;
      x[f] = (float) ((ly[i] - mean) / std);
      x[f + 1] = (float) Math.sin(d);
      x[f + 2] = (float) Math.cos(d);
      x[f + 3] = (float) Math.sin(w);
      x[f + 4] = (float) Math.cos(w);
    }
    return x;
  }
}
