package dev.autopilot.agents.optimization.learned;

import dev.autopilot.persistence.JsonSerializable;
import java.util.List;

/**
 * The offline shadow evaluation of a learned policy: the policy and the DS2 baseline each run the
 * same validation seeds (same workload, same faults) and are scored alike. The policy may act only
 * when it {@link #beatsBaseline()}: fewer SLA violations at equal or lower cost. Stored in the
 * policy bundle's manifest and journaled with the promotion.
 *
 * @param validationSeeds the seeds both ran
 * @param ticksPerSeed ticks of event time each seed ran
 * @param policySlaViolationPct share of ticks with an SLA violation under the policy, %
 * @param baselineSlaViolationPct the same under DS2, %
 * @param policyCostPerMillionEvents dollars per million processed events under the policy
 * @param baselineCostPerMillionEvents the same under DS2
 * @param policyMeanReward mean reward per decision under the policy
 * @param baselineMeanReward mean reward per decision under DS2
 * @param beatsBaseline whether the policy had fewer violations at equal or lower cost
 */
public record ShadowEvaluation(
    List<Long> validationSeeds,
    long ticksPerSeed,
    double policySlaViolationPct,
    double baselineSlaViolationPct,
    double policyCostPerMillionEvents,
    double baselineCostPerMillionEvents,
    double policyMeanReward,
    double baselineMeanReward,
    boolean beatsBaseline)
    implements JsonSerializable {

  public ShadowEvaluation {
    validationSeeds = validationSeeds == null ? List.of() : List.copyOf(validationSeeds);
  }

  /** The evaluation of a policy that was never evaluated: it may never act. */
  public static ShadowEvaluation none() {
    return new ShadowEvaluation(List.of(), 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
        Double.NaN, Double.NaN, false);
  }
}
