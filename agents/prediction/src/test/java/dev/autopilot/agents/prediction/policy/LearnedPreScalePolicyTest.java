package dev.autopilot.agents.prediction.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.prediction.policy.LearnedParts.FixedPeak;
import dev.autopilot.agents.prediction.policy.LearnedParts.ScriptedModel;
import dev.autopilot.agents.prediction.policy.LearnedParts.TickFeatures;
import dev.autopilot.api.Action;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.PriorityClass;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.testing.Snapshots;
import java.util.OptionalDouble;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;

class LearnedPreScalePolicyTest {
  private static final PredictionSettings SETTINGS =
      PredictionSettings.create(ConfigFactory.load());
  private static final LearnedPolicySettings MODEL_THRESHOLD =
      new LearnedPolicySettings(LearnedPolicySettings.Kind.LEARNED, OptionalDouble.empty());
  private static final SlaSpec SLA = new SlaSpec(800_000, 500, 0.05);
  private static final double CAPACITY = 1_000_000;
  private static final String SCHEMA = "test-v1";

  private final TickFeatures features = new TickFeatures(SCHEMA);
  private final Loads loads = new Loads("p1", Snapshots.defaultConfig(), CAPACITY);

  private LearnedPreScalePolicy policy(
      LearnedPolicySettings learned, LongToDoubleFunction p, double peak) {
    return new LearnedPreScalePolicy(
        SETTINGS, learned, features, new ScriptedModel(7, SCHEMA, 0.6, p), new FixedPeak(peak, 3));
  }

  /** Runs ticks 0..ticks-1 at 600k/s without history; returns the first proposal's result. */
  private PreScaler.Result firstProposal(LearnedPreScalePolicy policy, int ticks) {
    PreScaler.Result last = null;
    for (long t = 0; t < ticks; t++) {
      last = policy.evaluate(loads.at(t, 600_000), SLA, ProposalHistory.NONE);
      if (last.proposal().isPresent()) {
        return last;
      }
    }
    return last;
  }

  @Test
  void proposesWhenTheProbabilityCrossesTheThresholdSizedForTheForecastPeak() {
    LearnedPreScalePolicy policy = policy(MODEL_THRESHOLD, t -> t < 20 ? 0.2 : 0.9, 1_500_000);
    PreScaler.Result r = firstProposal(policy, 40);
    Proposal p = r.proposal().orElseThrow();
    assertEquals(20, p.tick(), "the first tick at or over the calibrated threshold 0.6");
    assertEquals("prediction-p1-20-0", p.id());
    assertEquals(AgentKind.PREDICTION, p.agent());
    assertEquals(PriorityClass.SLA_PROTECTION, p.priority());
    assertEquals(0.9, p.confidence(), 1e-12, "confidence is the probability");
    assertEquals(20 + 18, p.expiryTick(), "lead time 3 minutes");
    // 1.5M/s at 62.5k/s per subtask and utilisation 0.7: 35 subtasks per operator, more than the
    // 32 slots of 8 TaskManagers, so a reconfiguration to 9 TaskManagers.
    Action.Reconfigure rc = assertInstanceOf(Action.Reconfigure.class, p.action());
    rc.target().parallelism().values().forEach(v -> assertEquals(35, v));
    assertEquals(9, rc.target().taskManagers());
    assertEquals(1_500_000, p.expectedEffect().predictedThroughput(), 1e-6);
    assertTrue(p.evidence().get(0).contains("violation probability 0.900"), p.evidence().get(0));
    assertTrue(p.evidence().get(0).contains("threshold 0.600 (calibrated), model v7"));
    assertTrue(p.evidence().get(1).startsWith("forecast peak demand 1500000/s over the next 30"));
    assertTrue(p.evidence().stream().anyMatch(e -> e.startsWith("capacity 1000000/s")));
    assertTrue(p.evidence().stream().anyMatch(e -> e.startsWith("enrich: 62500/s per subtask")));
    assertTrue(p.cause().contains("model v7"), p.cause());
    assertEquals(0.9, policy.lastProbability());
  }

