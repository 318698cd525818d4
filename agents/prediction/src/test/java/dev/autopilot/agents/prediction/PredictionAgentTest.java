package dev.autopilot.agents.prediction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.prediction.policy.PredictionSettings;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.AgentProtocol;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PredictionAgentTest {
  private static final Config CONFIG =
      EventSourcedBehaviorTestKit.config()
          .withFallback(ConfigFactory.parseString("pekko.actor.serialize-messages = on"))
          .withFallback(ConfigFactory.load());
  private static final SlaSpec SLA = new SlaSpec(800_000, 500, 0.05);
  private static final double CAPACITY = 1_000_000;

  @JUnit5TestKit ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(CONFIG).build();

  private EventSourcedBehaviorTestKit<
          AgentProtocol.Command, PredictionAgent.Event, PredictionAgent.State>
      agent;

  @BeforeEach
  void setUp() {
    PredictionSettings settings = PredictionSettings.create(ConfigFactory.load());
    agent =
        EventSourcedBehaviorTestKit.create(
            testKit.system(),
            PredictionAgent.create("p1", PersistenceId.of("prediction", "p1"), settings));
    agent.clear();
  }

  private static TelemetrySnapshot ramp(long tick) {
    double demand = tick < 60 ? 400_000 : 400_000 + 10_000.0 * (tick - 60);
    return Snapshots.builder("p1", tick).throughput(demand).busy(demand / CAPACITY).build();
  }

  private CommandResultWithReply<
          AgentProtocol.Command,
          PredictionAgent.Event,
          PredictionAgent.State,
          AgentProtocol.Proposals>
      evaluate(TelemetrySnapshot s) {
    return agent.runCommand(replyTo -> new AgentProtocol.Evaluate(s, SLA, replyTo));
  }

  /** Drives the ramp until the agent proposes; returns the proposing tick's result. */
  private CommandResultWithReply<
          AgentProtocol.Command,
          PredictionAgent.Event,
          PredictionAgent.State,
          AgentProtocol.Proposals>
      rampUntilProposal() {
    for (long t = 0; t < 121; t++) {
      var result = evaluate(ramp(t));
      if (!result.reply().proposals().isEmpty()) {
        return result;
      }
      assertTrue(result.hasNoEvents(), "nothing persisted without a proposal");
    }
    throw new AssertionError("no proposal on the ramp");
  }

  @Test
  void proposalIsRepliedAndPersisted() {
    var result = rampUntilProposal();
    AgentProtocol.Proposals reply = result.reply();
    assertEquals("p1", reply.pipelineId());
    assertEquals(AgentKind.PREDICTION, reply.agent());
    assertEquals(1, reply.proposals().size());
    Proposal proposal = reply.proposals().get(0);
    assertEquals(reply.tick(), proposal.tick());

    PredictionAgent.PreScaleProposed event =
        result.eventOfType(PredictionAgent.PreScaleProposed.class);
    assertEquals(proposal, event.proposal());
    assertEquals(proposal, result.state().lastProposal());
    assertEquals(1, result.state().proposalsTotal());
    assertTrue(event.summary().contains(proposal.id()));

    // Pending: the next ticks of the ramp propose nothing more.
    var next = evaluate(ramp(proposal.tick() + 1));
    assertTrue(next.reply().proposals().isEmpty());
    assertTrue(next.hasNoEvents());
  }

  @Test
  void outcomeIsPersistedAndResolvesThePendingProposal() {
    Proposal proposal = rampUntilProposal().reply().proposals().get(0);
    var result =
        agent.runCommand(
            new AgentProtocol.Outcome(
                proposal.id(),
                proposal.tick() + 2,
                AgentProtocol.OutcomeKind.REJECTED,
                "cooldown"));
    PredictionAgent.OutcomeRecorded event =
        result.eventOfType(PredictionAgent.OutcomeRecorded.class);
    assertEquals(proposal.id(), event.proposalId());
    assertEquals(AgentProtocol.OutcomeKind.REJECTED, event.outcome());
    assertTrue(result.state().lastProposalResolved());
    assertEquals(1L, result.state().outcomes().get(AgentProtocol.OutcomeKind.REJECTED));
    assertEquals(event, result.state().lastOutcome());

    var foreign =
        agent.runCommand(
            new AgentProtocol.Outcome(
                "optimization-p1-3-0", 9, AgentProtocol.OutcomeKind.VERIFIED, ""));
    assertTrue(foreign.hasNoEvents());
  }

  @Test
  void aRolledBackPreScaleStartsABackoffRebuiltFromTheJournal() {
    Proposal proposal = rampUntilProposal().reply().proposals().get(0);
    long rolledBackAt = proposal.tick() + 5;
    agent.runCommand(
        new AgentProtocol.Outcome(
            proposal.id(), rolledBackAt, AgentProtocol.OutcomeKind.ROLLED_BACK, "p99 too high"));
    assertEquals(rolledBackAt, agent.getState().lastFailedTick());
    assertEquals(rolledBackAt, agent.restart().state().lastFailedTick());
    // The ramp goes on past the cooldown, but the back-off holds any new pre-scale.
    for (long t = proposal.tick() + 1; t < proposal.tick() + 60; t++) {
      assertTrue(evaluate(ramp(t)).reply().proposals().isEmpty(), "tick " + t);
    }
  }

  @Test
  void aRejectedPreScaleStartsNoBackoff() {
    Proposal proposal = rampUntilProposal().reply().proposals().get(0);
    agent.runCommand(
        new AgentProtocol.Outcome(
            proposal.id(), proposal.tick() + 1, AgentProtocol.OutcomeKind.REJECTED, "cooldown"));
    assertEquals(Long.MIN_VALUE, agent.getState().lastFailedTick());
  }

  @Test
  void restartRestoresTheSameState() {
    Proposal proposal = rampUntilProposal().reply().proposals().get(0);
    agent.runCommand(
        new AgentProtocol.Outcome(
            proposal.id(), proposal.tick() + 18, AgentProtocol.OutcomeKind.VERIFIED, "verified"));
    PredictionAgent.State before = agent.getState();

    PredictionAgent.State after = agent.restart().state();
    assertEquals(before, after);
    assertNotNull(after.lastProposal());

    var replayed = agent.runCommand(PredictionAgent.GetState::new);
    assertEquals(before, replayed.reply());
    // The journal folds through State.apply to the same state.
    PredictionAgent.State folded =
        agent.persistenceTestKit().persistedInStorage("prediction|p1").stream()
            .map(PredictionAgent.Event.class::cast)
            .reduce(
                new PredictionAgent.State(
                    "p1", null, false, 0, java.util.Map.of(), null, Long.MIN_VALUE),
                PredictionAgent.State::apply,
                (a, b) -> b);
    assertEquals(before, folded);
  }

  @Test
  void evaluateForAnotherPipelineAnswersEmpty() {
    var result = evaluate(Snapshots.healthy("p2", 5));
    assertEquals("p1", result.reply().pipelineId());
    assertEquals(5, result.reply().tick());
    assertTrue(result.reply().proposals().isEmpty());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void uselessSnapshotAnswersEmptyWithoutFailing() {
    TelemetrySnapshot healthy = Snapshots.healthy("p1", 3);
    TelemetrySnapshot noOperators =
        new TelemetrySnapshot(
            "p1",
            3,
            healthy.eventTimeMillis(),
            healthy.taskManagers(),
            java.util.List.of(),
            healthy.checkpoints(),
            healthy.job(),
            healthy.config());
    var result = evaluate(noOperators);
    assertTrue(result.reply().proposals().isEmpty());
    assertTrue(result.hasNoEvents());

    var restarting =
        evaluate(
            Snapshots.builder("p1", 4)
                .state(dev.autopilot.api.JobMetrics.JobState.RESTARTING)
                .throughput(0)
                .busy(0)
                .build());
    assertTrue(restarting.reply().proposals().isEmpty());

    // Still alive and answering.
    var alive = evaluate(Snapshots.healthy("p1", 5));
    assertInstanceOf(AgentProtocol.Proposals.class, alive.reply());
    assertTrue(alive.reply().proposals().isEmpty());
  }
}
