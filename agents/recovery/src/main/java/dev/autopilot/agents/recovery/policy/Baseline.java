package dev.autopilot.agents.recovery.policy;

/**
 * Running mean and variance of one signal: learned exactly (Welford) over a warm-up; afterwards
 * the mean follows with exponential weights while the caller says the signal is in control. The standard deviation
 * never falls below {@code minSigmaFraction * max(|mean|, floor)}, so a noise-free signal does not
 * make every wobble an outlier.
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

  /** Learns one sample during warm-up; afterwards adapts only when {@code inControl}. */
  void observe(double x, boolean inControl) {
    if (!warmedUp()) {
      n++;
      double d = x - mean;
      mean += d / n;
      m2 += d * (x - mean);
      return;
    }
    if (inControl && adaptRate > 0) {
      // Only the level follows slow drift (diurnal load). The variance stays as learned: adapting
      // it from in-control samples only would truncate the tails and shrink sigma.
      mean += adaptRate * (x - mean);
    }
  }

  double mean() {
    return mean;
  }

  private double variance() {
    return n < 2 ? 0 : m2 / (n - 1);
  }

  double sigma() {
    return Math.max(Math.sqrt(variance()), minSigmaFraction * Math.max(Math.abs(mean), floor));
  }
}
