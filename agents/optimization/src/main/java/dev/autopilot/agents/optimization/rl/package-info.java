/**
 * Reinforcement learning for the optimizer: the {@link
 * dev.autopilot.agents.optimization.rl.Environment} port the PPO policy is trained against. Pure:
 * no Pekko, no metrics.
 */
package dev.autopilot.agents.optimization.rl;
