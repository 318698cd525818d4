package dev.autopilot.agents.recovery.policy;

/**
 * Two-sided tabular CUSUM on standardized values (Page 1954; Montgomery, Introduction to
 * Statistical Quality Control, 9.1). The mean and variance are learned over a warm-up, and the mean
 * then follows slow drift while learning is allowed (no incident open). Each sample {@code z = (x -
 * mean) / sigma} feeds {@code S+ = max(0, S+ + z - k)} and {@code S- = max(0, S- - z - k)}. An
 * alarm fires when either sum exceeds {@code h}, and both sums are reset after it.
 *
 * <p>Mutable working memory of one signal; not thread-safe.
 */
public final class Cusum {

  /** What one sample did. */
  public enum Alarm {
    NONE,
    UP,
    DOWN
  }

  private final double k;
  private final double h;
  private final Baseline baseline;
  private double upper;
  private double lower;
  private long alarms;

  /**
   * @param k reference value, in standard deviations
   * @param h decision threshold, in standard deviations
   * @param warmup samples learned before the chart runs
   * @param adaptRate weight of a new sample in the running mean after warm-up (0 freezes it)
   * @param minSigmaFraction sigma floor as a fraction of max(|mean|, floor)
   * @param floor the signal's smallest meaningful level
   */
  public Cusum(
      double k, double h, int warmup, double adaptRate, double minSigmaFraction, double floor) {
    if (!(k >= 0) || !(h > 0)) {
      throw new IllegalArgumentException("CUSUM needs k >= 0 and h > 0, got " + k + ", " + h);
    }
    this.k = k;
    this.h = h;
    this.baseline = new Baseline(warmup, adaptRate, minSigmaFraction, floor);
  }

  /**
   * Feeds one sample.
   *
   * @param x the value
   * @param learn whether the sample may adapt the baseline (false during an incident)
   */
  public Alarm update(double x, boolean learn) {
    if (!baseline.warmedUp()) {
      baseline.observe(x);
      return Alarm.NONE;
    }
    double z = (x - baseline.mean()) / baseline.sigma();
    upper = Math.max(0, upper + z - k);
    lower = Math.max(0, lower - z - k);
    Alarm alarm = Alarm.NONE;
    if (upper > h) {
      alarm = Alarm.UP;
    } else if (lower > h) {
      alarm = Alarm.DOWN;
    }
    if (alarm != Alarm.NONE) {
      alarms++;
      upper = 0;
      lower = 0;
    }
    if (learn) {
      baseline.observe(x);
    }
    return alarm;
  }

  /**
   * Accepts {@code level} as the signal's new normal: the learned mean moves there (the variance
   * stays) and both cumulative sums restart at 0.
   */
  public void rebase(double level) {
    baseline.rebase(level);
    upper = 0;
    lower = 0;
  }

  public boolean warmedUp() {
    return baseline.warmedUp();
  }

  public double mean() {
    return baseline.mean();
  }

  public double sigma() {
    return baseline.sigma();
  }

  /** Upper cumulative sum, in standard deviations. */
  public double upper() {
    return upper;
  }

  /** Lower cumulative sum, in standard deviations. */
  public double lower() {
    return lower;
  }

  /** Alarms fired so far. */
  public long alarms() {
    return alarms;
  }
}
