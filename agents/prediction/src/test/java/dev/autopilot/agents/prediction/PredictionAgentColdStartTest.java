package dev.autopilot.agents.prediction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.prediction.learn.LearningSettings;
import dev.autopilot.agents.prediction.learn.PromotionMetric;
import dev.autopilot.agents.prediction.model.PredictionModels;
import dev.autopilot.agents.prediction.model.ViolationTrainer;
import dev.autopilot.agents.prediction.policy.LearnedPolicySettings;
import dev.autopilot.agents.prediction.policy.LearnedPreScalePolicy;
import dev.autopilot.agents.prediction.policy.PreScaler;
import dev.autopilot.agents.prediction.policy.PredictionSettings;
import dev.autopilot.agents.prediction.testing.BusyFeatures;
import dev.autopilot.agents.prediction.testing.LogisticCodec;
import dev.autopilot.agents.prediction.testing.LogisticModel;
import dev.autopilot.agents.prediction.testing.LogisticTrainer;
import dev.autopilot.api.AgentProtocol;
import dev.autopilot.api.Diagnostics;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The prediction agent started cold ({@code autopilot.prediction.models.start = cold}: feature
 * pipeline, trainer and codec, no release model), wired as the composition root wires it ({@link
 * LearnedComponents#of}, {@link PreScalers#factory}): the Holt baseline proposes and forecasts, the
 * agent labels its ticks, trains, promotes its first model against the baseline's forecasts,
 * journals it and restores it after a restart.
 *
 * <p>Workload after a demand ramp: a 100-tick cycle whose p99 latency breaks the SLA at phases
 * 70-79 while demand stays flat; the busy ratio rises from 0.4 to 0.8 at phase 50 (the precursor
 * the test feature reads). The Holt baseline, whose capacity estimate is throughput over busy
 * ratio, stays under its 90 % headroom, so it forecasts none of these violations.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PredictionAgentColdStartTest {
  private static final Config CONFIG =
      EventSourcedBehaviorTestKit.config()
          .withFallback(ConfigFactory.parseString("pekko.actor.serialize-messages = on"))
          .withFallback(ConfigFactory.load());
  private static final SlaSpec SLA = new SlaSpec(800_000, 500, 0.05);
  private static final PredictionSettings SETTINGS =
      PredictionSettings.create(ConfigFactory.load());
  private static final LearningSettings LEARNING =
      new LearningSettings(
          true,
          5_000,
          1_000,
          1,
          300,
          10,
          100,
          0.25,
          PromotionMetric.F1,
          0.0,
          0.0,
          Duration.ofSeconds(60),
          "autopilot.prediction.learning.dispatcher",
          1_000);

  @JUnit5TestKit ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(CONFIG).build();

  private final LogisticCodec codec = new LogisticCodec();

  /** The policy the factory made for the entity's latest incarnation. */
  private final AtomicReference<PreScaler> policy = new AtomicReference<>();

  private EventSourcedBehaviorTestKit<
          AgentProtocol.Command, PredictionAgent.Event, PredictionAgent.State>
      coldAgent(String pipeline, ViolationTrainer trainer) {
    PredictionModels models = new PredictionModels(BusyFeatures::new, null, trainer, codec);
    LearnedComponents components =
        LearnedComponents.of(models, () -> LearnedComponents.holtForecaster(SETTINGS), SETTINGS);
    assertTrue(components.coldStart());
    assertTrue(components.loadModel().isEmpty());
    Function<String, PreScaler> factory =
        PreScalers.factory(
            SETTINGS, LearnedPolicySettings.create(ConfigFactory.load()), components);
    var kit =
        EventSourcedBehaviorTestKit
            .<AgentProtocol.Command, PredictionAgent.Event, PredictionAgent.State>create(
                testKit.system(),
                PredictionAgent.create(
                    pipeline,
                    PersistenceId.of("prediction", pipeline),
                    SETTINGS,
                    id -> {
                      policy.set(factory.apply(id));
                      return policy.get();
                    },
                    LEARNING,
                    models));
    kit.clear();
    return kit;
  }

  private LearnedPreScalePolicy learnedPolicy() {
    return (LearnedPreScalePolicy) policy.get();
  }

  /** Flat at 400k for 60 ticks, then +10k per tick, at a capacity of about 1M/s. */
  private static TelemetrySnapshot ramp(String pipeline, long tick) {
    double demand = tick < 60 ? 400_000 : 400_000 + 10_000.0 * (tick - 60);
    return Snapshots.builder(pipeline, tick).throughput(demand).busy(demand / 1_000_000).build();
  }

  private static TelemetrySnapshot cycle(String pipeline, long tick) {
    long phase = tick % 100;
    return Snapshots.builder(pipeline, tick)
        .throughput(400_000)
        .busy(phase >= 50 && phase < 80 ? 0.8 : 0.4)
        .latencyP99(phase >= 70 && phase < 80 ? 900 : 120)
        .build();
  }

  private static EventSourcedBehaviorTestKit.CommandResultWithReply<
          AgentProtocol.Command,
          PredictionAgent.Event,
          PredictionAgent.State,
          AgentProtocol.Proposals>
      evaluate(
          EventSourcedBehaviorTestKit<
                  AgentProtocol.Command, PredictionAgent.Event, PredictionAgent.State>
              agent,
          TelemetrySnapshot s) {
    return agent.runCommand(replyTo -> new AgentProtocol.Evaluate(s, SLA, replyTo));
  }

  private static String vote(AgentProtocol.Proposals reply) {
    Diagnostics d = reply.diagnostics();
    assertNotNull(d, "the tick has a forecast");
    assertEquals(1, d.votes().size());
    return d.votes().get(0).detector();
  }

  /**
   * Runs the cycle for 600 ticks from {@code from}, then waits for the training's journaled end.
   */
  private long runCycleUntil(
      EventSourcedBehaviorTestKit<
              AgentProtocol.Command, PredictionAgent.Event, PredictionAgent.State>
          agent,
      String pipeline,
      long from,
      Predicate<PredictionAgent.State> done) {
    long t = from;
    for (; t < from + 600; t++) {
      AgentProtocol.Proposals reply = evaluate(agent, cycle(pipeline, t)).reply();
      if (agent.getState().promotions() == 0) {
        assertEquals(PredictionAgent.BASELINE_VOTE, vote(reply), "tick " + t);
      }
    }
    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(
        Duration.ofSeconds(30),
        () -> {
          assertTrue(
              done.test(agent.getState()),
              () -> journaled(agent, pipeline, PredictionAgent.ModelRejected.class).toString());
          return null;
        });
    return t;
  }

  private <E> List<E> journaled(
      EventSourcedBehaviorTestKit<
              AgentProtocol.Command, PredictionAgent.Event, PredictionAgent.State>
          agent,
      String pipeline,
      Class<E> type) {
    return agent.persistenceTestKit().persistedInStorage("prediction|" + pipeline).stream()
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }

  @Test
  void aColdAgentProposesWithTheBaselineThenLearnsPromotesJournalsAndRestoresItsFirstModel() {
    LogisticTrainer trainer = new LogisticTrainer();
    var agent = coldAgent("c1", trainer);
    assertNull(learnedPolicy().model(), "no model yet");

    // 1. the Holt baseline forecasts every tick and proposes on the ramp
    PredictionAgent.PreScaleProposed proposed = null;
    long t = 0;
    for (; t < 121 && proposed == null; t++) {
      var result = evaluate(agent, ramp("c1", t));
      Diagnostics d = result.reply().diagnostics();
      assertEquals(PredictionAgent.BASELINE_VOTE, vote(result.reply()), "tick " + t);
      assertEquals(d.anomaly() ? 1.0 : 0.0, d.anomalyScore(), "a binary forecast");
      if (!result.reply().proposals().isEmpty()) {
        proposed = result.eventOfType(PredictionAgent.PreScaleProposed.class);
        assertTrue(d.anomaly(), "the baseline proposes only on its forecast alarm");
      }
    }
    assertNotNull(proposed, "the baseline proposes on the ramp");
    Proposal p = proposed.proposal();
    assertNull(proposed.modelVersion(), "no model version in the journal");
    assertNull(proposed.probability());
    assertTrue(p.cause().startsWith("forecast demand"), p.cause());
    assertTrue(
        p.evidence().stream().anyMatch(e -> e.startsWith("no violation model yet (cold start)")),
        p.evidence().toString());
    assertEquals(0, trainer.calls(), "not enough labelled ticks yet");

    // 2. enough labelled ticks: a first training; the candidate beats the baseline's forecasts
    long end = runCycleUntil(agent, "c1", t, st -> st.promotions() == 1);
    assertEquals(1, trainer.calls());
    List<PredictionAgent.ModelPromoted> promotions =
        journaled(agent, "c1", PredictionAgent.ModelPromoted.class);
    assertEquals(1, promotions.size());
    PredictionAgent.ModelPromoted promoted = promotions.get(0);
    assertNull(promoted.fromVersion(), "promoted from no model");
    assertEquals(1, promoted.toVersion());
    assertEquals(0.0, promoted.currentMetrics().get("f1"), "the baseline misses every violation");
    assertEquals(0.5, promoted.currentMetrics().get("threshold"), "the baseline's binary forecast");
    assertTrue(promoted.candidateMetrics().get("f1") > 0.5, promoted.summary());
    assertTrue(
        promoted.summary().startsWith("prediction model no model (Holt baseline) -> v1 promoted"),
        promoted.summary());
    testKit.serializationTestKit().verifySerialization(promoted, true);

    // 3. the promoted model scores the ticks and decides the policy
    AgentProtocol.Proposals after = evaluate(agent, cycle("c1", end)).reply();
    assertEquals("violation-model-v1", vote(after));
    assertEquals(1, learnedPolicy().model().version());
    assertNull(learnedPolicy().baselineAlarmAt(end), "the baseline no longer forecasts");

    // 4. a restart restores the promoted model (the entity and its policy)
    PredictionAgent.State before = agent.getState();
    PredictionAgent.State recovered = agent.restart().state();
    assertEquals(before, recovered);
    assertEquals(1, recovered.promotedVersion());
    assertNull(learnedPolicy().model(), "a fresh incarnation's policy before its first tick");
    AgentProtocol.Proposals afterRestart = evaluate(agent, cycle("c1", end + 1)).reply();
    assertEquals("violation-model-v1", vote(afterRestart), "the promoted model is restored");
    assertEquals(1, learnedPolicy().model().version(), "and handed to the policy");
  }

  @Test
  void aFirstCandidateNoBetterThanTheBaselineIsRejectedAndTheBaselineStays() {
    ViolationTrainer neverAlarms =
        (x, y, vx, vy, version, seed) -> LogisticModel.constant(version, 0.01, 0.5);
    var agent = coldAgent("c2", neverAlarms);
    long t = runCycleUntil(agent, "c2", 0, st -> st.rejections() == 1);
    PredictionAgent.ModelRejected rejected =
        journaled(agent, "c2", PredictionAgent.ModelRejected.class).get(0);
    assertEquals(1, rejected.candidateVersion());
    assertNull(rejected.currentVersion());
    assertTrue(rejected.reason().startsWith("not better: f1 0.0000 vs 0.0000"), rejected.reason());
    assertTrue(
        rejected.reason().contains("against the Holt baseline's forecasts"), rejected.reason());
    assertTrue(rejected.summary().contains("keeping no model (Holt baseline)"), rejected.summary());
    assertNull(agent.getState().promotedModel());
    assertEquals(PredictionAgent.BASELINE_VOTE, vote(evaluate(agent, cycle("c2", t)).reply()));
    assertNull(learnedPolicy().model());
  }

  @Test
  void aPromotedModelThatCannotBeRestoredFallsBackToTheBaselineWithAJournaledWarning() {
    LogisticCodec breaking = new LogisticCodec();
    PredictionModels models =
        new PredictionModels(BusyFeatures::new, null, new LogisticTrainer(), breaking);
    Function<String, PreScaler> factory =
        PreScalers.factory(
            SETTINGS,
            LearnedPolicySettings.create(ConfigFactory.load()),
            LearnedComponents.of(
                models, () -> LearnedComponents.holtForecaster(SETTINGS), SETTINGS));
    var agent =
        EventSourcedBehaviorTestKit
            .<AgentProtocol.Command, PredictionAgent.Event, PredictionAgent.State>create(
                testKit.system(),
                PredictionAgent.create(
                    "c3",
                    PersistenceId.of("prediction", "c3"),
                    SETTINGS,
                    id -> {
                      policy.set(factory.apply(id));
                      return policy.get();
                    },
                    LEARNING,
                    models));
    agent.clear();
    long t = runCycleUntil(agent, "c3", 0, st -> st.promotions() == 1);
    assertEquals("violation-model-v1", vote(evaluate(agent, cycle("c3", t)).reply()));
    breaking.breakDecoding();
    agent.restart();
    var result = evaluate(agent, cycle("c3", t + 1));
    PredictionAgent.ModelFallback fallback =
        result.eventOfType(PredictionAgent.ModelFallback.class);
    assertEquals(1, fallback.lostVersion());
    assertNull(fallback.toVersion(), "no release model to fall back to");
    assertTrue(fallback.summary().endsWith("falling back to the Holt baseline alone"));
    assertEquals(PredictionAgent.BASELINE_VOTE, vote(result.reply()), "the baseline again");
    assertNull(learnedPolicy().model());
  }
}
