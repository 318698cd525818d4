package dev.autopilot.agents.recovery.policy;

/**
 * Running mean and variance of one signal: learned exactly (Welford) over a warm-up; afterwards the
 * mean follows slowly with exponential weights whenever the caller lets it learn (no incident
 * open), so slow drift (diurnal load) becomes the new normal while a fault under investigation does
 * not. The standard deviation never falls below {@code minSigmaFraction * max(|mean|, floor)}, so a
 * noise-free signal does not make every wobble an outlier.
 */
final class Baseline {
  private final int warmup;
  private final double adaptRate;
  private final double minSigmaFraction;
  private final double floor;
  private long n;
  private double mean;
  private double m2;

  Baseline(int warmup, double adaptRate, double minSigmaFraction, double floor) {
    if (warmup < 2) {
      throw new IllegalArgumentException("warm-up must be at least 2 samples, was " + warmup);
    }
    this.warmup = warmup;
    this.adaptRate = adaptRate;
    this.minSigmaFraction = minSigmaFraction;
    this.floor = floor;
  }

  boolean warmedUp() {
    return n >= warmup;
  }

  /** Learns one sample: exactly during warm-up, afterwards by moving the mean slowly towards it. */
  void observe(double x) {
    if (!warmedUp()) {
      n++;
      double d = x - mean;
      mean += d / n;
      m2 += d * (x - mean);
      return;
    }
    // Only the level follows drift; the variance stays as learned over the warm-up.
    mean += adaptRate * (x - mean);
  }

  double mean() {
    return mean;
  }

  /** Moves the learned level to {@code level} at once, keeping the learned variance. */
  void rebase(double level) {
    if (warmedUp() && Double.isFinite(level)) {
      mean = level;
    }
  }

  private double variance() {
    return n < 2 ? 0 : m2 / (n - 1);
  }

  double sigma() {
    return Math.max(Math.sqrt(variance()), minSigmaFraction * Math.max(Math.abs(mean), floor));
  }
}
