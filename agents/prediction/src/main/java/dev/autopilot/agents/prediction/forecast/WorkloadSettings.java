package dev.autopilot.agents.prediction.forecast;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of the {@link WorkloadForecaster}, read from {@code autopilot.prediction.workload} (this
 * module's {@code reference.conf} documents every key and holds every default). Durations are
 * converted to steps of the series with {@link #steps(Duration)}, so the same settings serve a
 * 30-minute series and 10-second ticks.
 *
 * @param step event time between two consecutive observations (one tick or one CSV row)
 * @param dailyPeriod the daily season
 * @param weeklyPeriod the weekly season
 * @param seasonalWeeks weekly lags whose median is the seasonal baseline
 * @param history event time of demand history kept at full resolution (the regression's lags)
 * @param analogHistory event time of coarse history (one point per pattern stride) the analogs
 *     search
 * @param maxHorizonSteps longest horizon, steps, the forecaster is trained for
 * @param patternWindow event time spanned by the recent pattern (analog search and ridge lags)
 * @param patternPoints points sampled over the pattern window (their spacing, the stride, is the
 *     largest divisor of the day's steps not above the window over the points)
 * @param neighbours analogs (past days with the most similar recent pattern) averaged
 * @param todBuckets time-of-day buckets, each with its own regression per horizon
 * @param todPool neighbouring buckets on each side whose samples a bucket's regression also uses
 * @param ridgeLambda ridge penalty of the regression
 * @param refitEvery event time between two refits of the regression
 * @param minTrainingSamples training samples needed before the regression forecasts
 * @param regressionWeight weight of the regression in the combined forecast (the analogs get the
 *     rest) when the weights are fixed, and until both models have recent errors
 * @param adaptiveWeights weight the models by the inverse square of their recent errors
 * @param errorMemory event time over which the models' recent errors are smoothed
 * @param seasonalChange a third model: the current demand plus the seasonal baseline's change over
 *     the horizon, weighted by its recent errors like the other two
 * @param squaredErrors smooth the models' squared errors (inverse mean-square weights) instead of
 *     their absolute errors (inverse squared mean-absolute weights)
 */
public record WorkloadSettings(
    Duration step,
    Duration dailyPeriod,
    Duration weeklyPeriod,
    int seasonalWeeks,
    Duration history,
    Duration analogHistory,
    int maxHorizonSteps,
    Duration patternWindow,
    int patternPoints,
    int neighbours,
    int todBuckets,
    int todPool,
    double ridgeLambda,
    Duration refitEvery,
    int minTrainingSamples,
    double regressionWeight,
    boolean adaptiveWeights,
    Duration errorMemory,
    boolean seasonalChange,
    boolean squaredErrors) {

  /** Configuration path of these settings. */
  public static final String PATH = "autopilot.prediction.workload";

  public WorkloadSettings {
    require(step != null && !step.isNegative() && !step.isZero(), "step must be > 0");
    require(dailyPeriod != null && weeklyPeriod != null && history != null, "periods are required");
    require(
        patternWindow != null && refitEvery != null && analogHistory != null,
        "durations are required");
    require(dailyPeriod.compareTo(step.multipliedBy(4)) >= 0, "daily-period must be >= 4 steps");
    require(weeklyPeriod.compareTo(dailyPeriod) >= 0, "weekly-period must be >= daily-period");
    require(seasonalWeeks >= 1 && seasonalWeeks <= 8, "seasonal-weeks must be in [1, 8]");
    require(maxHorizonSteps >= 1, "max-horizon-steps must be >= 1");
    require(patternPoints >= 1 && patternPoints <= 64, "pattern-points must be in [1, 64]");
    require(!patternWindow.isNegative(), "pattern-window must be >= 0");
    require(neighbours >= 1, "neighbours must be >= 1");
    require(todBuckets >= 1 && todBuckets <= 1440, "tod-buckets must be in [1, 1440]");
    require(todPool >= 0, "tod-pool must be >= 0");
    require(ridgeLambda > 0 && Double.isFinite(ridgeLambda), "ridge-lambda must be > 0");
    require(!refitEvery.isNegative() && !refitEvery.isZero(), "refit-every must be > 0");
    require(minTrainingSamples >= 1, "min-training-samples must be >= 1");
    require(regressionWeight >= 0 && regressionWeight <= 1, "regression-weight must be in [0, 1]");
    require(
        errorMemory != null && errorMemory.compareTo(step) >= 0, "error-memory must be >= step");
    long day = steps(step, dailyPeriod);
    long stride = stride(step, dailyPeriod, patternWindow, patternPoints);
    require(
        maxHorizonSteps + stride < day,
        "max-horizon-steps ("
            + maxHorizonSteps
            + ") plus the pattern stride ("
            + stride
            + ") must be shorter than a day ("
            + day
            + " steps)");
    require(
        history.compareTo(weeklyPeriod.multipliedBy(seasonalWeeks).plus(dailyPeriod)) >= 0,
        "history must cover seasonal-weeks weeks plus a day");
    require(
        steps(step, history) + maxHorizonSteps <= 50_000_000L,
        "history is too long for the step (over 50M steps)");
    require(
        analogHistory.compareTo(dailyPeriod.multipliedBy(2)) >= 0,
        "analog-history must be at least two days");
    require(
        steps(step, analogHistory) / stride <= 10_000_000L,
        "analog-history is too long for the step (over 10M points)");
  }

  /** Reads {@code autopilot.prediction.workload} from the (root) configuration. */
  public static WorkloadSettings create(Config root) {
    Config c = root.getConfig(PATH);
    return new WorkloadSettings(
        c.getDuration("step"),
        c.getDuration("daily-period"),
        c.getDuration("weekly-period"),
        c.getInt("seasonal-weeks"),
        c.getDuration("history"),
        c.getDuration("analog-history"),
        c.getInt("max-horizon-steps"),
        c.getDuration("pattern-window"),
        c.getInt("pattern-points"),
        c.getInt("neighbours"),
        c.getInt("tod-buckets"),
        c.getInt("tod-pool"),
        c.getDouble("ridge-lambda"),
        c.getDuration("refit-every"),
        c.getInt("min-training-samples"),
        c.getDouble("regression-weight"),
        c.getBoolean("adaptive-weights"),
        c.getDuration("error-memory"),
        c.getBoolean("seasonal-change"),
        c.getBoolean("squared-errors"));
  }

  /** These settings for a series with another step (a CSV's row spacing). */
  public WorkloadSettings withStep(Duration newStep) {
    return new WorkloadSettings(
        newStep,
        dailyPeriod,
        weeklyPeriod,
        seasonalWeeks,
        history,
        analogHistory,
        maxHorizonSteps,
        patternWindow,
        patternPoints,
        neighbours,
        todBuckets,
        todPool,
        ridgeLambda,
        refitEvery,
        minTrainingSamples,
        regressionWeight,
        adaptiveWeights,
        errorMemory,
        seasonalChange,
        squaredErrors);
  }

  /** These settings with another longest horizon. */
  public WorkloadSettings withMaxHorizon(int steps) {
    return new WorkloadSettings(
        step,
        dailyPeriod,
        weeklyPeriod,
        seasonalWeeks,
        history,
        analogHistory,
        steps,
        patternWindow,
        patternPoints,
        neighbours,
        todBuckets,
        todPool,
        ridgeLambda,
        refitEvery,
        minTrainingSamples,
        regressionWeight,
        adaptiveWeights,
        errorMemory,
        seasonalChange,
        squaredErrors);
  }

  /** A duration in steps of this series (rounded, at least 1 for a positive duration). */
  public int steps(Duration d) {
    return (int) steps(step, d);
  }

  /** Steps per day. */
  public int daySteps() {
    return steps(dailyPeriod);
  }

  /** Steps per week. */
  public int weekSteps() {
    return steps(weeklyPeriod);
  }

  /** Steps between two points of the recent pattern (and between two training samples). */
  public int strideSteps() {
    return stride(step, dailyPeriod, patternWindow, patternPoints);
  }

  /** The largest divisor of the day's steps not above the window's steps over its points. */
  private static int stride(Duration step, Duration day, Duration window, int points) {
    int d = (int) steps(step, day);
    int want = (int) Math.max(1, Math.min(d, steps(step, window) / points));
    for (int s = want; s > 1; s--) {
      if (d % s == 0) {
        return s;
      }
    }
    return 1;
  }

  /**
   * These settings with a fixed weight of the regression in the combination (not adaptive, no
   * seasonal-change model).
   */
  public WorkloadSettings withRegressionWeight(double weight) {
    return new WorkloadSettings(
        step,
        dailyPeriod,
        weeklyPeriod,
        seasonalWeeks,
        history,
        analogHistory,
        maxHorizonSteps,
        patternWindow,
        patternPoints,
        neighbours,
        todBuckets,
        todPool,
        ridgeLambda,
        refitEvery,
        minTrainingSamples,
        weight,
        false,
        errorMemory,
        false,
        squaredErrors);
  }

  private static long steps(Duration step, Duration d) {
    if (d.isZero()) {
      return 0;
    }
    long n = Math.round((double) d.toNanos() / step.toNanos());
    return Math.max(1, n);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(PATH + ": " + message);
    }
  }
}
