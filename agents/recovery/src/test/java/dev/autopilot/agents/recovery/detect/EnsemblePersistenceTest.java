package dev.autopilot.agents.recovery.detect;

import dev.autopilot.api.Diagnostics.DetectorVote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The k-of-n persistence rule ({@link VotePersistence}) and its settings. */
class EnsemblePersistenceTest {

  private static List<DetectorVote> raw(boolean forest, boolean ae, boolean lstm) {
    return List.of(
        new DetectorVote("iforest", forest ? 0.8 : 0.2, forest),
        new DetectorVote("autoencoder", ae ? 0.8 : 0.2, ae),
        new DetectorVote("lstm", lstm ? 0.8 : 0.2, lstm));
  }

  @Test
  void defaultsAreThreeOfFive() {
    EnsembleSettings s = EnsembleSettings.create(ConfigFactory.load());
    assertEquals(3, s.persistenceK());
    assertEquals(5, s.persistenceN());
  }

  @Test
  void aSingleTickSpikeDoesNotVoteButAPersistentOneDoes() {
    VotePersistence p = new VotePersistence(3, 5, 3);
    for (int t = 0; t < 5; t++) {
      p.apply(raw(false, false, false));
    }
    List<DetectorVote> spike = p.apply(raw(true, false, false));
    assertFalse(spike.get(0).vote(), "1 of 5 is not persistent");
    assertEquals(0.8, spike.get(0).score(), "scores pass through");
    assertFalse(p.apply(raw(false, false, false)).get(0).vote());
    assertFalse(p.apply(raw(true, false, false)).get(0).vote(), "2 of 5");
    List<DetectorVote> third = p.apply(raw(true, true, false));
    assertTrue(third.get(0).vote(), "3 of the last 5");
    assertFalse(third.get(1).vote(), "detectors are counted separately");
    // the window slides: two normal ticks later only 2 of the last 5 are on
    assertTrue(p.apply(raw(false, false, false)).get(0).vote(), "still 3 of the last 5");
    assertFalse(p.apply(raw(false, false, false)).get(0).vote(), "2 of the last 5");
  }

  @Test
  void oneOfOneIsTheRawVote() {
    VotePersistence p = new VotePersistence(1, 1, 3);
    assertTrue(p.apply(raw(true, false, true)).get(2).vote());
    assertFalse(p.apply(raw(false, false, false)).get(0).vote());
  }

  @Test
  void persistentVotesFeedTheFusionRule() {
    EnsembleSettings s = EnsembleSettings.create(ConfigFactory.load()).withPersistence(2, 3);
    VotePersistence p = new VotePersistence(s.persistenceK(), s.persistenceN(), 3);
    assertFalse(DetectorEnsemble.fuse(s, 0, p.apply(raw(true, true, true))).anomaly());
    assertTrue(DetectorEnsemble.fuse(s, 1, p.apply(raw(true, true, true))).anomaly());
  }

  @Test
  void badPersistenceIsRejected() {
    EnsembleSettings s = EnsembleSettings.create(ConfigFactory.load());
    assertThrows(IllegalArgumentException.class, () -> s.withPersistence(4, 3));
    assertThrows(IllegalArgumentException.class, () -> s.withPersistence(0, 3));
    assertThrows(IllegalArgumentException.class, () -> s.withPersistence(1, 61));
    assertThrows(IllegalArgumentException.class, () -> new VotePersistence(2, 1, 3));
  }
}
