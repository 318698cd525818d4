package dev.autopilot.runtime.bench;

/**
 * What the learned optimizer did in an agents run, summed over the pipelines: the evidence that its
 * safety path ran (shadow proposals journaled by the meta-agent, promotions and demotions journaled
 * by the optimization agent) and how often it acted.
 *
 * @param shadowProposals shadow proposals the meta-agent journaled (never applied)
 * @param shadowAdmitted of those, the ones admission control let through
 * @param learnedProposals live proposals of a promoted learned policy
 * @param promotions learned policy versions promoted (each version at most once per pipeline)
 * @param demotions of those, the ones demoted back to shadow
 */
public record OptimizerCounts(
    long shadowProposals,
    long shadowAdmitted,
    long learnedProposals,
    long promotions,
    long demotions) {

  /** Nothing happened (DS2 alone, or no optimization agent). */
  public static final OptimizerCounts NONE = new OptimizerCounts(0, 0, 0, 0, 0);

  /** Whether any learned-optimizer activity was seen. */
  public boolean any() {
    return !equals(NONE);
  }

  /** One line for the console. */
  public String describe() {
    return shadowProposals
        + " shadow proposals ("
        + shadowAdmitted
        + " admitted, none applied), "
        + learnedProposals
        + " live learned proposals, "
        + promotions
        + " promotions, "
        + demotions
        + " demotions";
  }
}
