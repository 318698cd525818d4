package dev.autopilot.agents.recovery.drift;

/**
 * EDDM, the early drift detection method (Baena-García et al., "Early Drift Detection Method",
 * 2006), for a stream of prediction outcomes (error or not). It tracks the distance, in samples,
 * between consecutive errors: its running mean {@code p'} and standard deviation {@code s'}. While
 * a model is stable the distance grows or holds; the maximum of {@code p' + 2 s'} is remembered.
 * When {@code (p' + 2 s') / max} falls below the warning level (0.95) the state is WARNING, below
 * the drift level (0.90) DRIFT, after which the statistics restart. No signal is given before
 * {@code minErrors} error distances, and the maximum is tracked only from then on (the early,
 * few-sample spread would otherwise inflate it and cause false drifts).
 *
 * <p>Mutable; not thread-safe.
 */
public final class Eddm {

  /** State after a sample. */
  public enum Level {
    STABLE,
    WARNING,
    DRIFT
  }

  private final double warning;
  private final double drift;
  private final int minErrors;

  private long index;
  private long lastError = -1;
  private long errors;
  private double mean;
  private double m2;
  private double max;
  private double lastRatio = 1;
  private long drifts;
  private Level level = Level.STABLE;

  /**
   * @param warning warning level, 0.95 in the paper
   * @param drift drift level, 0.90 in the paper
   * @param minErrors errors before the detector may signal, 30 in the paper
   */
  public Eddm(double warning, double drift, int minErrors) {
    if (!(drift > 0 && drift < warning && warning <= 1)) {
      throw new IllegalArgumentException(
          "EDDM needs 0 < drift < warning <= 1, got " + drift + ", " + warning);
    }
    if (minErrors < 2) {
      throw new IllegalArgumentException("EDDM needs minErrors >= 2, got " + minErrors);
    }
    this.warning = warning;
    this.drift = drift;
    this.minErrors = minErrors;
  }

  /**
   * Adds one outcome.
   *
   * @param error whether the model erred on this sample
   * @return the state: DRIFT only on the sample that signals it (the statistics then restart)
   */
  public Level update(boolean error) {
    index++;
    if (level == Level.DRIFT) {
      level = Level.STABLE;
      lastRatio = 1;
    }
    if (!error) {
      return level;
    }
    if (lastError < 0) {
      // The first error has no predecessor: its distance is undefined.
      lastError = index;
      return level;
    }
    long distance = index - lastError;
    lastError = index;
    errors++;
    double d = distance - mean;
    mean += d / errors;
    m2 += d * (distance - mean);
    double sd = errors > 1 ? Math.sqrt(m2 / errors) : 0;
    double v = mean + 2 * sd;
    if (errors < minErrors) {
      // The maximum is tracked only once the distance statistics have settled.
      lastRatio = 1;
      level = Level.STABLE;
      return level;
    }
    max = Math.max(max, v);
    lastRatio = max > 0 ? v / max : 1;
    if (lastRatio < drift) {
      level = Level.DRIFT;
      drifts++;
      errors = 0;
      mean = 0;
      m2 = 0;
      max = 0;
    } else {
      level = lastRatio < warning ? Level.WARNING : Level.STABLE;
    }
    return level;
  }

  /** The state after the last sample. */
  public Level level() {
    return level;
  }

  /** {@code (p' + 2 s') / max} of the last error (1 while stable or warming up). */
  public double ratio() {
    return lastRatio;
  }

  /** Drifts signalled so far. */
  public long drifts() {
    return drifts;
  }

  /** Drift score in [0, 1]: 0 at ratio 1, 1 at or below the drift level, linear between. */
  public double score() {
    return Math.max(0, Math.min(1, (1 - lastRatio) / (1 - drift)));
  }
}