  @Test
  void aModelSaturatedOverTheWarmUpIsOutOfDistributionAndTheHoltBaselineDecides() {
    LearnedPolicySettings guarded =
        new LearnedPolicySettings(
            LearnedPolicySettings.Kind.LEARNED,
            OptionalDouble.empty(),
            new dev.autopilot.api.model.DistributionGuard.Settings(10, 0.95, 0.8));
    // without the guard this model pre-scales at tick 0 (see the first test)
    LearnedPreScalePolicy policy = policy(guarded, t -> 1.0, 1_500_000);
    PreScaler.Result r = null;
    for (long t = 0; t < 40; t++) {
      r = policy.evaluate(loads.at(t, 600_000), SLA, ProposalHistory.NONE);
      if (t >= 9) {
        assertTrue(r.proposal().isEmpty(), "tick " + t + ": " + r.reason());
        String ticks = t < 19 ? "warm-up ticks" : "recent ticks";
        assertTrue(
            r.reason()
                .startsWith(
                    "violation model v7 out of distribution (10 of 10 "
                        + ticks
                        + " scored >= 0.95 (out of distribution at >= 80%)): Holt baseline: "),
            r.reason());
      }
    }
    assertTrue(policy.outOfDistribution().isPresent());
    // a promoted model is judged afresh
    policy.promote(new ScriptedModel(8, SCHEMA, 0.6, t -> 0.1));
    assertTrue(policy.outOfDistribution().isEmpty());
    assertEquals(
        "violation probability 0.100 under threshold 0.600",
        policy.evaluate(loads.at(40, 600_000), SLA, ProposalHistory.NONE).reason());
  }

  @Test
  void underTheThresholdItProposesNothing() {
    LearnedPreScalePolicy policy = policy(MODEL_THRESHOLD, t -> 0.59, 1_500_000);
    PreScaler.Result r = firstProposal(policy, 40);
    assertTrue(r.proposal().isEmpty());
    assertEquals("violation probability 0.590 under threshold 0.600", r.reason());
  }

  @Test
  void aViolationTheForecastDoesNotDriveIsNotScaledFor() {
    LearnedPreScalePolicy policy = policy(MODEL_THRESHOLD, t -> 0.95, 850_000);
    PreScaler.Result r = firstProposal(policy, 40);
    assertTrue(r.proposal().isEmpty());
    assertTrue(r.reason().contains("forecast peak 850000/s over 30 ticks fits 90% of capacity"));
    assertTrue(r.reason().contains("no pre-scale"), r.reason());
  }

  @Test
  void aConfiguredThresholdOverridesTheCalibratedOne() {
    LearnedPolicySettings strict =
        new LearnedPolicySettings(LearnedPolicySettings.Kind.LEARNED, OptionalDouble.of(0.95));
    assertTrue(firstProposal(policy(strict, t -> 0.9, 1_500_000), 40).proposal().isEmpty());

    LearnedPolicySettings loose =
        new LearnedPolicySettings(LearnedPolicySettings.Kind.LEARNED, OptionalDouble.of(0.5));
    Proposal p = firstProposal(policy(loose, t -> 0.55, 1_500_000), 40).proposal().orElseThrow();
    assertTrue(p.evidence().get(0).contains("threshold 0.500 (configured)"), p.evidence().get(0));
  }

  @Test
  void holdsBackLikeTheBaselineButKeepsTheFeatureWindowWhole() {
    LearnedPreScalePolicy policy = policy(MODEL_THRESHOLD, t -> 0.9, 1_500_000);
    for (long t = 0; t < 3; t++) {
      PreScaler.Result r =
          policy.evaluate(
              loads.at(t, 600_000, JobMetrics.JobState.RESTARTING), SLA, ProposalHistory.NONE);
      assertEquals("job is RESTARTING", r.reason());
    }
    for (long t = 3; t < 20; t++) {
      assertTrue(
          policy
              .evaluate(loads.at(t, 600_000), SLA, new ProposalHistory(2, true))
              .proposal()
              .isEmpty());
    }
    PreScaler.Result cooldown =
        policy.evaluate(loads.at(20, 600_000), SLA, new ProposalHistory(2, false));
    assertEquals("cooldown since tick 2", cooldown.reason());
    PreScaler.Result backoff =
        policy.evaluate(loads.at(40, 600_000), SLA, new ProposalHistory(0, false, 30));
    assertTrue(backoff.reason().startsWith("a pre-scale was rolled back or failed at tick 30"));
    assertEquals(java.util.List.of(0L, 1L, 2L), features.seen.subList(0, 3));
    assertEquals(22, features.seen.size(), "every snapshot reached the feature pipeline");
    PreScaler.Result again = policy.evaluate(loads.at(40, 600_000), SLA, ProposalHistory.NONE);
    assertEquals("tick 40 already seen", again.reason());
    assertEquals(22, features.seen.size(), "a repeated tick is not observed twice");
  }

