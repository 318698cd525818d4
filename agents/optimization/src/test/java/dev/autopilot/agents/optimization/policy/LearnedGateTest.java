package dev.autopilot.agents.optimization.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.optimization.learned.LearnedPolicy;
import dev.autopilot.agents.optimization.learned.ShadowEvaluation;
import dev.autopilot.api.ExpectedEffect;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The learned policy's gate: promotion, shadow rate limit, live discipline. */
class LearnedGateTest {
  private static final OptimizationSettings SETTINGS =
      OptimizationSettings.create(ConfigFactory.load());
  private static final LearnedSettings LEARNED = LearnedSettings.create(ConfigFactory.load());
  private static final LearnedGate GATE = new LearnedGate(SETTINGS, LEARNED);
  private static final PipelineConfig BASE = Snapshots.defaultConfig();
  private static final ShadowEvaluation WIN =
      new ShadowEvaluation(List.of(1L), 100, 1, 2, 0.01, 0.01, 0.5, 0.4, true);
  private static final ShadowEvaluation LOSS =
      new ShadowEvaluation(List.of(1L), 100, 3, 2, 0.01, 0.01, 0.3, 0.4, false);

  private static TelemetrySnapshot at(long tick) {
    return Snapshots.builder("p1", tick).config(BASE).build();
  }

  private static LearnedPolicy.Recommendation rec(PipelineConfig target) {
    return new LearnedPolicy.Recommendation(
        target, 0.6, new ExpectedEffect(0.1, -0.1, 900_000, 200, 1), List.of("s"));
  }

  private static PipelineConfig up() {
    return BASE.withParallelism(Map.of("enrich", 24));
  }

  private static PipelineConfig down() {
    return BASE.withParallelism(Map.of("enrich", 12));
  }

  @Test
  void promotionNeedsAShadowWinOnceAndNeverAfterADemotion() {
    assertTrue(GATE.promotion(2, LOSS, 0, Set.of()).isEmpty());
    assertTrue(GATE.promotion(2, ShadowEvaluation.none(), 0, Set.of()).isEmpty());
    LearnedGate.Promotion p = GATE.promotion(2, WIN, 0, Set.of()).orElseThrow();
    assertFalse(p.override());
    assertEquals(2, p.version());
    assertTrue(GATE.promotion(2, WIN, 2, Set.of()).isEmpty(), "once per version");
    assertTrue(GATE.promotion(2, WIN, 0, Set.of(2)).isEmpty(), "demoted for good");
    assertTrue(GATE.promotion(3, WIN, 2, Set.of()).isPresent(), "a new version is promoted");
    assertTrue(GATE.promotion(2, null, 0, Set.of()).isEmpty(), "no evaluation: no promotion");
  }

  @Test
  void theOverrideSaysSoAndStillRespectsADemotion() {
    LearnedGate open = new LearnedGate(SETTINGS, LEARNED.withRequireShadowWin(false));
    LearnedGate.Promotion p = open.promotion(2, LOSS, 0, Set.of()).orElseThrow();
    assertTrue(p.override());
    assertTrue(p.reason().startsWith("operator override"), p.reason());
    assertTrue(open.promotion(2, LOSS, 0, Set.of(2)).isEmpty());
  }

  @Test
  void aShadowProposalIsAChangedRecommendationAtMostOncePerInterval() {
    int every = LEARNED.shadowIntervalTicks();
    assertTrue(GATE.shadow(at(0), rec(BASE), 1, Long.MIN_VALUE, null).isEmpty(), "no change");
    assertTrue(GATE.shadow(at(0), null, 1, Long.MIN_VALUE, null).isEmpty());
    Proposal first = GATE.shadow(at(0), rec(up()), 1, Long.MIN_VALUE, null).orElseThrow();
    assertEquals("optimization-p1-0-1", first.id());
    assertEquals(6, first.expiryTick());
    assertTrue(LearnedGate.isLearned(first));
    assertTrue(GATE.shadow(at(every * 10L), rec(up()), 1, 0, up()).isEmpty(), "same opinion");
    assertTrue(GATE.shadow(at(every - 1L), rec(down()), 1, 0, up()).isEmpty(), "too soon");
    assertTrue(GATE.shadow(at(every), rec(down()), 1, 0, up()).isPresent());
  }

  @ParameterizedTest
  @CsvSource({
    // pending, ticks since the last proposal, failed up at (relative, or none), proposes
    "true, 100, none, false",
    "false, 10, none, false",
    "false, 30, none, true",
    "false, 100, -50, false",
    "false, 1000, -999, true"
  })
  void liveProposalsKeepDs2sDiscipline(
      boolean pending, long since, String failedUp, boolean proposes) {
    long tick = 2000;
    long failed = "none".equals(failedUp) ? Long.MIN_VALUE : tick + Long.parseLong(failedUp);
    ProposalHistory h = new ProposalHistory(tick - since, pending, failed, Long.MIN_VALUE);
    LearnedGate.Live live = GATE.live(at(tick), rec(up()), 1, h);
    assertEquals(proposes, live.proposal().isPresent(), live.reason());
    assertEquals(ScalingDirection.UP, live.direction());
  }

  @Test
  void aFailedScaleUpDoesNotHoldBackAScaleDown() {
    long tick = 2000;
    ProposalHistory h = new ProposalHistory(tick - 100, false, tick - 50, Long.MIN_VALUE);
    LearnedGate.Live live = GATE.live(at(tick), rec(down()), 1, h);
    assertTrue(live.proposal().isPresent(), live.reason());
    assertEquals("learned policy v1", live.proposal().get().cause());
  }
}
