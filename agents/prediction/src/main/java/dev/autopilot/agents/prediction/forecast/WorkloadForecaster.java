package dev.autopilot.agents.prediction.forecast;

import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * A streaming workload forecaster for seasonal demand (daily and weekly cycles with holidays,
 * events and level shifts), generic in the series' step. Demand is modelled in log space ({@code
 * log1p}) and forecast as the combination of two models, both fed only by observations already made
 * (no look-ahead: a forecast made after tick {@code s} uses ticks {@code <= s}):
 *
 * <ol>
 *   <li><b>Direct ridge regression</b>, one model per horizon of a small grid (1, 2, 4, ... and the
 *       longest horizon). Its features for a target {@code t = s + h} are the seasonal baseline at
 *       {@code t} (median of the values one, two, ... weeks before), the values one day and one
 *       week before {@code t}, the recent pattern's deviation from its own seasonal baseline,
 *       yesterday's deviation and the change since yesterday. Each horizon has one model per
 *       time-of-day bucket (the dynamics at dawn are not those of the evening rush), trained on its
 *       bucket's samples and its neighbours'. The models are fitted online: each observation adds
 *       its sample to the normal equations (bounded memory, no sample store), and the models are
 *       re-solved every {@code refit-every}.
 *   <li><b>Analogs</b> (nearest neighbours): the recent pattern (points one stride apart over the
 *       pattern window) is compared with the pattern at the same time of day (give or take one
 *       stride) on every past day of a long coarse history (one point per stride); the forecast is
 *       the current value plus the mean change the closest analogs went through over the horizon
 *       (interpolated between points when the horizon is not a whole number of strides).
 * </ol>
 *
 * <p>The combined forecast is {@code w * ridge + (1 - w) * analogs} in demand units, per horizon:
 * with adaptive weights, w is the inverse square of the regression's recent absolute log error over
 * the sum of both models' inverse squares (errors smoothed exponentially over {@code
 * error-memory}); otherwise, and until both have errors, {@code regression-weight}. Until the
 * regression has enough history (seasonal weeks plus a day, and enough samples) the analogs alone
 * forecast, and until a day of history exists the forecast is the last observed demand
 * (persistence). Horizons between grid points are interpolated linearly; horizons beyond the
 * longest get the longest horizon's forecast.
 *
 * <p>Optionally ({@code seasonal-change}, with adaptive weights) a third model joins the
 * combination: the current log demand plus the seasonal baseline's change from the origin to the
 * target, weighted by the inverse square of its recent error like the other two once all three have
 * errors. With {@code squared-errors} the recent errors are root mean squares (smoothed squared
 * errors) rather than smoothed absolute errors.
 *
 * <p>Memory is bounded by the full-resolution history (one float per step, seasonal weeks plus a
 * day), the coarse history (one float per stride) and one normal-equation matrix per model. Every
 * observation is scored against the forecasts made for it, adds a few training samples, and
 * forecasts anew (the analog search runs once per stride); its cost does not grow with how long the
 * forecaster has run. Missing or invalid demand (NaN, infinite, negative) and gaps between ticks
 * are recorded as missing; samples touching a missing value are skipped. Ticks that do not increase
 * are ignored. Pure: no clock, no I/O; not thread-safe.
 */
public final class WorkloadForecaster implements DemandForecaster {

  private final int day;
  private final int week;
  private final int weeks;
  private final int stride;
  private final int points;
  private final int maxHorizon;
  private final int neighbours;
  private final int buckets;
  private final int pool;
  private final int refitEvery;
  private final int minSamples;
  private final double regressionWeight;
  private final boolean adaptive;
  private final double errorRate;
  private final long[][] pendingTick;
  private final double[][] pendingRidge;
  private final double[][] pendingAnalog;
  private final double[] ridgeError;
  private final double[] analogError;
  private final boolean squaredErrors;
  private final boolean seasonalChange;
  private final double[][] pendingSeasonal;
  private final double[] seasonalError;

