package dev.autopilot.agents.optimization.ppo;

/**
 * What one PPO iteration (a rollout and the update on it) saw and did: one row of the learning
 * curve.
 *
 * @param iteration 1 for the trainer's first iteration
 * @param steps transitions collected (the settings' rollout length)
 * @param episodes episodes that ended during the rollout
 * @param meanReward mean reward per step over the rollout
 * @param throughputAchievement mean of the steps' throughput achievement
 * @param latencyCompliance share of the steps whose p99 latency stayed within the SLA
 * @param resourceEfficiency mean of the steps' resource efficiency
 * @param cpuUtilisation mean of the steps' CPU utilisation
 * @param policyLoss mean clipped-surrogate loss over the update's minibatches
 * @param valueLoss mean squared error of the critic over the update's minibatches
 * @param entropy the Gaussian's entropy (nats, summed over action dimensions), mean over the
 *     minibatches
 * @param approxKl mean approximate KL divergence old to new ({@code (r - 1) - log r}) over the
 *     minibatches
 * @param clipFraction share of the transitions whose ratio left {@code [1 - clip, 1 + clip]}
 * @param explainedVariance {@code 1 - Var(returns - values) / Var(returns)} of the rollout's
 *     values before the update (1 is perfect, 0 no better than a constant, NaN if returns are
 *     constant)
 * @param seconds wall-clock time of the iteration
 */
public record IterationStats(
    int iteration,
    int steps,
    int episodes,
    double meanReward,
    double throughputAchievement,
    double latencyCompliance,
    double resourceEfficiency,
    double cpuUtilisation,
    double policyLoss,
    double valueLoss,
    double entropy,
    double approxKl,
    double clipFraction,
    double explainedVariance,
    double seconds) {}
