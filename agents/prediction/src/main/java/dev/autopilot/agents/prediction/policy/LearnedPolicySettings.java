package dev.autopilot.agents.prediction.policy;

import com.typesafe.config.Config;
import dev.autopilot.api.model.DistributionGuard;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Which pre-scale policy the prediction agent runs, read from {@code autopilot.prediction} (keys
 * {@code policy} and {@code decision-threshold}; this module's {@code reference.conf} documents
 * them).
 *
 * @param policy the policy asked for
 * @param thresholdOverride a decision threshold on the violation probability that replaces the
 *     model's calibrated one; empty to use the model's
 * @param oodGuard the violation model's out-of-distribution guard ({@code ood-guard})
 */
public record LearnedPolicySettings(
    Kind policy, OptionalDouble thresholdOverride, DistributionGuard.Settings oodGuard) {

  /** Settings without an out-of-distribution guard (its fraction above 1 disables it). */
  public LearnedPolicySettings(Kind policy, OptionalDouble thresholdOverride) {
    this(policy, thresholdOverride, new DistributionGuard.Settings(1, 1, 2));
  }

  /** The pre-scale policies. */
  public enum Kind {
    /** The learned violation model with the demand forecaster ({@link LearnedPreScalePolicy}). */
    LEARNED,
    /** The Holt-trend baseline ({@link PreScalePolicy}). */
    HOLT;

    /** The name used in the configuration. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The value of {@code decision-threshold} that keeps the model's calibrated threshold. */
  public static final String MODEL_THRESHOLD = "model";

  public LearnedPolicySettings {
    if (policy == null) {
      throw new IllegalArgumentException("autopilot.prediction.policy: must be learned or holt");
    }
    if (oodGuard == null) {
      throw new IllegalArgumentException("autopilot.prediction.ood-guard: missing");
    }
    if (thresholdOverride == null) {
      thresholdOverride = OptionalDouble.empty();
    }
    if (thresholdOverride.isPresent()) {
      double t = thresholdOverride.getAsDouble();
      if (!(t > 0 && t < 1)) {
        throw new IllegalArgumentException(
            "autopilot.prediction.decision-threshold: must be '"
                + MODEL_THRESHOLD
                + "' or a probability in (0, 1), was "
                + t);
      }
    }
  }

  /** Reads {@code autopilot.prediction.policy} and {@code decision-threshold} from the root. */
  public static LearnedPolicySettings create(Config root) {
    Config c = root.getConfig("autopilot.prediction");
    String name = c.getString("policy").trim().toLowerCase(Locale.ROOT);
    Kind kind = null;
    for (Kind k : Kind.values()) {
      if (k.id().equals(name)) {
        kind = k;
      }
    }
    if (kind == null) {
      throw new IllegalArgumentException(
          "autopilot.prediction.policy: unknown policy '"
              + c.getString("policy")
              + "', expected learned or holt");
    }
    String threshold = c.getString("decision-threshold").trim();
    OptionalDouble override;
    if (MODEL_THRESHOLD.equalsIgnoreCase(threshold)) {
      override = OptionalDouble.empty();
    } else {
      try {
        override = OptionalDouble.of(Double.parseDouble(threshold));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "autopilot.prediction.decision-threshold: must be '"
                + MODEL_THRESHOLD
                + "' or a probability in (0, 1), was '"
                + threshold
                + "'");
      }
    }
    Config g = c.getConfig("ood-guard");
    DistributionGuard.Settings guard;
    try {
      guard =
          new DistributionGuard.Settings(
              g.getInt("warmup-ticks"),
              g.getDouble("saturated-score"),
              g.getDouble("max-saturated-fraction"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("autopilot.prediction.ood-guard: " + e.getMessage(), e);
    }
    return new LearnedPolicySettings(kind, override, guard);
  }
}
