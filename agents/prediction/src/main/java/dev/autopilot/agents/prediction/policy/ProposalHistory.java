package dev.autopilot.agents.prediction.policy;

/**
 * What the agent's journaled state says about its earlier proposals, as far as a policy needs it to
 * hold back repeats.
 *
 * @param lastProposalTick tick of the last proposal, {@code Long.MIN_VALUE} when there was none
 * @param pending whether that proposal still waits for its outcome and has not expired
 * @param lastFailedTick tick a pre-scale was last rolled back or failed, {@code Long.MIN_VALUE}
 *     when never
 */
public record ProposalHistory(long lastProposalTick, boolean pending, long lastFailedTick) {

  /** No proposal so far. */
  public static final ProposalHistory NONE =
      new ProposalHistory(Long.MIN_VALUE, false, Long.MIN_VALUE);

  /** A history without failed proposals. */
  public ProposalHistory(long lastProposalTick, boolean pending) {
    this(lastProposalTick, pending, Long.MIN_VALUE);
  }

  /** Whether {@code tick} is within {@code cooldownTicks} of the last proposal. */
  public boolean inCooldown(long tick, int cooldownTicks) {
    return lastProposalTick != Long.MIN_VALUE && tick - lastProposalTick < cooldownTicks;
  }

  /** Whether {@code tick} is within {@code backoffTicks} of the last rolled-back or failed one. */
  public boolean backedOff(long tick, int backoffTicks) {
    return lastFailedTick != Long.MIN_VALUE && tick - lastFailedTick < backoffTicks;
  }
}
