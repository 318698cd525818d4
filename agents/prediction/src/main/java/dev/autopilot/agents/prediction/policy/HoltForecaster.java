package dev.autopilot.agents.prediction.policy;

import dev.autopilot.agents.prediction.forecast.DemandForecaster;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Holt's linear trend method (double exponential smoothing) over a sliding window of event time.
 *
 * <p>Observations are {@code (tick, value)} pairs with increasing ticks. Each {@link #fit()} runs
 * the recursion over the observations of the last {@code windowTicks} ticks, so the fit depends
 * only on the window and is the same after an actor restart once the window is refilled:
 *
 * <pre>
 *   level_t = α·y_t + (1 − α)·(level_{t−k} + k·trend_{t−k})
 *   trend_t = β·(level_t − level_{t−k}) / k + (1 − β)·trend_{t−k}
 * </pre>
 *
 * where {@code k} is the number of ticks since the previous observation (1 without gaps; a gap left
 * by rejected snapshots is bridged along the trend). The recursion starts from the first two
 * observations of the window (level = first value, trend = their slope), so an exactly linear
 * series is recovered exactly. The one-step-ahead errors of the later observations give the fit
 * error, and from it the standard deviation of an h-step forecast (Hyndman and Athanasopoulos,
 * ETS(A,A,N): {@code σ²·[1 + (h − 1)·(α² + αβ'h + β'²h(2h − 1)/6)]} with {@code β' = αβ}).
 *
 * <p>As a {@link DemandForecaster} it forecasts nothing until the window holds {@code
 * minObservations} observations; its {@link #peak} is the larger end of the straight forecast line.
 *
 * <p>Not thread-safe; one instance per actor. Working memory only: not journaled.
 */
public final class HoltForecaster implements DemandForecaster {

  private final double alpha;
  private final double beta;
  private final int windowTicks;
  private final int minObservations;
  private final Deque<Long> ticks = new ArrayDeque<>();
  private final Deque<Double> values = new ArrayDeque<>();

  /**
   * @param alpha level smoothing, in (0, 1]
   * @param beta trend smoothing, in (0, 1]
   * @param windowTicks how many ticks of history a fit uses
   */
  public HoltForecaster(double alpha, double beta, int windowTicks) {
    this(alpha, beta, windowTicks, 2);
  }

  /**
   * @param alpha level smoothing, in (0, 1]
   * @param beta trend smoothing, in (0, 1]
   * @param windowTicks how many ticks of history a fit uses
   * @param minObservations observations the window must hold before {@link #forecast} and {@link
   *     #peak} answer, in [2, windowTicks]
   */
  public HoltForecaster(double alpha, double beta, int windowTicks, int minObservations) {
    if (!(alpha > 0 && alpha <= 1) || !(beta > 0 && beta <= 1)) {
      throw new IllegalArgumentException(
          "alpha and beta must be in (0, 1]: " + alpha + ", " + beta);
    }
    if (windowTicks < 2) {
      throw new IllegalArgumentException("window must hold at least 2 ticks: " + windowTicks);
    }
    if (minObservations < 2 || minObservations > windowTicks) {
      throw new IllegalArgumentException(
          "minObservations must be in [2, windowTicks]: " + minObservations);
    }
    this.alpha = alpha;
    this.beta = beta;
    this.windowTicks = windowTicks;
    this.minObservations = minObservations;
  }

  /**
   * A fitted model at the last observation.
   *
   * @param level smoothed level at {@code lastTick}
   * @param trend smoothed trend, per tick
   * @param rmse root-mean-square one-step-ahead error over the window (0 with under 3 points)
   * @param observations observations in the window
   * @param lastTick tick of the last observation
   * @param alpha level smoothing used
   * @param beta trend smoothing used
   */
  public record Fit(
      double level,
      double trend,
      double rmse,
      int observations,
      long lastTick,
      double alpha,
      double beta) {

    /** Forecast {@code h} ticks after the last observation. */
    public double forecast(int h) {
      return level + h * trend;
    }

    /** Standard deviation of the {@code h}-step forecast error (ETS(A,A,N) approximation). */
    public double forecastStdDev(int h) {
      double b = alpha * beta;
      double factor = 1 + (h - 1) * (alpha * alpha + alpha * b * h + b * b * h * (2.0 * h - 1) / 6);
      return rmse * Math.sqrt(Math.max(1, factor));
    }
  }

  /** Adds one observation ({@link #offer}, ignoring whether it was taken). */
  @Override
  public void observe(long tick, double demand) {
    offer(tick, demand);
  }

  /**
   * Adds one observation. Ticks not after the last observation and non-finite values are ignored.
   *
   * @return whether the observation was taken
   */
  public boolean offer(long tick, double value) {
    if (!Double.isFinite(value) || (!ticks.isEmpty() && tick <= ticks.peekLast())) {
      return false;
    }
    ticks.addLast(tick);
    values.addLast(value);
    while (ticks.peekFirst() <= tick - windowTicks) {
      ticks.removeFirst();
      values.removeFirst();
    }
    return true;
  }

  @Override
  public OptionalDouble forecast(int horizonTicks) {
    if (ticks.size() < minObservations) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(fit().orElseThrow().forecast(horizonTicks));
  }

  /** The larger of the forecasts 1 and {@code horizonTicks} ticks ahead (the line's higher end). */
  @Override
  public OptionalDouble peak(int horizonTicks) {
    if (ticks.size() < minObservations) {
      return OptionalDouble.empty();
    }
    Fit f = fit().orElseThrow();
    return OptionalDouble.of(Math.max(f.forecast(1), f.forecast(Math.max(1, horizonTicks))));
  }

  /** Observations currently in the window. */
  public int size() {
    return ticks.size();
  }

  /** Fits the window; empty with fewer than two observations. */
  public Optional<Fit> fit() {
    if (ticks.size() < 2) {
      return Optional.empty();
    }
    Iterator<Long> t = ticks.iterator();
    Iterator<Double> v = values.iterator();
    long prevTick = t.next();
    double level = v.next();
    long secondTick = t.next();
    double second = v.next();
    double trend = (second - level) / (secondTick - prevTick);
    level = second;
    prevTick = secondTick;
    double squaredErrors = 0;
    int errors = 0;
    while (t.hasNext()) {
      long tick = t.next();
      double y = v.next();
      long k = tick - prevTick;
      double predicted = level + k * trend;
      double error = y - predicted;
      squaredErrors += error * error;
      errors++;
      double nextLevel = alpha * y + (1 - alpha) * predicted;
      trend = beta * (nextLevel - level) / k + (1 - beta) * trend;
      level = nextLevel;
      prevTick = tick;
    }
    double rmse = errors == 0 ? 0 : Math.sqrt(squaredErrors / errors);
    return Optional.of(new Fit(level, trend, rmse, ticks.size(), prevTick, alpha, beta));
  }
}