  private final int capacity;
  private final float[] history;
  private final int dayPoints;
  private final int archiveCapacity;
  private final float[] archive;
  private long lastPoint;
  private long last;
  private long observations;

  private final int[] grid;
  private final Ridge[][] models;
  private long lastRefit;

  private final double[] x;
  private final double[] cholesky;
  private final double[] seasonal;
  private final double[] query;
  private final double[] nearDistance;
  private final long[] nearOrigin;

  private long cachedAt;
  private long analogsAt = Long.MIN_VALUE;
  private final double[] deviations;
  private long deviationsAt = Long.MIN_VALUE;
  private int analogsFound;
  private final double[] cached;

  /** A forecaster with the given settings (its step is the spacing of the observed ticks). */
  public WorkloadForecaster(WorkloadSettings settings) {
    day = settings.daySteps();
    week = settings.weekSteps();
    weeks = settings.seasonalWeeks();
    stride = settings.strideSteps();
    points = settings.patternPoints();
    maxHorizon = settings.maxHorizonSteps();
    neighbours = settings.neighbours();
    buckets = Math.min(settings.todBuckets(), day);
    pool = Math.min(settings.todPool(), (buckets - 1) / 2);
    refitEvery = settings.steps(settings.refitEvery());
    minSamples = settings.minTrainingSamples();
    regressionWeight = settings.regressionWeight();
    int lag = weeks * week + Math.max(day, (points - 1) * stride);
    capacity = Math.max(settings.steps(settings.history()), lag) + maxHorizon + stride + 1;
    history = new float[capacity];
    Arrays.fill(history, Float.NaN);
    dayPoints = day / stride;
    archiveCapacity = settings.steps(settings.analogHistory()) / stride + points + 2;
    archive = new float[archiveCapacity];
    Arrays.fill(archive, Float.NaN);
    lastPoint = Long.MIN_VALUE;
    last = Long.MIN_VALUE;
    grid = horizonGrid(maxHorizon);
    int features = 6 + points;
    models = new Ridge[grid.length][buckets];
    for (Ridge[] perBucket : models) {
      for (int b = 0; b < buckets; b++) {
        perBucket[b] = new Ridge(features, settings.ridgeLambda());
      }
    }
    lastRefit = Long.MIN_VALUE;
    x = new double[features];
    cholesky = new double[features * features];
    deviations = new double[points + 1];
    seasonal = new double[weeks];
    query = new double[points];
    nearDistance = new double[neighbours];
    nearOrigin = new long[neighbours];
    cachedAt = Long.MIN_VALUE;
    cached = new double[grid.length];
    adaptive = settings.adaptiveWeights();
    errorRate = 1.0 / settings.steps(settings.errorMemory());
    pendingTick = new long[grid.length][];
    pendingRidge = new double[grid.length][];
    pendingAnalog = new double[grid.length][];
    for (int i = 0; i < grid.length; i++) {
      pendingTick[i] = new long[grid[i]];
      Arrays.fill(pendingTick[i], Long.MIN_VALUE);
      pendingRidge[i] = new double[grid[i]];
      pendingAnalog[i] = new double[grid[i]];
    }
    ridgeError = new double[grid.length];
    analogError = new double[grid.length];
    Arrays.fill(ridgeError, Double.NaN);
    Arrays.fill(analogError, Double.NaN);
    squaredErrors = settings.squaredErrors();
    seasonalChange = settings.seasonalChange();
    pendingSeasonal = new double[grid.length][];
    for (int i = 0; i < grid.length; i++) {
      pendingSeasonal[i] = new double[grid[i]];
    }
    seasonalError = new double[grid.length];
    Arrays.fill(seasonalError, Double.NaN);
  }

