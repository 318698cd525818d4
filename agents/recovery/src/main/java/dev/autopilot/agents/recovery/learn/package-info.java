/**
 * The learned recovery policy: tabular Q-learning over (diagnosed cause, escalation stage,
 * severity) to a {@link dev.autopilot.agents.recovery.learn.RecoveryOption} (every kind of ladder
 * rung, whatever the cause). Pure code: no actor, no simulator; trained by {@code
 * dev.autopilot.runtime.train.RecoveryPolicyTrainingStep}.
 *
 * <p>Why Q-learning rather than a contextual bandit: recovery is sequential. A cheap L1 action that
 * fails still costs its duration plus a verification window before the next rung, and the best
 * first action depends on what the follow-ups cost (try a 20 s task restart first, or go straight
 * to a 2-minute full restart?). Q-learning values an action with the best continuation after it; a
 * bandit would score each action on its immediate outcome only. The state space is small (15 causes
 * x 4 stages x 3 severities), so a table is exact, inspectable in JSON, and needs no function
 * approximation.
 *
 * <p>{@link dev.autopilot.agents.recovery.learn.LearnedRecoveryPolicy} is greedy and deterministic
 * at inference (an action tried earlier in the incident is not repeated). The fixed ladder's rung
 * is its default; it deviates only where both the rung and the better option have enough visits
 * and the gain exceeds a margin (safe policy improvement with baseline bootstrapping), so scarce
 * data never makes it worse than the ladder by luck. It explores (count-based, then ε-greedy) only
 * through its {@code explore} method, which only the trainer calls. {@link dev.autopilot.agents.recovery.learn.RecoveryPolicySelector}
 * returns the learned policy or the fixed ladder, whichever won in validation, as recorded in the
 * bundle component {@code recovery-policy} ({@link
 * dev.autopilot.agents.recovery.learn.RecoveryPolicyModel}).
 */
package dev.autopilot.agents.recovery.learn;
