package dev.autopilot.agents.recovery.detect;

import dev.autopilot.api.Diagnostics.DetectorVote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fusion rule: at least min-votes votes and a weighted score above the threshold. */
class EnsembleVotingTest {

  static final EnsembleSettings DEFAULTS = EnsembleSettings.create(ConfigFactory.load());

  static List<DetectorVote> votes(
      double f, boolean vf, double a, boolean va, double l, boolean vl) {
    return List.of(
        new DetectorVote("iforest", f, vf),
        new DetectorVote("autoencoder", a, va),
        new DetectorVote("lstm", l, vl));
  }

  @Test
  void referenceConfHasTheSpecifiedDefaults() {
    assertEquals(2, DEFAULTS.minVotes());
    assertEquals(0.4, DEFAULTS.iforestWeight());
    assertEquals(0.3, DEFAULTS.autoencoderWeight());
    assertEquals(0.3, DEFAULTS.lstmWeight());
    assertEquals(0.7, DEFAULTS.scoreThreshold());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // case, iforest score/vote, ae score/vote, lstm score/vote, expected weighted, anomaly
    "'2 of 3 and high score', 0.9, true, 0.9, true, 0.2, false, 0.69, false",
    "'2 of 3 and score over 0.7', 0.95, true, 0.9, true, 0.3, false, 0.74, true",
    "'3 of 3 over threshold', 0.8, true, 0.8, true, 0.8, true, 0.8, true",
    "'1 of 3 even at full score', 1.0, true, 1.0, false, 1.0, false, 1.0, false",
    "'3 of 3 but low score', 0.6, true, 0.6, true, 0.6, true, 0.6, false",
    "'nothing', 0.1, false, 0.1, false, 0.1, false, 0.1, false",
  })
  void defaultsNeedTwoVotesAndWeightedScoreAbove07(
      String name,
      double f,
      boolean vf,
      double a,
      boolean va,
      double l,
      boolean vl,
      double weighted,
      boolean anomaly) {
    EnsembleVerdict v = DetectorEnsemble.fuse(DEFAULTS, 7, votes(f, vf, a, va, l, vl));
    assertEquals(weighted, v.weightedScore(), 1e-9);
    assertEquals(anomaly, v.anomaly(), name);
    assertEquals(7, v.tick());
  }

  @Test
  void weightsAreTheConfiguredOnes() {
    EnsembleVerdict v = DetectorEnsemble.fuse(DEFAULTS, 1, votes(1, true, 0, false, 0, false));
    assertEquals(0.4, v.weightedScore(), 1e-9);
    v = DetectorEnsemble.fuse(DEFAULTS, 1, votes(0, false, 1, true, 0, false));
    assertEquals(0.3, v.weightedScore(), 1e-9);
  }

  @Test
  void rulesAreConfigurable() {
    List<DetectorVote> oneStrongVote = votes(0.9, true, 0.5, false, 0.5, false);
    assertFalse(DetectorEnsemble.fuse(DEFAULTS, 1, oneStrongVote).anomaly());
    EnsembleSettings lenient = DEFAULTS.withVoting(1, 0.4, 0.3, 0.3, 0.6);
    assertTrue(DetectorEnsemble.fuse(lenient, 1, oneStrongVote).anomaly());
    // iforest alone decides when it carries all the weight
    EnsembleSettings forestOnly = DEFAULTS.withVoting(1, 1, 0, 0, 0.7);
    EnsembleVerdict v = DetectorEnsemble.fuse(forestOnly, 1, votes(0.75, true, 0, false, 0, false));
    assertEquals(0.75, v.weightedScore(), 1e-9);
    assertTrue(v.anomaly());
    EnsembleSettings allThree = DEFAULTS.withVoting(3, 0.4, 0.3, 0.3, 0.0);
    assertFalse(DetectorEnsemble.fuse(allThree, 1, votes(1, true, 1, true, 1, false)).anomaly());
  }

  @Test
  void badSettingsAreRejectedWithTheKey() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> DEFAULTS.withVoting(4, 0.4, 0.3, 0.3, 0.7));
    assertTrue(e.getMessage().contains("min-votes"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DEFAULTS.withVoting(2, 0, 0, 0, 0.7));
    assertThrows(IllegalArgumentException.class, () -> new DetectorVote("x", 1.5, true));
  }

  @Test
  void scoreMapsThresholdToOneHalf() {
    assertEquals(0.5, VoteScore.ofRatio(1), 1e-12);
    assertEquals(0.75, VoteScore.ofRatio(2), 1e-12);
    assertEquals(0, VoteScore.ofRatio(0), 1e-12);
    assertEquals(0, VoteScore.ofRatio(Double.NaN), 1e-12);
  }
}