  /** Horizons with their own model: 1, 2, 4, ... below the longest, and the longest. */
  static int[] horizonGrid(int maxHorizon) {
    int n = 1;
    for (int h = 2; h < maxHorizon; h *= 2) {
      n++;
    }
    int[] g = new int[maxHorizon == 1 ? 1 : n + 1];
    int i = 0;
    for (int h = 1; h < maxHorizon; h *= 2) {
      g[i++] = h;
    }
    g[i] = maxHorizon;
    return g;
  }

  /** Steps of demand history kept at full resolution (fixed at construction). */
  public int historyCapacity() {
    return capacity;
  }

  /** Points of coarse history kept for the analogs (fixed at construction). */
  public int archiveCapacity() {
    return archiveCapacity;
  }

  /** Observations made so far (ignored ones not counted). */
  public long observations() {
    return observations;
  }

  /** The longest horizon, in steps, the forecaster is trained for. */
  public int maxHorizon() {
    return maxHorizon;
  }

  @Override
  public void observe(long tick, double demand) {
    if (observations > 0 && tick <= last) {
      return;
    }
    if (observations > 0) {
      long gap = Math.min(tick - last - 1, capacity);
      for (long t = tick - gap; t < tick; t++) {
        history[slot(t)] = Float.NaN;
      }
    }
    double v = Double.isFinite(demand) && demand >= 0 ? Math.log1p(demand) : Double.NaN;
    history[slot(tick)] = (float) v;
    long point = Math.floorDiv(tick, stride);
    if (observations > 0) {
      for (long k = Math.max(lastPoint + 1, point - archiveCapacity); k < point; k++) {
        archive[archiveSlot(k)] = Float.NaN;
      }
    }
    if (Math.floorMod(tick, stride) == 0) {
      archive[archiveSlot(point)] = (float) v;
    } else if (observations == 0 || point > lastPoint) {
      archive[archiveSlot(point)] = Float.NaN;
    }
    lastPoint = point;
    last = tick;
    observations++;
    cachedAt = Long.MIN_VALUE;
    if (!Double.isNaN(v)) {
      scorePending(tick, v);
      for (int i = 0; i < grid.length; i++) {
        long origin = tick - grid[i];
        if (Math.floorMod(origin, stride) == 0 && features(origin, grid[i])) {
          int b = bucket(tick);
          for (int d = -pool; d <= pool; d++) {
            models[i][Math.floorMod(b + d, buckets)].add(x, v);
          }
        }
      }
    }
    if (lastRefit == Long.MIN_VALUE || tick - lastRefit >= refitEvery) {
      boolean refitted = false;
      for (Ridge[] perBucket : models) {
        for (Ridge m : perBucket) {
          if (m.samples >= minSamples) {
            m.solve(cholesky);
            refitted = true;
          }
        }
      }
      if (refitted) {
        lastRefit = tick;
      }
    }
    if (observations >= points) {
      compute(tick);
      cachedAt = tick;
    }
  }

  @Override
  public OptionalDouble forecast(int horizonTicks) {
    if (horizonTicks < 1) {
      throw new IllegalArgumentException("horizon must be >= 1 tick, got " + horizonTicks);
    }
    if (!ready()) {
      return OptionalDouble.empty();
    }
    double f = at(Math.min(horizonTicks, maxHorizon));
    return Double.isNaN(f) ? OptionalDouble.empty() : OptionalDouble.of(f);
  }

  @Override
  public OptionalDouble peak(int horizonTicks) {
    if (horizonTicks < 1) {
      throw new IllegalArgumentException("horizon must be >= 1 tick, got " + horizonTicks);
    }
    if (!ready()) {
      return OptionalDouble.empty();
    }
    double peak = Double.NaN;
    for (int h = 1; h <= Math.min(horizonTicks, maxHorizon); h++) {
      double f = at(h);
      if (!Double.isNaN(f) && !(f <= peak)) {
        peak = f;
      }
    }
    return Double.isNaN(peak) ? OptionalDouble.empty() : OptionalDouble.of(peak);
  }

