/**
 * PPO for the learned optimizer: {@link dev.autopilot.agents.optimization.ppo.PpoTrainer} trains a
 * Gaussian actor and a critic against an {@link dev.autopilot.agents.optimization.rl.Environment}
 * (DJL on PyTorch for the update), and {@link dev.autopilot.agents.optimization.ppo.PpoPolicy} is
 * the trained, self-contained policy that runs in plain Java. Pure: no Pekko, no metrics, no clock.
 */
package dev.autopilot.agents.optimization.ppo;
