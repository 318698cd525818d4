package dev.autopilot.agents.optimization.rl;

/**
 * The world the PPO policy learns in: {@code agents/optimization} defines this port and {@code
 * agent-runtime} implements it over the SimulatedPlatform. Episodic, and deterministic for a seed:
 * the same seed and the same actions give the same states and rewards.
 *
 * <p>One step is one decision interval of the learned optimizer (a fixed number of ticks of event
 * time, chosen by the implementation and documented there). States are the 45-dimensional vectors
 * of the optimizer's state encoder; actions are 8 values in [-1, 1] (the tanh outputs of the actor)
 * that the optimizer's action space scales into configuration changes.
 */
public interface Environment extends AutoCloseable {

  /** Length of a state vector. */
  int stateSize();

  /** Length of an action vector. */
  int actionSize();

  /**
   * Starts a new episode.
   *
   * @param seed the episode's seed (workload, faults, noise)
   * @return the first state
   */
  double[] reset(long seed);

  /**
   * Applies one action and advances one decision interval.
   *
   * @param action {@link #actionSize()} values, each in [-1, 1] (values outside are clamped)
   * @return the next state, the reward earned over the interval, whether the episode ended, and
   *     the parts of the reward
   * @throws IllegalStateException when called before {@link #reset(long)} or after the episode
   *     ended
   */
  Step step(double[] action);

  /**
   * One transition.
   *
   * @param state the state after the step
   * @param reward the reward of the step
   * @param done whether the episode ended with this step
   * @param info the parts of the reward and the figures of the learning curve
   */
  record Step(double[] state, double reward, boolean done, StepInfo info) {}

  /**
   * What one step achieved, for the learning curve (averaged per iteration).
   *
   * @param throughputAchievement processed / required throughput over the interval, capped at 1
   * @param latencyCompliant whether p99 latency stayed within the SLA over the interval
   * @param resourceEfficiency useful CPU share of the requested CPU, 0–1
   * @param configChanges configuration changes applied in the last minute of event time
   * @param cpuUtilisation mean CPU utilisation of the TaskManagers, 0–1
   * @param costDollars what the pipeline cost over the interval
   */
  record StepInfo(
      double throughputAchievement,
      boolean latencyCompliant,
      double resourceEfficiency,
      int configChanges,
      double cpuUtilisation,
      double costDollars) {}

  @Override
  default void close() {}
}