  private boolean ready() {
    return observations >= points && cachedAt == last;
  }

  /** Updates each model's recent error with the forecasts made h steps ago for this tick. */
  private void scorePending(long tick, double v) {
    for (int i = 0; i < grid.length; i++) {
      int slot = Math.floorMod(tick, grid[i]);
      if (pendingTick[i][slot] == tick) {
        ridgeError[i] = ewma(ridgeError[i], pendingRidge[i][slot], v);
        analogError[i] = ewma(analogError[i], pendingAnalog[i][slot], v);
        seasonalError[i] = ewma(seasonalError[i], pendingSeasonal[i][slot], v);
      }
    }
  }

  private double ewma(double error, double predicted, double actual) {
    if (Double.isNaN(predicted)) {
      return error;
    }
    double e = Math.abs(predicted - actual);
    if (squaredErrors) {
      // The root of the smoothed squared error: the weights are then inverse mean squares.
      return Double.isNaN(error)
          ? e
          : Math.sqrt(error * error + errorRate * (e * e - error * error));
    }
    return Double.isNaN(error) ? e : error + errorRate * (e - error);
  }

  /** The forecast h steps ahead (h within the grid's range), interpolated; NaN when none. */
  private double at(int h) {
    int i = 0;
    while (grid[i] < h) {
      i++;
    }
    if (grid[i] == h || i == 0) {
      return cached[i];
    }
    double a = cached[i - 1];
    double b = cached[i];
    if (Double.isNaN(a) || Double.isNaN(b)) {
      return Double.isNaN(a) ? b : a;
    }
    double w = (double) (h - grid[i - 1]) / (grid[i] - grid[i - 1]);
    return a + w * (b - a);
  }

  /** Fills {@link #cached} with the forecasts (demand units) made at origin s for the grid. */
  private void compute(long s) {
    long s0 = Math.floorDiv(s, stride);
    if (s0 != analogsAt) {
      // The analogs depend on the coarse points only: searched once per stride.
      analogsFound = analogs(s);
      analogsAt = s0;
    }
    int found = analogsFound;
    double now = value(s);
    double offset = (double) (s - s0 * stride) / stride;
    for (int i = 0; i < grid.length; i++) {
      int h = grid[i];
      Ridge model = models[i][bucket(s + h)];
      double ridge = model.solved && features(s, h) ? model.predict(x) : Double.NaN;
      double analog = Double.NaN;
      if (found > 0 && !Double.isNaN(now)) {
        double sum = 0;
        int n = 0;
        double ahead = offset + (double) h / stride;
        for (int k = 0; k < found; k++) {
          double d = pointAt(nearOrigin[k] + ahead) - pointAt(nearOrigin[k] + offset);
          if (!Double.isNaN(d)) {
            sum += d;
            n++;
          }
        }
        if (n > 0) {
          analog = now + sum / n;
        }
      }
      // The seasonal change: the current demand plus the baseline's change over the horizon.
      double change = seasonalChange ? now + baseline(s + h) - baseline(s) : Double.NaN;
      int slot = Math.floorMod(s + h, h);
      pendingTick[i][slot] = s + h;
      pendingRidge[i][slot] = ridge;
      pendingAnalog[i][slot] = analog;
      pendingSeasonal[i][slot] = change;
      double f;
      if (!Double.isNaN(ridge) && !Double.isNaN(analog)) {
        double w = regressionWeight;
        if (adaptive
            && !Double.isNaN(change)
            && !Double.isNaN(ridgeError[i])
            && !Double.isNaN(analogError[i])
            && !Double.isNaN(seasonalError[i])) {
          double r = 1 / (1e-12 + ridgeError[i] * ridgeError[i]);
          double a = 1 / (1e-12 + analogError[i] * analogError[i]);
          double c = 1 / (1e-12 + seasonalError[i] * seasonalError[i]);
          f =
              (r * Math.expm1(ridge) + a * Math.expm1(analog) + c * Math.expm1(change))
                  / (r + a + c);
        } else if (adaptive && !Double.isNaN(ridgeError[i]) && !Double.isNaN(analogError[i])) {
          double r = 1 / (1e-12 + ridgeError[i] * ridgeError[i]);
          double a = 1 / (1e-12 + analogError[i] * analogError[i]);
          w = r / (r + a);
          f = w * Math.expm1(ridge) + (1 - w) * Math.expm1(analog);
        } else {
          f = w * Math.expm1(ridge) + (1 - w) * Math.expm1(analog);
        }
      } else if (!Double.isNaN(ridge)) {
        f = Math.expm1(ridge);
      } else if (!Double.isNaN(analog)) {
        f = Math.expm1(analog);
      } else {
        f = Double.isNaN(now) ? Double.NaN : Math.expm1(now);
      }
      cached[i] = Double.isNaN(f) ? Double.NaN : Math.max(0, f);
    }
  }

