package dev.autopilot.agents.optimization.search;

/**
 * What a search minimises: a score per point of a {@link ConfigSpace}, lower is better. The
 * optimizer's objective is {@link SlaCostObjective}, evaluated either over the performance model
 * (what the agent can afford online) or, in agent-runtime, over the simulator itself (the truth the
 * searches are graded against). Implementations must be deterministic: the same point gives the
 * same score.
 */
@FunctionalInterface
public interface Objective {

  /**
   * Scores a point.
   *
   * @param x a point of the search's space (inside its bounds, not necessarily snapped)
   * @return the score; lower is better; finite
   */
  double score(double[] x);
}
