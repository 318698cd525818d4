package dev.autopilot.agents.recovery.detect;

import dev.autopilot.agents.recovery.policy.AnomalyModel;
import dev.autopilot.api.Diagnostics;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.model.DistributionGuard;
import java.util.ArrayList;
import java.util.List;

/**
 * The detector ensemble as the recovery policy's {@link AnomalyModel}: one per pipeline entity. It
 * owns its copy of the models (the autoencoder and forecaster hold DJL predictors, which are not
 * thread-safe) and closes them with itself.
 *
 * <p>Each detector has its own {@link DistributionGuard}: a detector whose score is saturated over
 * the pipeline's warm-up is out of its training distribution and does not vote; the others are
 * fused again with the ensemble's rule (their weights renormalised). When fewer detectors than
 * {@code min-votes} remain, the ensemble's verdict is untrusted as a whole (the recovery policy
 * falls back to its CUSUM/EWMA detectors) and says why.
 */
public final class EnsembleAnomalyModel implements AnomalyModel {
  private final DetectorModels models;
  private final DetectorEnsemble ensemble;
  private final EnsembleSettings settings;
  private final DistributionGuard[] guards = new DistributionGuard[3];

  /**
   * @param models this pipeline's copy of the detector models
   * @param settings the voting rules
   * @param guard the out-of-distribution guard's settings (one guard per detector)
   */
  public EnsembleAnomalyModel(
      DetectorModels models, EnsembleSettings settings, DistributionGuard.Settings guard) {
    this.models = models;
    this.settings = settings;
    this.ensemble = models.newEnsemble(settings);
    for (int i = 0; i < guards.length; i++) {
      guards[i] = new DistributionGuard(guard);
    }
  }

  @Override
  public Verdict observe(TelemetrySnapshot s) {
    EnsembleVerdict v = ensemble.evaluate(s);
    return guarded(v, guards, settings);
  }

  /**
   * Feeds each detector's score to its guard and fuses the detectors still in distribution.
   *
   * @param v the ensemble's verdict (votes in the order iforest, autoencoder, lstm)
   * @param guards one guard per detector, same order
   * @param settings the fusion rule
   */
  static Verdict guarded(EnsembleVerdict v, DistributionGuard[] guards, EnsembleSettings settings) {
    List<Diagnostics.DetectorVote> votes = v.votes();
    double[] w = {settings.iforestWeight(), settings.autoencoderWeight(), settings.lstmWeight()};
    List<String> out = new ArrayList<>();
    List<Diagnostics.DetectorVote> kept = new ArrayList<>();
    double sum = 0;
    double total = 0;
    int count = 0;
    int inDistribution = 0;
    for (int i = 0; i < votes.size(); i++) {
      Diagnostics.DetectorVote vote = votes.get(i);
      guards[i].observe(vote.score());
      if (guards[i].outOfDistribution()) {
        out.add(vote.detector() + " (" + guards[i].reason().orElse("") + ")");
        kept.add(
            new Diagnostics.DetectorVote(
                vote.detector() + " (out of distribution)", vote.score(), false));
        continue;
      }
      kept.add(vote);
      inDistribution++;
      sum += w[i] * vote.score();
      total += w[i];
      if (vote.vote()) {
        count++;
      }
    }
    if (out.isEmpty()) {
      return new Verdict(votes, v.anomaly(), v.weightedScore());
    }
    if (inDistribution < settings.minVotes()) {
      return new Verdict(
          kept,
          false,
          v.weightedScore(),
          "ensemble out of distribution: "
              + String.join(", ", out)
              + "; "
              + inDistribution
              + " detector(s) left, "
              + settings.minVotes()
              + " votes needed");
    }
    double weighted = total > 0 ? sum / total : 0;
    return new Verdict(
        kept, count >= settings.minVotes() && weighted > settings.scoreThreshold(), weighted);
  }

  @Override
  public void close() {
    models.close();
  }
}
