package dev.autopilot.agents.recovery.policy;

import dev.autopilot.api.Diagnostics;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.List;

/**
 * A learned anomaly detector over a pipeline's snapshots (the isolation-forest / autoencoder / LSTM
 * ensemble). Stateful (the LSTM keeps a window) and not thread-safe: one instance per pipeline
 * entity, used only inside its message handling, closed when the entity stops.
 */
public interface AnomalyModel extends AutoCloseable {

  /**
   * Observes the next validated snapshot of the pipeline and judges it.
   *
   * @param s the snapshot; ticks arrive in increasing order
   * @return each detector's vote and the fused verdict
   */
  Verdict observe(TelemetrySnapshot s);

  /** Releases native resources (DJL predictors). */
  @Override
  void close();

  /**
   * The judgement of one snapshot.
   *
   * @param votes each detector's score and vote, in a fixed order
   * @param anomaly the fused verdict (for example at least 2 of 3 votes and a weighted score above
   *     0.7)
   * @param score the fused score in [0, 1]
   * @param outOfDistribution why the model is out of its training distribution on this pipeline
   *     (its verdict must not drive actions), or null when it is not
   */
  record Verdict(
      List<Diagnostics.DetectorVote> votes,
      boolean anomaly,
      double score,
      String outOfDistribution) {
    public Verdict {
      votes = List.copyOf(votes);
    }

    /** A verdict of a model in its training distribution. */
    public Verdict(List<Diagnostics.DetectorVote> votes, boolean anomaly, double score) {
      this(votes, anomaly, score, null);
    }

    /** Whether the verdict may drive actions (the model is in its training distribution). */
    public boolean trusted() {
      return outOfDistribution == null;
    }
  }
}
