package dev.autopilot.agents.prediction.forecast;

import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * A streaming workload forecaster for seasonal demand (daily and weekly cycles with holidays,
 * events and level shifts), generic in the series' step. Demand is modelled in log space
 * ({@code log1p}) and forecast as the combination of two models, both fed only by observations
 * already made (no look-ahead: a forecast made after tick {@code s} uses ticks {@code <= s}):
 *
 * <ol>
 *   <li><b>Direct ridge regression</b>, one model per horizon of a small grid (1, 2, 4, ... and
 *       the longest horizon). Its features for a target {@code t = s + h} are the seasonal
 *       baseline at {@code t} (median of the values one, two, ... weeks before), the values one
 *       day and one week before {@code t}, the recent pattern's deviation from its own seasonal
 *       baseline, yesterday's deviation and the change since yesterday. Each horizon has one model
 *       per time-of-day bucket (the dynamics at dawn are not those of the evening rush), trained
 *       on its bucket's samples and its neighbours'. The models are fitted online: each observation
 *       adds its sample to the normal equations (bounded memory, no sample store), and the models
 *       are re-solved every {@code refit-every}.
 *   <li><b>Analogs</b> (nearest neighbours): the recent pattern (points sampled over the pattern
 *       window) is compared with the pattern at the same time of day (give or take one stride) on
 *       every past day in the history; the forecast is the current value plus the mean change the
 *       closest analogs went through over the horizon.
 * </ol>
 *
 * <p>The combined forecast is {@code w * ridge + (1 - w) * analogs} in demand units. Until the
 * regression has enough history (seasonal weeks plus a day, and enough samples) the analogs alone
 * forecast, and until a day of history exists the forecast is the last observed demand
 * (persistence). Horizons between grid points are interpolated linearly; horizons beyond the
 * longest get the longest horizon's forecast.
 *
 * <p>Memory is bounded by the history (one float per step) plus one normal-equation matrix per
 * model; an observation costs a few model updates and a forecast one analog search, both
 * independent of how long the forecaster has run. Missing or invalid demand (NaN, infinite,
 * negative) and gaps between ticks are recorded as missing; samples touching a missing value are
 * skipped. Ticks that do not increase are ignored. Pure: no clock, no I/O; not thread-safe.
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

  private final int capacity;
  private final float[] history;
  private long last;
  private long observations;

  private final int[] grid;
  private final Ridge[][] models;
  private long lastRefit;

  private final double[] x;
  private final double[] seasonal;
  private final double[] query;
  private final double[] nearDistance;
  private final long[] nearOrigin;

  private long cachedAt;
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
    seasonal = new double[weeks];
    query = new double[points];
    nearDistance = new double[neighbours];
    nearOrigin = new long[neighbours];
    cachedAt = Long.MIN_VALUE;
    cached = new double[grid.length];
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

  /** Steps of demand history kept (the memory bound, fixed at construction). */
  public int historyCapacity() {
    return capacity;
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
    last = tick;
    observations++;
    cachedAt = Long.MIN_VALUE;
    if (!Double.isNaN(v)) {
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
            m.solve();
            refitted = true;
          }
        }
      }
      if (refitted) {
        lastRefit = tick;
      }
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
    if (observations < points) {
      return false;
    }
    if (cachedAt != last) {
      compute(last);
      cachedAt = last;
    }
    return true;
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
    int found = analogs(s);
    double now = value(s);
    for (int i = 0; i < grid.length; i++) {
      int h = grid[i];
      Ridge model = models[i][bucket(s + h)];
      double ridge = model.solved && features(s, h) ? Math.expm1(model.predict(x)) : Double.NaN;
      double analog = Double.NaN;
      if (found > 0 && !Double.isNaN(now)) {
        double sum = 0;
        int n = 0;
        for (int k = 0; k < found; k++) {
          double d = value(nearOrigin[k] + h) - value(nearOrigin[k]);
          if (!Double.isNaN(d)) {
            sum += d;
            n++;
          }
        }
        if (n > 0) {
          analog = Math.expm1(now + sum / n);
        }
      }
      double f;
      if (!Double.isNaN(ridge) && !Double.isNaN(analog)) {
        f = regressionWeight * ridge + (1 - regressionWeight) * analog;
      } else if (!Double.isNaN(ridge)) {
        f = ridge;
      } else if (!Double.isNaN(analog)) {
        f = analog;
      } else {
        f = Double.isNaN(now) ? Double.NaN : Math.expm1(now);
      }
      cached[i] = Double.isNaN(f) ? Double.NaN : Math.max(0, f);
    }
  }

  /**
   * Finds the closest analogs of the recent pattern at origin s: origins on past days at the same
   * time of day (plus or minus one stride) whose pattern is nearest in squared distance. Returns
   * how many were found (at most {@code neighbours}), in {@link #nearOrigin}.
   */
  private int analogs(long s) {
    for (int j = 0; j < points; j++) {
      query[j] = value(s - (long) j * stride);
      if (Double.isNaN(query[j])) {
        return 0;
      }
    }
    int found = 0;
    long oldest = s - capacity + 1;
    for (long d = 1; ; d++) {
      long centre = s - d * day;
      if (centre + stride - (long) (points - 1) * stride < oldest) {
        break;
      }
      for (int m = -1; m <= 1; m++) {
        long o = centre + (long) m * stride;
        if (o - (long) (points - 1) * stride < oldest) {
          continue;
        }
        double dist = 0;
        for (int j = 0; j < points && dist >= 0; j++) {
          double v = value(o - (long) j * stride);
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
    x[f++] = value(o - day) - baseline(o - day);
    x[f++] = change;
    for (int j = 0; j < points; j++) {
      long p = o - (long) j * stride;
      x[f++] = value(p) - baseline(p);
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
    private final double[] gram;
    private final double[] moment;
    private final double[] chol;
    private final double[] coef;
    long samples;
    boolean solved;

    Ridge(int n, double lambda) {
      this.n = n;
      this.lambda = lambda;
      gram = new double[n * n];
      moment = new double[n];
      chol = new double[n * n];
      coef = new double[n];
    }

    void add(double[] x, double y) {
      for (int a = 0; a < n; a++) {
        double xa = x[a];
        int row = a * n;
        for (int b = a; b < n; b++) {
          gram[row + b] += xa * x[b];
        }
        moment[a] += xa * y;
      }
      samples++;
    }

    /** Solves (G + lambda I') c = m by Cholesky; keeps the previous solution if it fails. */
    void solve() {
      for (int a = 0; a < n; a++) {
        for (int b = 0; b <= a; b++) {
          double sum = gram[b * n + a] + (a == b && a > 0 ? lambda : 0);
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
