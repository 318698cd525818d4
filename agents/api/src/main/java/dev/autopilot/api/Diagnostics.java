package dev.autopilot.api;

import java.util.List;
import java.util.Map;

/**
 * What an agent saw at one tick besides its proposals: its detectors' votes, the fused anomaly
 * verdict, the ranked causes and the health indices. It travels with the agent's answer to the
 * meta-agent and on to whoever closes the tick (the control loop, the run scorer); it is not
 * journaled per tick. Evidence that justified an action is journaled with the proposal instead.
 *
 * @param agent the agent
 * @param votes each detector's score and vote, in a fixed order
 * @param anomaly whether the fused verdict calls this tick anomalous
 * @param anomalyScore the fused score in [0, 1]
 * @param causes ranked causes with posteriors (at most 3), empty when nothing is diagnosed
 * @param health health indices in [0, 1] by name ({@code global}, {@code infrastructure}, ...)
 */
public record Diagnostics(
    AgentKind agent,
    List<DetectorVote> votes,
    boolean anomaly,
    double anomalyScore,
    List<CauseEstimate> causes,
    Map<String, Double> health) {

  public Diagnostics {
    votes = votes == null ? List.of() : List.copyOf(votes);
    causes = causes == null ? List.of() : List.copyOf(causes);
    health = health == null ? Map.of() : Map.copyOf(health);
  }

  /**
   * One detector's opinion of one tick.
   *
   * @param detector detector name ({@code iforest}, {@code autoencoder}, {@code lstm}, ...)
   * @param score anomaly score in [0, 1]
   * @param vote whether the detector calls the tick anomalous
   */
  public record DetectorVote(String detector, double score, boolean vote) {
    public DetectorVote {
      if (!(score >= 0 && score <= 1)) {
        throw new IllegalArgumentException(detector + " score must be in [0, 1], got " + score);
      }
    }
  }

  /**
   * A candidate cause.
   *
   * @param mode the failure mode
   * @param posterior its posterior probability
   */
  public record CauseEstimate(FailureMode mode, double posterior) {}

  /** The vote of a detector, or null when it did not vote this tick. */
  public DetectorVote vote(String detector) {
    for (DetectorVote v : votes) {
      if (v.detector().equals(detector)) {
        return v;
      }
    }
    return null;
  }
}
