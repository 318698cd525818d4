package dev.autopilot.agents.recovery.detect;

import dev.autopilot.api.Diagnostics.DetectorVote;
import java.util.List;

/**
 * The ensemble's verdict on one tick.
 *
 * @param tick the snapshot's tick
 * @param votes one vote per detector (iforest, autoencoder, lstm)
 * @param weightedScore weighted mean of the detectors' scores, 0-1
 * @param anomaly whether enough detectors voted and the weighted score passed the threshold
 */
public record EnsembleVerdict(
    long tick, List<DetectorVote> votes, double weightedScore, boolean anomaly) {

  public EnsembleVerdict {
    votes = List.copyOf(votes);
  }

  /** Number of detectors that voted anomalous. */
  public int voteCount() {
    int n = 0;
    for (DetectorVote v : votes) {
      if (v.vote()) {
        n++;
      }
    }
    return n;
  }

  /** The vote of one detector. */
  public DetectorVote vote(String detector) {
    for (DetectorVote v : votes) {
      if (v.detector().equals(detector)) {
        return v;
      }
    }
    throw new IllegalArgumentException("no vote of " + detector + " in " + votes);
  }
}
