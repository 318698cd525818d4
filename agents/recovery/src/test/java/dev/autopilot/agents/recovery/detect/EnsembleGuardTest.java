package dev.autopilot.agents.recovery.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.recovery.policy.AnomalyModel;
import dev.autopilot.api.Diagnostics.DetectorVote;
import dev.autopilot.api.model.DistributionGuard;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ensemble's per-detector out-of-distribution guards (defaults: 2 votes, 0.4/0.3/0.3). */
class EnsembleGuardTest {
  static final EnsembleSettings SETTINGS = EnsembleSettings.create(ConfigFactory.load());
  static final DistributionGuard.Settings GUARD = EnsembleSettings.oodGuard(ConfigFactory.load());

  static DistributionGuard[] guards() {
    return new DistributionGuard[] {
      new DistributionGuard(GUARD), new DistributionGuard(GUARD), new DistributionGuard(GUARD)
    };
  }

  static EnsembleVerdict verdict(double iforest, double autoencoder, double lstm) {
    List<DetectorVote> votes =
        List.of(
            new DetectorVote("iforest", iforest, iforest > 0.5),
            new DetectorVote("autoencoder", autoencoder, autoencoder > 0.5),
            new DetectorVote("lstm", lstm, lstm > 0.5));
    return DetectorEnsemble.fuse(SETTINGS, 0, votes);
  }

  @Test
  void twoSaturatedDetectorsOfThreeLeaveTooFewVotesAndTheVerdictIsUntrusted() {
    DistributionGuard[] g = guards();
    AnomalyModel.Verdict v = null;
    for (int t = 0; t < GUARD.warmupTicks(); t++) {
      v = EnsembleAnomalyModel.guarded(verdict(1.0, 1.0, 0.0), g, SETTINGS);
    }
    assertFalse(v.trusted());
    assertFalse(v.anomaly());
    assertTrue(
        v.outOfDistribution()
            .startsWith(
                "ensemble out of distribution: iforest (15 of 15 warm-up ticks scored >= 0.95"),
        v.outOfDistribution());
    assertTrue(v.outOfDistribution().endsWith("1 detector(s) left, 2 votes needed"));
    assertEquals(
        List.of("iforest (out of distribution)", "autoencoder (out of distribution)", "lstm"),
        v.votes().stream().map(DetectorVote::detector).toList());
  }

  @Test
  void oneSaturatedDetectorIsLeftOutAndTheOthersAreFusedAgain() {
    DistributionGuard[] g = guards();
    for (int t = 0; t < GUARD.warmupTicks(); t++) {
      assertNull(
          EnsembleAnomalyModel.guarded(verdict(1.0, 0.1, 0.1), g, SETTINGS).outOfDistribution());
    }
    // the autoencoder and the LSTM vote: (0.3 * 0.9 + 0.3 * 0.8) / 0.6 = 0.85 > 0.7
    AnomalyModel.Verdict v = EnsembleAnomalyModel.guarded(verdict(1.0, 0.9, 0.8), g, SETTINGS);
    assertTrue(v.trusted());
    assertTrue(v.anomaly());
    assertEquals(0.85, v.score(), 1e-9);
    // the saturated isolation forest no longer carries a lone vote into an anomaly
    AnomalyModel.Verdict quiet = EnsembleAnomalyModel.guarded(verdict(1.0, 0.9, 0.1), g, SETTINGS);
    assertFalse(quiet.anomaly());
    assertFalse(quiet.votes().get(0).vote());
  }

  @Test
  void detectorsInDistributionPassTheEnsembleVerdictThrough() {
    DistributionGuard[] g = guards();
    for (int t = 0; t < 40; t++) {
      EnsembleVerdict e = verdict(t < 15 ? 0.1 : 1.0, t < 15 ? 0.2 : 0.9, 0.3);
      AnomalyModel.Verdict v = EnsembleAnomalyModel.guarded(e, g, SETTINGS);
      assertTrue(v.trusted());
      assertEquals(e.anomaly(), v.anomaly(), "tick " + t);
      assertEquals(e.weightedScore(), v.score());
    }
  }
}