  @Test
  void aModelOnAnotherFeatureSchemaIsRefusedAndAPromotionIsUsed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new LearnedPreScalePolicy(
                    SETTINGS,
                    MODEL_THRESHOLD,
                    features,
                    new ScriptedModel(1, "other", 0.5, t -> 0.9),
                    new FixedPeak(1, 1)));
    assertTrue(e.getMessage().contains("feature schema 'other'"), e.getMessage());

    LearnedPreScalePolicy policy = policy(MODEL_THRESHOLD, t -> 0.1, 1_500_000);
    assertFalse(firstProposal(policy, 10).proposal().isPresent());
    assertThrows(
        IllegalArgumentException.class,
        () -> policy.promote(new ScriptedModel(8, "other", 0.5, t -> 0.9)));
    policy.promote(new ScriptedModel(8, SCHEMA, 0.5, t -> 0.7));
    assertEquals(0.5, policy.threshold());
    PreScaler.Result r = null;
    for (long t = 10; t < 20 && (r == null || r.proposal().isEmpty()); t++) {
      r = policy.evaluate(loads.at(t, 600_000), SLA, ProposalHistory.NONE);
    }
    assertTrue(r.proposal().orElseThrow().evidence().get(0).contains("model v8"));
  }

  @Test
  void aForecastNotYetReadyHoldsBack() {
    LearnedPreScalePolicy policy =
        new LearnedPreScalePolicy(
            SETTINGS,
            MODEL_THRESHOLD,
            features,
            new ScriptedModel(7, SCHEMA, 0.6, t -> 0.9),
            new FixedPeak(1_500_000, 1_000));
    PreScaler.Result r = firstProposal(policy, 30);
    assertTrue(r.proposal().isEmpty());
    assertTrue(r.reason().endsWith("but the demand forecast is not ready"), r.reason());
  }

  /** Flat at 400k for 60 ticks, then +10k per tick (as in PreScalePolicyTest). */
  private static double ramp(long tick) {
    return tick < 60 ? 400_000 : 400_000 + 10_000.0 * (tick - 60);
  }

  @Test
  void aColdStartedPolicyDecidesWithTheHoltBaselineUntilAModelIsPromoted() {
    LearnedParts.FixedPeak demand = new LearnedParts.FixedPeak(1_500_000, 3);
    LearnedPreScalePolicy cold =
        LearnedPreScalePolicy.coldStart(SETTINGS, MODEL_THRESHOLD, features, demand);
    PreScalePolicy holt = new PreScalePolicy(SETTINGS);
    Loads holtLoads = new Loads("p1", Snapshots.defaultConfig(), CAPACITY);
    assertTrue(cold.hasBaseline());
    assertEquals(null, cold.model());
    assertTrue(Double.isNaN(cold.threshold()), "no model, no threshold");
    Proposal coldProposal = null;
    for (long t = 0; t < 121 && coldProposal == null; t++) {
      PreScaler.Result c = cold.evaluate(loads.at(t, ramp(t)), SLA, ProposalHistory.NONE);
      PreScaler.Result h = holt.evaluate(holtLoads.at(t, ramp(t)), SLA, ProposalHistory.NONE);
      assertEquals(h.proposal(), c.proposal(), "tick " + t + ": the baseline decides");
      assertEquals(holt.forecastAlarmAt(t), cold.baselineAlarmAt(t), "and forecasts");
      coldProposal = c.proposal().orElse(null);
    }
    assertTrue(coldProposal != null, "the baseline proposes on the ramp");
    long t0 = coldProposal.tick();
    assertEquals(t0 + 1, features.seen.size(), "the features ran on every tick");
    assertFalse(demand.observed.isEmpty(), "the demand forecaster is kept warm");

    cold.promote(new ScriptedModel(1, SCHEMA, 0.6, t -> 0.9));
    PreScaler.Result learned = cold.evaluate(loads.at(t0 + 40, 600_000), SLA, ProposalHistory.NONE);
    assertEquals(null, cold.baselineAlarmAt(t0 + 40), "no baseline forecast once a model decides");
    Proposal p = learned.proposal().orElseThrow(() -> new AssertionError(learned.reason()));
    assertTrue(p.cause().contains("model v1"), p.cause());
    assertEquals(0.6, cold.threshold());

    cold.dropModel();
    assertEquals(null, cold.model(), "back to the baseline");
    assertThrows(
        IllegalStateException.class, () -> policy(MODEL_THRESHOLD, t -> 0.1, 0).dropModel());
  }
}
