package dev.autopilot.agents.optimization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.optimization.learned.LearnedPolicy;
import dev.autopilot.agents.optimization.learned.ShadowEvaluation;
import dev.autopilot.agents.optimization.policy.LearnedGate;
import dev.autopilot.agents.optimization.policy.LearnedSettings;
import dev.autopilot.agents.optimization.policy.OptimizationSettings;
import dev.autopilot.api.Action;
import dev.autopilot.api.AgentProtocol;
import dev.autopilot.api.ExpectedEffect;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.PriorityClass;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The learned policy's safety path in the optimization agent, with fake policies: shadow before
 * promotion, promotion once per version (surviving a restart), live proposals under DS2's
 * discipline after it, demotion after repeated rollbacks.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LearnedOptimizationAgentTest {
  private static final Config CONFIG =
      EventSourcedBehaviorTestKit.config()
          .withFallback(ConfigFactory.parseString("pekko.actor.serialize-messages = on"))
          .withFallback(ConfigFactory.load());
  private static final SlaSpec SLA = new SlaSpec(800_000, 500, 0.05);
  private static final OptimizationSettings SETTINGS =
      OptimizationSettings.create(ConfigFactory.load());
  private static final LearnedSettings LEARNED = LearnedSettings.create(ConfigFactory.load());
  private static final PipelineConfig BASE = Snapshots.defaultConfig();
  private static final ShadowEvaluation WIN =
      new ShadowEvaluation(List.of(101L, 102L), 8640, 1.5, 3.0, 0.020, 0.021, 0.6, 0.4, true);
  private static final ShadowEvaluation LOSS =
      new ShadowEvaluation(List.of(101L, 102L), 8640, 4.0, 3.0, 0.020, 0.021, 0.3, 0.4, false);

  @JUnit5TestKit ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(CONFIG).build();

  /** A fake policy: a fixed version and evaluation, the recommendation a function of the tick. */
  record FakePolicy(
      int version, ShadowEvaluation evaluation, Function<Long, PipelineConfig> targets)
      implements LearnedPolicy {
    @Override
    public LearnedPolicy fresh() {
      return this; // a record: no working memory
    }

    @Override
    public Optional<Recommendation> recommend(TelemetrySnapshot snapshot, SlaSpec sla) {
      PipelineConfig t = targets.apply(snapshot.tick());
      if (t == null) {
        throw new IllegalStateException("policy broke at tick " + snapshot.tick());
      }
      return Optional.of(
          new Recommendation(
              t, 0.8, new ExpectedEffect(0.05, -0.05, 800_000, 200, 1), List.of("state vector")));
    }
  }

  private static PipelineConfig scaled(int parallelism) {
    Map<String, Integer> p = new java.util.LinkedHashMap<>();
    BASE.parallelism().keySet().forEach(op -> p.put(op, parallelism));
    return BASE.withParallelism(p);
  }

  private EventSourcedBehaviorTestKit<
          AgentProtocol.Command, OptimizationAgent.Event, OptimizationAgent.State>
      agent(String id, LearnedSettings learned, LearnedPolicy policy) {
    var kit =
        EventSourcedBehaviorTestKit
            .<AgentProtocol.Command, OptimizationAgent.Event, OptimizationAgent.State>create(
                testKit.system(),
                OptimizationAgent.create(
                    id,
                    PersistenceId.of("optimization", id),
                    SETTINGS,
                    new LearnedGate(SETTINGS, learned),
                    Optional.of(policy)));
    kit.clear();
    return kit;
  }

  private static AgentProtocol.Proposals evaluate(
      EventSourcedBehaviorTestKit<
              AgentProtocol.Command, OptimizationAgent.Event, OptimizationAgent.State>
          kit,
      String id,
      long tick) {
    TelemetrySnapshot s = Snapshots.builder(id, tick).config(BASE).build();
    return kit.<AgentProtocol.Proposals>runCommand(
            replyTo -> new AgentProtocol.Evaluate(s, SLA, replyTo))
        .reply();
  }

  private static <T> List<T> events(
      EventSourcedBehaviorTestKit<
              AgentProtocol.Command, OptimizationAgent.Event, OptimizationAgent.State>
          kit,
      String id,
      Class<T> type) {
    return kit.persistenceTestKit().persistedInStorage("optimization|" + id).stream()
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }

  @Test
  void beforePromotionTheRecommendationIsOnlyAShadowProposalRateLimited() {
    String id = "shadow";
    var kit = agent(id, LEARNED, new FakePolicy(3, LOSS, t -> scaled(t < 40 ? 20 : 24)));
    AgentProtocol.Proposals first = evaluate(kit, id, 0);
    assertTrue(first.proposals().isEmpty(), "DS2 is still settling: nothing live");
    assertEquals(1, first.shadowProposals().size());
    Proposal shadow = first.shadowProposals().get(0);
    assertEquals("optimization-shadow-0-1", shadow.id());
    assertEquals(PriorityClass.OPTIMIZATION, shadow.priority());
    assertEquals("learned policy v3", shadow.cause());
    assertEquals(scaled(20), ((Action.Reconfigure) shadow.action()).target());
    assertTrue(shadow.evidence().contains("learned policy v3 (shadow)"));

    // The same recommendation is not journaled again; a changed one waits for the interval.
    for (long t = 1; t < 60; t++) {
      AgentProtocol.Proposals p = evaluate(kit, id, t);
      assertTrue(p.proposals().isEmpty(), "tick " + t);
      assertEquals(t == 40 ? 1 : 0, p.shadowProposals().size(), "tick " + t);
    }
    List<OptimizationAgent.ShadowProposed> journaled =
        events(kit, id, OptimizationAgent.ShadowProposed.class);
    assertEquals(List.of(0L, 40L), journaled.stream().map(e -> e.tick()).toList());
    assertEquals(3, journaled.get(0).policyVersion());
    assertTrue(events(kit, id, OptimizationAgent.PolicyPromoted.class).isEmpty());
    assertEquals(2, kit.getState().shadowProposalsTotal());
    assertEquals(0, kit.getState().proposalsTotal(), "a shadow proposal is no proposal");
  }

  @Test
  void aShadowWinPromotesOnceAndTheLearnedProposalsAreLiveAfterARestartToo() {
    String id = "win";
    var kit = agent(id, LEARNED, new FakePolicy(4, WIN, t -> scaled(20)));
    AgentProtocol.Proposals first = evaluate(kit, id, 0);
    assertTrue(first.shadowProposals().isEmpty());
    assertEquals(1, first.proposals().size());
    Proposal live = first.proposals().get(0);
    assertEquals("optimization-win-0-1", live.id());
    assertEquals("learned policy v4", live.cause());
    assertEquals(6, live.expiryTick() - live.tick());
    assertEquals(0.8, live.confidence());
    assertTrue(live.evidence().contains("learned policy v4 (live)"));

    OptimizationAgent.PolicyPromoted promoted =
        events(kit, id, OptimizationAgent.PolicyPromoted.class).get(0);
    assertEquals(4, promoted.policyVersion());
    assertFalse(promoted.override());
    assertEquals(WIN, promoted.evaluation());
    assertTrue(promoted.reason().startsWith("shadow evaluation beats DS2"), promoted.reason());
    OptimizationAgent.LearnedProposed proposed =
        events(kit, id, OptimizationAgent.LearnedProposed.class).get(0);
    assertEquals(live, proposed.proposal());

    // Replayed: still promoted, not promoted again, and the cooldown holds.
    OptimizationAgent.State restarted = kit.restart().state();
    assertEquals(4, restarted.promotedVersion());
    for (long t = 1; t < SETTINGS.cooldownTicks(); t++) {
      AgentProtocol.Proposals p = evaluate(kit, id, t);
      assertTrue(p.proposals().isEmpty() && p.shadowProposals().isEmpty(), "tick " + t);
    }
    assertEquals(1, evaluate(kit, id, SETTINGS.cooldownTicks()).proposals().size());
    assertEquals(1, events(kit, id, OptimizationAgent.PolicyPromoted.class).size());
    assertTrue(events(kit, id, OptimizationAgent.ScalingProposed.class).isEmpty(), "DS2 silent");
  }

  @Test
  void withoutAShadowWinTheGateOverrideIsJournaledAsSuch() {
    String id = "override";
    var kit =
        agent(
            id,
            LEARNED.withRequireShadowWin(false),
            new FakePolicy(2, ShadowEvaluation.none(), t -> scaled(20)));
    assertEquals(1, evaluate(kit, id, 0).proposals().size());
    OptimizationAgent.PolicyPromoted promoted =
        events(kit, id, OptimizationAgent.PolicyPromoted.class).get(0);
    assertTrue(promoted.override());
    assertTrue(promoted.reason().startsWith("operator override"), promoted.reason());
    assertTrue(promoted.summary().contains("OVERRIDE"), promoted.summary());
    assertEquals(2, kit.restart().state().promotedVersion());
  }

  @Test
  void repeatedRollbacksDemoteThePolicyBackToShadowForGood() {
    String id = "demote";
    int limit = LEARNED.demoteAfterFailures();
    var kit = agent(id, LEARNED, new FakePolicy(5, WIN, t -> scaled(20 + (int) (t % 7))));
    long t = 0;
    for (int failure = 1; failure <= limit; failure++) {
      AgentProtocol.Proposals p = evaluate(kit, id, t);
      assertEquals(1, p.proposals().size(), "live proposal " + failure);
      kit.runCommand(
          new AgentProtocol.Outcome(
              p.proposals().get(0).id(),
              t + 20,
              AgentProtocol.OutcomeKind.ROLLED_BACK,
              "throughput 20 % short"));
      // Past the back-off of a failed scale-up for the next one.
      t += SETTINGS.rollbackBackoffTicks() + 20;
    }
    OptimizationAgent.PolicyDemoted demoted =
        events(kit, id, OptimizationAgent.PolicyDemoted.class).get(0);
    assertEquals(5, demoted.policyVersion());
    assertEquals(limit, demoted.failures());
    OptimizationAgent.State state = kit.restart().state();
    assertEquals(0, state.promotedVersion());
    assertTrue(state.demotedVersions().contains(5));

    // Back in shadow: no live learned proposal, and the version is not promoted again.
    AgentProtocol.Proposals p = evaluate(kit, id, t);
    assertTrue(p.proposals().isEmpty());
    assertEquals(1, p.shadowProposals().size());
    assertEquals(1, events(kit, id, OptimizationAgent.PolicyPromoted.class).size());
  }

  @Test
  void aPolicyThatThrowsHasNoRecommendationAndTheEntityKeepsRunning() {
    String id = "broken";
    var kit = agent(id, LEARNED, new FakePolicy(1, LOSS, t -> null));
    AgentProtocol.Proposals p = evaluate(kit, id, 0);
    assertTrue(p.proposals().isEmpty() && p.shadowProposals().isEmpty());
    assertEquals(0, kit.getState().shadowProposalsTotal());
    assertInstanceOf(
        AgentProtocol.Proposals.class, evaluate(kit, id, 1), "still answers the next tick");
  }
}
