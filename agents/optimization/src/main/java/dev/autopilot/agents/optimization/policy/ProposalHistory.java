package dev.autopilot.agents.optimization.policy;

/**
 * What the agent's journaled state says about its earlier proposals, as far as a policy needs it to
 * hold back repeats.
 *
 * @param lastProposalTick tick of the last proposal, {@code Long.MIN_VALUE} when there was none
 * @param pending whether that proposal still waits for its outcome and has not expired
 * @param lastFailedUpTick tick a scale-up of this agent was last rolled back or failed, {@code
 *     Long.MIN_VALUE} when never
 * @param lastFailedDownTick tick a scale-down of this agent was last rolled back or failed, {@code
 *     Long.MIN_VALUE} when never
 * @param lastRejected whether the meta-agent rejected the last proposal (not chosen, or refused by
 *     admission control): nothing of it was applied
 */
public record ProposalHistory(
    long lastProposalTick,
    boolean pending,
    long lastFailedUpTick,
    long lastFailedDownTick,
    boolean lastRejected) {

  /** No proposal so far. */
  public static final ProposalHistory NONE =
      new ProposalHistory(Long.MIN_VALUE, false, Long.MIN_VALUE, Long.MIN_VALUE, false);

  /** A history whose last proposal was not rejected. */
  public ProposalHistory(
      long lastProposalTick, boolean pending, long lastFailedUpTick, long lastFailedDownTick) {
    this(lastProposalTick, pending, lastFailedUpTick, lastFailedDownTick, false);
  }

  /** A history without failed proposals. */
  public ProposalHistory(long lastProposalTick, boolean pending) {
    this(lastProposalTick, pending, Long.MIN_VALUE, Long.MIN_VALUE);
  }

  /** Whether {@code tick} is within {@code cooldownTicks} of the last proposal. */
  public boolean inCooldown(long tick, int cooldownTicks) {
    return lastProposalTick != Long.MIN_VALUE && tick - lastProposalTick < cooldownTicks;
  }

  /**
   * Whether {@code tick} is within the cooldown of the last proposal: {@code cooldownTicks}, or
   * {@code rejectedRetryTicks} when the meta-agent rejected it.
   */
  public boolean inCooldown(long tick, int cooldownTicks, int rejectedRetryTicks) {
    return inCooldown(
        tick, lastRejected ? Math.min(cooldownTicks, rejectedRetryTicks) : cooldownTicks);
  }

  /**
   * Whether a proposal in {@code direction} is held back at {@code tick}: one in that direction was
   * rolled back or failed less than {@code backoffTicks} ago.
   */
  public boolean backedOff(ScalingDirection direction, long tick, int backoffTicks) {
    long failed = direction == ScalingDirection.UP ? lastFailedUpTick : lastFailedDownTick;
    return failed != Long.MIN_VALUE && tick - failed < backoffTicks;
  }

  /** The tick the back-off in {@code direction} ends ({@code Long.MIN_VALUE} when none). */
  public long backoffEnd(ScalingDirection direction, int backoffTicks) {
    long failed = direction == ScalingDirection.UP ? lastFailedUpTick : lastFailedDownTick;
    return failed == Long.MIN_VALUE ? Long.MIN_VALUE : failed + backoffTicks;
  }
}
