package dev.autopilot.agents.prediction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.prediction.learn.LearningSettings;
import dev.autopilot.agents.prediction.learn.PromotionMetric;
import dev.autopilot.agents.prediction.model.PredictionModels;
import dev.autopilot.agents.prediction.model.ViolationModel;
import dev.autopilot.agents.prediction.model.ViolationTrainer;
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
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The prediction agent with a learned forecaster: scoring, live labels, retraining on the learning
 * dispatcher, journaled promotions and rejections, recovery of the promoted model.
 *
 * <p>Workload: a 100-tick cycle whose p99 latency breaks the SLA at phases 70-79; the source's busy
 * ratio rises at phase 50 (the precursor the feature double reads). A tick is labelled violated
 * when a violation follows within 30 ticks (phases 40-79).
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PredictionAgentLearningTest {
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
          1_000,
          1_000,
          1,
          150,
          10,
          100,
          0.25,
          PromotionMetric.F1,
          0.0,
          0.0,
          Duration.ofSeconds(60),
          "autopilot.prediction.learning.dispatcher");

  @JUnit5TestKit ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(CONFIG).build();

  private LogisticCodec codec;

  @BeforeEach
  void setUp() {
    codec = new LogisticCodec();
  }

  private EventSourcedBehaviorTestKit<
          AgentProtocol.Command, PredictionAgent.Event, PredictionAgent.State>
      agent(String pipeline, Supplier<ViolationModel> release, ViolationTrainer trainer) {
    var kit =
        EventSourcedBehaviorTestKit
            .<AgentProtocol.Command, PredictionAgent.Event, PredictionAgent.State>create(
                testKit.system(),
                PredictionAgent.create(
                    pipeline,
                    PersistenceId.of("prediction", pipeline),
                    SETTINGS,
                    LEARNING,
                    new PredictionModels(BusyFeatures::new, release, trainer, codec)));
    kit.clear();
    return kit;
  }

  private static TelemetrySnapshot cycle(String pipeline, long tick) {
    long phase = tick % 100;
    return Snapshots.builder(pipeline, tick)
        .throughput(400_000)
        .busy(phase >= 50 && phase < 80 ? 0.9 : 0.4)
        .latencyP99(phase >= 70 && phase < 80 ? 900 : 120)
        .build();
  }

  private static AgentProtocol.Proposals evaluate(
      EventSourcedBehaviorTestKit<
              AgentProtocol.Command, PredictionAgent.Event, PredictionAgent.State>
          agent,
      TelemetrySnapshot s) {
    return agent
        .<AgentProtocol.Proposals>runCommand(replyTo -> new AgentProtocol.Evaluate(s, SLA, replyTo))
        .reply();
  }

  private static String vote(AgentProtocol.Proposals reply) {
    Diagnostics d = reply.diagnostics();
    assertNotNull(d, "a model scored the tick");
    return d.votes().get(0).detector();
  }

  /** Runs the cycle from {@code from} until the state satisfies the condition; returns the tick. */
  private long runUntil(
      EventSourcedBehaviorTestKit<
              AgentProtocol.Command, PredictionAgent.Event, PredictionAgent.State>
          agent,
      String pipeline,
      long from,
      java.util.function.Predicate<PredictionAgent.State> done) {
    TestProbe<Object> probe = testKit.createTestProbe();
    long t = from;
    for (; t < from + 400; t++) {
      evaluate(agent, cycle(pipeline, t));
    }
    // the training runs on the learning dispatcher: wait for its journaled result
    probe.awaitAssert(
        Duration.ofSeconds(30),
        () -> {
          assertTrue(done.test(agent.getState()), agent.getState().toString());
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
  void aBetterCandidateIsPromotedJournaledAndActiveAgainAfterARestart() {
    LogisticTrainer trainer = new LogisticTrainer();
    var agent = agent("p1", () -> LogisticModel.constant(1, 0.01, 0.5), trainer);
    AgentProtocol.Proposals first = evaluate(agent, cycle("p1", 0));
    assertEquals("violation-model-v1", vote(first));
    assertEquals(0.01, first.diagnostics().anomalyScore(), 1e-9);

    long t = runUntil(agent, "p1", 1, st -> st.promotions() == 1);
    assertEquals(1, trainer.calls());
    PredictionAgent.ModelPromoted promoted =
        journaled(agent, "p1", PredictionAgent.ModelPromoted.class).get(0);
    assertEquals(1, promoted.fromVersion());
    assertEquals(2, promoted.toVersion());
    assertTrue(
        promoted.candidateMetrics().get("f1") > promoted.currentMetrics().get("f1"),
        promoted.summary());
    assertEquals(100.0, promoted.candidateMetrics().get("samples"), "the validation window");
    assertEquals(PredictionAgent.sha256(promoted.model()), promoted.sha256());
    assertTrue(promoted.summary().contains("v1 -> v2 promoted"), promoted.summary());
    testKit.serializationTestKit().verifySerialization(promoted, true);

    AgentProtocol.Proposals after = evaluate(agent, cycle("p1", t));
    assertEquals("violation-model-v2", vote(after));
    // phase t % 100 of a busy tick: the learned model alarms
    long busyTick = t + ((160 - t % 100) % 100);
    for (long u = t + 1; u < busyTick; u++) {
      evaluate(agent, cycle("p1", u));
    }
    assertTrue(evaluate(agent, cycle("p1", busyTick)).diagnostics().anomaly());

    PredictionAgent.State before = agent.getState();
    PredictionAgent.State recovered = agent.restart().state();
    assertEquals(before, recovered);
    assertEquals(2, recovered.promotedVersion());
    AgentProtocol.Proposals afterRestart = evaluate(agent, cycle("p1", busyTick + 1));
    assertEquals("violation-model-v2", vote(afterRestart), "the promoted model is restored");
    assertTrue(afterRestart.diagnostics().anomaly());
  }

  @Test
  void aLearnedPreScalePolicyDecidesWithThePromotedModel() {
    java.util.concurrent.atomic.AtomicReference<
            dev.autopilot.agents.prediction.policy.LearnedPreScalePolicy>
        policy = new java.util.concurrent.atomic.AtomicReference<>();
    var agent =
        EventSourcedBehaviorTestKit
            .<AgentProtocol.Command, PredictionAgent.Event, PredictionAgent.State>create(
                testKit.system(),
                PredictionAgent.create(
                    "p7",
                    PersistenceId.of("prediction", "p7"),
                    SETTINGS,
                    id -> {
                      policy.set(
                          new dev.autopilot.agents.prediction.policy.LearnedPreScalePolicy(
                              SETTINGS,
                              dev.autopilot.agents.prediction.policy.LearnedPolicySettings.create(
                                  ConfigFactory.load()),
                              new BusyFeatures(),
                              LogisticModel.constant(1, 0.01, 0.5),
                              LearnedComponents.holtForecaster(SETTINGS)));
                      return policy.get();
                    },
                    LEARNING,
                    new PredictionModels(
                        BusyFeatures::new,
                        () -> LogisticModel.constant(1, 0.01, 0.5),
                        new LogisticTrainer(),
                        codec)));
    agent.clear();
    assertEquals(1, policy.get().model().version());
    runUntil(agent, "p7", 0, st -> st.promotions() == 1);
    evaluate(agent, cycle("p7", 400));
    assertEquals(2, policy.get().model().version(), "the policy got the promotion");
    agent.restart();
    evaluate(agent, cycle("p7", 401));
    assertEquals(2, policy.get().model().version(), "and the restored model after a restart");
  }

  @Test
  void aWorseCandidateIsRejectedAndJournaled() {
    ViolationTrainer worse =
        (x, y, vx, vy, version, seed) -> LogisticModel.constant(version, 0.01, 0.5);
    var agent = agent("p2", () -> LogisticModel.step(1, 0.6), worse);
    long t = runUntil(agent, "p2", 0, st -> st.rejections() == 1);
    PredictionAgent.ModelRejected rejected =
        journaled(agent, "p2", PredictionAgent.ModelRejected.class).get(0);
    assertEquals(2, rejected.candidateVersion());
    assertEquals(1, rejected.currentVersion());
    assertTrue(rejected.reason().startsWith("not better: f1 0.0000"), rejected.reason());
    assertTrue(rejected.currentMetrics().get("f1") > 0.5);
    testKit.serializationTestKit().verifySerialization(rejected, true);
    assertNull(agent.getState().promotedModel());
    assertEquals("violation-model-v1", vote(evaluate(agent, cycle("p2", t))));
  }

  @Test
  void aFailingTrainerIsJournaledAndTheEntityKeepsAnswering() {
    ViolationTrainer failing =
        (x, y, vx, vy, version, seed) -> {
          throw new IllegalStateException("out of memory in the trainer");
        };
    var agent = agent("p3", () -> LogisticModel.step(1, 0.6), failing);
    long t = runUntil(agent, "p3", 0, st -> st.trainingFailures() == 1);
    PredictionAgent.TrainingFailed failed =
        journaled(agent, "p3", PredictionAgent.TrainingFailed.class).get(0);
    assertEquals(2, failed.candidateVersion());
    assertTrue(failed.reason().contains("out of memory in the trainer"), failed.reason());
    testKit.serializationTestKit().verifySerialization(failed, true);
    assertEquals("violation-model-v1", vote(evaluate(agent, cycle("p3", t))));
    assertEquals(3, agent.getState().lastCandidateVersion() + 1, "v2 is not used again");
  }

  @Test
  void aPromotedModelThatCannotBeRestoredFallsBackToTheReleaseModelWithAJournaledWarning() {
    var agent = agent("p4", () -> LogisticModel.constant(1, 0.01, 0.5), new LogisticTrainer());
    long t = runUntil(agent, "p4", 0, st -> st.promotions() == 1);
    codec.breakDecoding();
    agent.restart();
    var result =
        agent.<AgentProtocol.Proposals>runCommand(
            replyTo -> new AgentProtocol.Evaluate(cycle("p4", t), SLA, replyTo));
    PredictionAgent.ModelFallback fallback =
        result.eventOfType(PredictionAgent.ModelFallback.class);
    assertEquals(2, fallback.lostVersion());
    assertEquals(1, fallback.toVersion());
    assertTrue(fallback.summary().startsWith("WARNING"), fallback.summary());
    assertEquals("violation-model-v1", vote(result.reply()));
    assertNull(result.state().promotedModel());
  }

  @Test
  void proposalEvidenceAndTheEventNameTheModelVersionAndProbability() {
    var agent =
        EventSourcedBehaviorTestKit
            .<AgentProtocol.Command, PredictionAgent.Event, PredictionAgent.State>create(
                testKit.system(),
                PredictionAgent.create(
                    "p5",
                    PersistenceId.of("prediction", "p5"),
                    SETTINGS,
                    null,
                    new PredictionModels(
                        BusyFeatures::new,
                        () -> LogisticModel.constant(3, 0.83, 0.41),
                        null,
                        null)));
    agent.clear();
    for (long t = 0; t < 121; t++) {
      double demand = t < 60 ? 400_000 : 400_000 + 10_000.0 * (t - 60);
      TelemetrySnapshot s =
          Snapshots.builder("p5", t).throughput(demand).busy(demand / 1_000_000).build();
      var result =
          agent.<AgentProtocol.Proposals>runCommand(
              replyTo -> new AgentProtocol.Evaluate(s, SLA, replyTo));
      assertEquals("violation-model-v3", vote(result.reply()));
      if (!result.reply().proposals().isEmpty()) {
        Proposal p = result.reply().proposals().get(0);
        assertTrue(
            p.evidence().contains("model v3: violation probability 0.83 ≥ threshold 0.41"),
            p.evidence().toString());
        PredictionAgent.PreScaleProposed event =
            result.eventOfType(PredictionAgent.PreScaleProposed.class);
        assertEquals(3, event.modelVersion());
        assertEquals(0.83, event.probability(), 1e-9);
        assertTrue(event.summary().contains("[model v3, p=0.830]"), event.summary());
        return;
      }
    }
    throw new AssertionError("no proposal on the ramp");
  }

  @Test
  void aPreScaleProposedJournaledBeforeModelsExistedStillReads() throws Exception {
    Proposal proposal =
        new Proposal(
            "prediction-p1-5-0",
            "p1",
            dev.autopilot.api.AgentKind.PREDICTION,
            dev.autopilot.api.PriorityClass.SLA_PROTECTION,
            new dev.autopilot.api.Action.Rescale(java.util.Map.of("map", 8)),
            0.9,
            new dev.autopilot.api.ExpectedEffect(0.1, -0.1, 1000, 100, 0.5),
            List.of("Holt"),
            "forecast",
            5,
            23);
    PredictionAgent.PreScaleProposed now =
        new PredictionAgent.PreScaleProposed("p1", 5, proposal, 3, 0.5);
    org.apache.pekko.serialization.Serialization serialization =
        org.apache.pekko.serialization.SerializationExtension.get(
            org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(testKit.system()));
    org.apache.pekko.serialization.Serializer serializer = serialization.findSerializerFor(now);
    String manifest = org.apache.pekko.serialization.Serializers.manifestFor(serializer, now);
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode old =
        (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(serializer.toBinary(now));
    assertEquals(3, old.get("modelVersion").asInt());
    old.remove("modelVersion");
    old.remove("probability");
    Object back =
        serialization
            .deserialize(json.writeValueAsBytes(old), serializer.identifier(), manifest)
            .get();
    assertEquals(new PredictionAgent.PreScaleProposed("p1", 5, proposal), back);
  }

  @Test
  void withoutAModelTheAgentSendsNoDiagnosticsAndDoesNotLearn() {
    var agent =
        EventSourcedBehaviorTestKit
            .<AgentProtocol.Command, PredictionAgent.Event, PredictionAgent.State>create(
                testKit.system(),
                PredictionAgent.create(
                    "p6",
                    PersistenceId.of("prediction", "p6"),
                    SETTINGS,
                    LEARNING,
                    PredictionModels.NONE));
    agent.clear();
    for (long t = 0; t < 400; t++) {
      TelemetrySnapshot s = cycle("p6", t);
      var result =
          agent.<AgentProtocol.Proposals>runCommand(
              replyTo -> new AgentProtocol.Evaluate(s, SLA, replyTo));
      assertNull(result.reply().diagnostics());
      assertTrue(result.hasNoEvents());
    }
    assertEquals(0, agent.getState().lastCandidateVersion());
    assertFalse(agent.getState().promotions() > 0);
  }
}