  /**
   * Finds the closest analogs of the recent pattern at origin s in the coarse history: the points
   * on past days at the same time of day (plus or minus one point) whose last pattern-points points
   * are nearest in squared distance to the latest ones. Returns how many were found (at most {@code
   * neighbours}), their point indices in {@link #nearOrigin}.
   */
  private int analogs(long s) {
    long s0 = Math.floorDiv(s, stride);
    for (int j = 0; j < points; j++) {
      query[j] = point(s0 - j);
      if (Double.isNaN(query[j])) {
        return 0;
      }
    }
    int found = 0;
    long oldest = s0 - archiveCapacity + 1;
    for (long d = 1; s0 - d * dayPoints + 1 - (points - 1) >= oldest; d++) {
      for (int m = -1; m <= 1; m++) {
        long o = s0 - d * dayPoints + m;
        if (o - (points - 1) < oldest) {
          continue;
        }
        double dist = 0;
        for (int j = 0; j < points && dist >= 0; j++) {
          double v = point(o - j);
          dist = Double.isNaN(v) ? -1 : dist + (v - query[j]) * (v - query[j]);
        }
        if (dist < 0 || (found == neighbours && dist >= nearDistance[found - 1])) {
          continue;
        }
        int k = found < neighbours ? found++ : found - 1;
        while (k > 0 && nearDistance[k - 1] > dist) {
          nearDistance[k] = nearDistance[k - 1];
          nearOrigin[k] = nearOrigin[k - 1];
          k--;
        }
        nearDistance[k] = dist;
        nearOrigin[k] = o;
      }
    }
    return found;
  }

  /** The coarse log demand at point k (tick k * stride), or NaN when missing or not kept. */
  private double point(long k) {
    if (observations == 0 || k > lastPoint || lastPoint - k >= archiveCapacity) {
      return Double.NaN;
    }
    return archive[archiveSlot(k)];
  }

  /** The coarse log demand interpolated at a fractional point (NaN when a neighbour is). */
  private double pointAt(double k) {
    long lo = (long) Math.floor(k);
    double w = k - lo;
    double a = point(lo);
    return w == 0 ? a : a + w * (point(lo + 1) - a);
  }

  private int archiveSlot(long k) {
    return (int) Math.floorMod(k, (long) archiveCapacity);
  }

  /** Fills {@link #x} with the regression features for origin o and horizon h; false if missing. */
  private boolean features(long o, int h) {
    long t = o + h;
    double base = baseline(t);
    double lastDay = value(t - day);
    double change = value(o) - lastDay;
    int f = 0;
    x[f++] = 1;
    x[f++] = base;
    x[f++] = lastDay;
    x[f++] = value(t - week);
    x[f++] = change;
    if (o != deviationsAt) {
      // The origin's deviations are the same for every horizon: computed once per origin.
      deviations[0] = value(o - day) - baseline(o - day);
      for (int j = 0; j < points; j++) {
        long p = o - (long) j * stride;
        deviations[j + 1] = value(p) - baseline(p);
      }
      deviationsAt = o;
    }
    for (double d : deviations) {
      x[f++] = d;
    }
    for (double v : x) {
      if (Double.isNaN(v)) {
        return false;
      }
    }
    return true;
  }

