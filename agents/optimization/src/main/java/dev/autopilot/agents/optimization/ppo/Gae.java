package dev.autopilot.agents.optimization.ppo;

/**
 * Generalized advantage estimation (Schulman et al. 2016) over one rollout that may hold several
 * episodes. For step t with {@code next = done[t] ? 0 : 1} and {@code v[T] = lastValue}:
 *
 * <pre>
 *   delta[t] = r[t] + gamma * v[t+1] * next - v[t]
 *   adv[t]   = delta[t] + gamma * lambda * next * adv[t+1]
 *   ret[t]   = adv[t] + v[t]
 * </pre>
 *
 * A step that ended its episode ({@code done}) neither bootstraps from the next state's value nor
 * carries the next advantages back (they belong to the next episode). The last value bootstraps a
 * rollout cut off in the middle of an episode; pass 0 when the last step ended its episode (it is
 * not used then anyway).
 */
public final class Gae {

  private Gae() {}

  /**
   * Advantages and returns (the critic's targets), one per step.
   *
   * @param advantages GAE advantages
   * @param returns advantages plus the values they were computed from
   */
  public record Result(double[] advantages, double[] returns) {}

  /**
   * Computes the advantages and returns of one rollout.
   *
   * @param rewards reward of each step
   * @param values the critic's value of each step's state
   * @param dones whether each step ended its episode
   * @param lastValue the value of the state after the last step (the bootstrap)
   * @param gamma discount factor
   * @param lambda GAE lambda
   * @throws IllegalArgumentException when the arrays differ in length
   */
  public static Result compute(
      double[] rewards,
      double[] values,
      boolean[] dones,
      double lastValue,
      double gamma,
      double lambda) {
    int n = rewards.length;
    if (values.length != n || dones.length != n) {
      throw new IllegalArgumentException(
          "rewards, values and dones differ in length: "
              + n
              + ", "
              + values.length
              + ", "
              + dones.length);
    }
    double[] adv = new double[n];
    double[] ret = new double[n];
    double next = 0;
    for (int t = n - 1; t >= 0; t--) {
      double nextValue = t == n - 1 ? lastValue : values[t + 1];
      double notDone = dones[t] ? 0 : 1;
      double delta = rewards[t] + gamma * nextValue * notDone - values[t];
      next = delta + gamma * lambda * notDone * next;
      adv[t] = next;
      ret[t] = next + values[t];
    }
    return new Result(adv, ret);
  }
}
