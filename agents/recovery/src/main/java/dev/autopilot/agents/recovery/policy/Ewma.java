package dev.autopilot.agents.recovery.policy;

/**
 * EWMA control chart (Roberts 1959; Montgomery 9.2): {@code z_t = lambda x_t + (1 - lambda)
 * z_{t-1}}, started at the learned mean, with control limits {@code mean +- L sigma sqrt(lambda /
 * (2 - lambda) (1 - (1 - lambda)^(2t)))}. The mean and variance are learned over a warm-up, and the
 * mean then follows slow drift while learning is allowed (no incident open).
 *
 * <p>Mutable working memory of one signal; not thread-safe.
 */
public final class Ewma {

  /** Where the statistic is relative to the limits. */
  public enum Alarm {
    NONE,
    UP,
    DOWN
  }

  private final double lambda;
  private final double limitWidth;
  private final Baseline baseline;
  private double statistic;
  private long t;

  /**
   * @param lambda smoothing weight (0, 1]
   * @param limitWidth L, in standard deviations of the statistic
   * @param warmup samples learned before the chart runs
   * @param adaptRate weight of a new sample in the running mean after warm-up (0 freezes it)
   * @param minSigmaFraction sigma floor as a fraction of max(|mean|, floor)
   * @param floor the signal's smallest meaningful level
   */
  public Ewma(
      double lambda,
      double limitWidth,
      int warmup,
      double adaptRate,
      double minSigmaFraction,
      double floor) {
    if (!(lambda > 0 && lambda <= 1) || !(limitWidth > 0)) {
      throw new IllegalArgumentException("EWMA needs 0 < lambda <= 1 and L > 0");
    }
    this.lambda = lambda;
    this.limitWidth = limitWidth;
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
      statistic = baseline.mean();
      return Alarm.NONE;
    }
    t++;
    statistic = lambda * x + (1 - lambda) * statistic;
    double limit = limitWidth * statisticSigma();
    double deviation = statistic - baseline.mean();
    Alarm alarm = Alarm.NONE;
    if (deviation > limit) {
      alarm = Alarm.UP;
    } else if (deviation < -limit) {
      alarm = Alarm.DOWN;
    }
    if (learn) {
      baseline.observe(x);
    }
    return alarm;
  }

  private double statisticSigma() {
    double factor = lambda / (2 - lambda) * (1 - Math.pow(1 - lambda, 2.0 * t));
    return baseline.sigma() * Math.sqrt(factor);
  }

  /**
   * Accepts {@code level} as the signal's new normal: the learned mean moves there (the variance
   * stays) and the statistic restarts at it.
   */
  public void rebase(double level) {
    baseline.rebase(level);
    if (baseline.warmedUp()) {
      statistic = baseline.mean();
      t = 0;
    }
  }

  public boolean warmedUp() {
    return baseline.warmedUp();
  }

  /** The learned baseline mean of the signal. */
  public double mean() {
    return baseline.mean();
  }

  public double sigma() {
    return baseline.sigma();
  }

  /** The current EWMA statistic. */
  public double statistic() {
    return statistic;
  }
}
