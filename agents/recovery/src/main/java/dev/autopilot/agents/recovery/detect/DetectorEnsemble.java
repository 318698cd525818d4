package dev.autopilot.agents.recovery.detect;

import dev.autopilot.api.Diagnostics.DetectorVote;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.List;

/**
 * The learned detector ensemble of one pipeline: it turns each snapshot into {@link
 * SnapshotFeatures}, asks the isolation forest, the autoencoder and the LSTM detector for a {@link
 * DetectorVote}, and fuses them: the tick is anomalous when at least {@code minVotes} detectors
 * vote and the weighted mean of their scores exceeds {@code scoreThreshold}. A detector's vote is
 * persistent: its score must have been over its own threshold on {@code persistenceK} of its last
 * {@code persistenceN} ticks ({@link EnsembleSettings}), which removes single-tick noise.
 *
 * <p>Stateful (feature deltas, the LSTM window) and <b>not thread-safe</b>; build one per pipeline
 * with {@link DetectorModels#newEnsemble} and use it from the thread that owns the models.
 */
public final class DetectorEnsemble {

  private final EnsembleSettings settings;
  private final SnapshotFeatures features = new SnapshotFeatures();
  private final IsolationForestDetector iforest;
  private final AutoencoderDetector autoencoder;
  private final LstmDetector lstm;
  private final VotePersistence persistence;

  public DetectorEnsemble(
      EnsembleSettings settings,
      IsolationForestDetector iforest,
      AutoencoderDetector autoencoder,
      LstmDetector lstm) {
    this.settings = settings;
    this.iforest = iforest;
    this.autoencoder = autoencoder;
    this.lstm = lstm;
    this.persistence = new VotePersistence(settings.persistenceK(), settings.persistenceN(), 3);
  }

  /** Scores the pipeline's next snapshot. */
  public EnsembleVerdict evaluate(TelemetrySnapshot snapshot) {
    return evaluate(snapshot.tick(), features.next(snapshot));
  }

  /** Scores a feature vector already extracted (in tick order). */
  public EnsembleVerdict evaluate(long tick, float[] f) {
    return fuse(
        settings,
        tick,
        persistence.apply(List.of(iforest.vote(f), autoencoder.vote(f), lstm.observe(f))));
  }

  /**
   * The fusion rule on its own: votes in the order iforest, autoencoder, lstm.
   *
   * @param votes exactly three votes, in that order
   */
  public static EnsembleVerdict fuse(EnsembleSettings s, long tick, List<DetectorVote> votes) {
    if (votes.size() != 3) {
      throw new IllegalArgumentException("the ensemble fuses 3 votes, got " + votes.size());
    }
    double[] w = {s.iforestWeight(), s.autoencoderWeight(), s.lstmWeight()};
    double sum = 0;
    double total = 0;
    int count = 0;
    for (int i = 0; i < 3; i++) {
      DetectorVote v = votes.get(i);
      sum += w[i] * v.score();
      total += w[i];
      if (v.vote()) {
        count++;
      }
    }
    double weighted = sum / total;
    boolean anomaly = count >= s.minVotes() && weighted > s.scoreThreshold();
    return new EnsembleVerdict(tick, votes, weighted, anomaly);
  }

  public EnsembleSettings settings() {
    return settings;
  }
}
