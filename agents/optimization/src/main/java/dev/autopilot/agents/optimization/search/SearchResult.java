package dev.autopilot.agents.optimization.search;

/**
 * What a search found.
 *
 * @param best the best point evaluated
 * @param bestScore its score
 * @param trajectory the best score so far after each iteration (index 0: after the first evaluated
 *     point)
 * @param bestPoints the best point so far after each iteration (same indices)
 * @param evaluations objective evaluations made
 */
public record SearchResult(
    double[] best, double bestScore, double[] trajectory, double[][] bestPoints, int evaluations) {

  /**
   * The first iteration whose best-so-far score is within {@code tolerance} of {@code optimum}
   * (score ≤ optimum · (1 + tolerance), scores being positive), or -1 if none is.
   */
  public int iterationsToWithin(double optimum, double tolerance) {
    for (int i = 0; i < trajectory.length; i++) {
      if (trajectory[i] <= optimum * (1 + tolerance)) {
        return i;
      }
    }
    return -1;
  }
}
