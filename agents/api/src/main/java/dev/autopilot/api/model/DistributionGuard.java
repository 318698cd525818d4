package dev.autopilot.api.model;

import java.util.Locale;
import java.util.Optional;

/**
 * Out-of-distribution guard of one learned model on one pipeline: it watches the model's scores
 * over the pipeline's first {@code warmupTicks} scored ticks, when the pipeline is assumed healthy
 * (the same assumption the CUSUM/EWMA baselines make), and declares the model out of its training
 * distribution when at least {@code maxSaturatedFraction} of them scored {@code saturatedScore} or
 * more. A model that calls a healthy pipeline anomalous (or violating) at almost every tick is not
 * seeing the telemetry it was trained on; its output must not drive actions, and the caller falls
 * back to its rule-based baseline for that pipeline.
 *
 * <p>The verdict is re-judged over each later block of {@code warmupTicks} scored ticks only while
 * the model is out of distribution: a block whose saturated share falls below the bound restores it
 * (the telemetry moved back into its range). A model judged in distribution stays so: after the
 * warm-up, high scores are what the model exists to report (anomalies, violations), not a sign of a
 * foreign input. Not thread-safe; one instance per pipeline and model.
 */
public final class DistributionGuard {

  /**
   * @param warmupTicks scored ticks per judgement (at least 1)
   * @param saturatedScore a score at or above this counts as saturated (in (0, 1])
   * @param maxSaturatedFraction the model is out of distribution when at least this share of a
   *     block's ticks are saturated (in (0, 1]); above 1 disables the guard
   */
  public record Settings(int warmupTicks, double saturatedScore, double maxSaturatedFraction) {
    public Settings {
      if (warmupTicks < 1) {
        throw new IllegalArgumentException("warmup-ticks must be at least 1, got " + warmupTicks);
      }
      if (!(saturatedScore > 0 && saturatedScore <= 1)) {
        throw new IllegalArgumentException(
            "saturated-score must be in (0, 1], got " + saturatedScore);
      }
      if (!(maxSaturatedFraction > 0)) {
        throw new IllegalArgumentException(
            "max-saturated-fraction must be above 0 (above 1 disables the guard), got "
                + maxSaturatedFraction);
      }
    }

    /** Whether the guard can ever fire. */
    public boolean enabled() {
      return maxSaturatedFraction <= 1;
    }
  }

  private final Settings settings;
  private int blockTicks;
  private int blockSaturated;
  private boolean judged;
  private boolean outOfDistribution;
  private String reason;

  public DistributionGuard(Settings settings) {
    this.settings = settings;
  }

  /**
   * Records the model's score of one tick. Non-finite scores are not counted (the model gave no
   * score).
   *
   * @param score the model's score in [0, 1]
   */
  public void observe(double score) {
    if (!settings.enabled() || !Double.isFinite(score) || (judged && !outOfDistribution)) {
      return;
    }
    blockTicks++;
    if (score >= settings.saturatedScore()) {
      blockSaturated++;
    }
    if (blockTicks < settings.warmupTicks()) {
      return;
    }
    double share = (double) blockSaturated / blockTicks;
    outOfDistribution = share >= settings.maxSaturatedFraction();
    reason =
        String.format(
            Locale.ROOT,
            "%d of %d %s scored >= %.2f (out of distribution at >= %.0f%%)",
            blockSaturated,
            blockTicks,
            judged ? "recent ticks" : "warm-up ticks",
            settings.saturatedScore(),
            settings.maxSaturatedFraction() * 100);
    judged = true;
    blockTicks = 0;
    blockSaturated = 0;
  }

  /** Whether the model has been judged out of its training distribution on this pipeline. */
  public boolean outOfDistribution() {
    return outOfDistribution;
  }

  /** Whether the warm-up has been judged yet. */
  public boolean judged() {
    return judged;
  }

  /** Why the model is out of distribution, when it is. */
  public Optional<String> reason() {
    return outOfDistribution ? Optional.of(reason) : Optional.empty();
  }
}