  /** The time-of-day bucket of tick t. */
  private int bucket(long t) {
    return (int) (Math.floorMod(t, (long) day) * buckets / day);
  }

  /** Median of the log demand one, two, ... seasonal-weeks weeks before t (NaN if none known). */
  private double baseline(long t) {
    int n = 0;
    for (int k = 1; k <= weeks; k++) {
      double v = value(t - (long) k * week);
      if (!Double.isNaN(v)) {
        int i = n++;
        while (i > 0 && seasonal[i - 1] > v) {
          seasonal[i] = seasonal[i - 1];
          i--;
        }
        seasonal[i] = v;
      }
    }
    if (n == 0) {
      return Double.NaN;
    }
    return n % 2 == 1 ? seasonal[n / 2] : 0.5 * (seasonal[n / 2 - 1] + seasonal[n / 2]);
  }

  /** The log demand at tick t, or NaN when missing or outside the kept history. */
  private double value(long t) {
    if (observations == 0 || t > last || last - t >= capacity) {
      return Double.NaN;
    }
    return history[slot(t)];
  }

  private int slot(long t) {
    return (int) Math.floorMod(t, (long) capacity);
  }

  /** Ridge regression fitted online from its normal equations (intercept not penalised). */
  private static final class Ridge {
    private final int n;
    private final double lambda;
    private final double[] gram; // upper triangle, row by row
    private final double[] moment;
    private final double[] coef;
    long samples;
    boolean solved;

    Ridge(int n, double lambda) {
      this.n = n;
      this.lambda = lambda;
      gram = new double[n * (n + 1) / 2];
      moment = new double[n];
      coef = new double[n];
    }

    /** Index of (a, a) in the packed upper triangle. */
    private int upper(int a) {
      return a * n - a * (a - 1) / 2;
    }

    void add(double[] x, double y) {
      for (int a = 0; a < n; a++) {
        double xa = x[a];
        int row = upper(a) - a;
        for (int b = a; b < n; b++) {
          gram[row + b] += xa * x[b];
        }
        moment[a] += xa * y;
      }
      samples++;
    }

    /**
     * Solves (G + lambda I') c = m by Cholesky in the scratch {@code chol} (n * n); keeps the
     * previous solution if it fails.
     */
    void solve(double[] chol) {
      for (int a = 0; a < n; a++) {
        for (int b = 0; b <= a; b++) {
          double sum = gram[upper(b) + a - b] + (a == b && a > 0 ? lambda : 0);
          for (int k = 0; k < b; k++) {
            sum -= chol[a * n + k] * chol[b * n + k];
          }
          if (a == b) {
            if (!(sum > 1e-12)) {
              return;
            }
            chol[a * n + a] = Math.sqrt(sum);
          } else {
            chol[a * n + b] = sum / chol[b * n + b];
          }
        }
      }
      double[] z = new double[n];
      for (int a = 0; a < n; a++) {
        double sum = moment[a];
        for (int k = 0; k < a; k++) {
          sum -= chol[a * n + k] * z[k];
        }
        z[a] = sum / chol[a * n + a];
      }
      for (int a = n - 1; a >= 0; a--) {
        double sum = z[a];
        for (int k = a + 1; k < n; k++) {
          sum -= chol[k * n + a] * coef[k];
        }
        coef[a] = sum / chol[a * n + a];
      }
      solved = true;
    }

    double predict(double[] x) {
      double y = 0;
      for (int a = 0; a < n; a++) {
        y += coef[a] * x[a];
      }
      return y;
    }
  }
}
