package dev.autopilot.agents.optimization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.optimization.policy.OptimizationSettings;
import dev.autopilot.agents.optimization.policy.ScalingDirection;
import dev.autopilot.api.Action;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.AgentProtocol;
import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;
import java.util.List;
import java.util.Map;
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
class OptimizationAgentTest {
  private static final Config CONFIG =
      EventSourcedBehaviorTestKit.config()
          .withFallback(ConfigFactory.parseString("pekko.actor.serialize-messages = on"))
          .withFallback(ConfigFactory.load());
  private static final SlaSpec SLA = new SlaSpec(800_000, 500, 0.05);

  @JUnit5TestKit ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(CONFIG).build();

  private EventSourcedBehaviorTestKit<
          AgentProtocol.Command, OptimizationAgent.Event, OptimizationAgent.State>
      agent;

  @BeforeEach
  void setUp() {
    OptimizationSettings settings = OptimizationSettings.create(ConfigFactory.load());
    agent =
        EventSourcedBehaviorTestKit.create(
            testKit.system(),
            OptimizationAgent.create("p1", PersistenceId.of("optimization", "p1"), settings));
    agent.clear();
  }

  /** Saturated at 800,000/s (busy 1.0, p = 16) with a standing backlog: DS2 scales up. */
  private static TelemetrySnapshot saturated(long tick) {
    return Snapshots.builder("p1", tick).throughput(800_000).busy(1.0).lag(3e7).build();
  }

  private CommandResultWithReply<
          AgentProtocol.Command,
          OptimizationAgent.Event,
          OptimizationAgent.State,
          AgentProtocol.Proposals>
      evaluate(TelemetrySnapshot s) {
    return agent.runCommand(replyTo -> new AgentProtocol.Evaluate(s, SLA, replyTo));
  }

  private Proposal settleAndPropose() {
    for (long t = 0; t < 6; t++) {
      var result = evaluate(saturated(t));
      assertTrue(result.reply().proposals().isEmpty(), "settling at tick " + t);
      assertTrue(result.hasNoEvents());
    }
    var result = evaluate(saturated(6));
    assertEquals(1, result.reply().proposals().size());
    Proposal proposal = result.reply().proposals().get(0);
    OptimizationAgent.ScalingProposed event =
        result.eventOfType(OptimizationAgent.ScalingProposed.class);
    assertEquals(proposal, event.proposal());
    assertEquals(proposal, result.state().lastProposal());
    return proposal;
  }

  @Test
  void proposalIsRepliedAndPersisted() {
    Proposal proposal = settleAndPropose();
    assertEquals("optimization-p1-6-0", proposal.id());
    assertEquals(AgentKind.OPTIMIZATION, proposal.agent());
    Action.Reconfigure action = assertInstanceOf(Action.Reconfigure.class, proposal.action());
    // r = 800,000 / 1.0 / 16 = 50,000; target = 800,000 + 30,000,000 / 300 s = 900,000;
    // required = ceil(900,000 / 35,000) = ceil(25.7) = 26, TaskManagers ceil(26 / 4) = 7.
    action.target().parallelism().values().forEach(p -> assertEquals(26, p));
    assertEquals(7, action.target().taskManagers());
    assertEquals(1, agent.getState().proposalsTotal());

    // A repeated Evaluate of the same tick answers the same proposal without persisting again.
    var again = evaluate(saturated(6));
    assertEquals(List.of(proposal), again.reply().proposals());
    assertTrue(again.hasNoEvents());
    // Pending: nothing new on the next tick.
    var next = evaluate(saturated(7));
    assertTrue(next.reply().proposals().isEmpty());
    assertTrue(next.hasNoEvents());
  }

  @Test
  void outcomeIsPersisted() {
    Proposal proposal = settleAndPropose();
    var result =
        agent.runCommand(
            new AgentProtocol.Outcome(
                proposal.id(), 25, AgentProtocol.OutcomeKind.ROLLED_BACK, "throughput 20 % short"));
    OptimizationAgent.OutcomeRecorded event =
        result.eventOfType(OptimizationAgent.OutcomeRecorded.class);
    assertEquals(AgentProtocol.OutcomeKind.ROLLED_BACK, event.outcome());
    assertEquals(25, event.tick());
    assertTrue(result.state().lastProposalResolved());
    assertEquals(Map.of(AgentProtocol.OutcomeKind.ROLLED_BACK, 1L), result.state().outcomes());

    var foreign =
        agent.runCommand(
            new AgentProtocol.Outcome(
                "prediction-p1-6-0", 9, AgentProtocol.OutcomeKind.VERIFIED, ""));
    assertTrue(foreign.hasNoEvents());
  }

  @Test
  void aRolledBackScaleUpIsNotProposedAgainForTheBackoffEvenAfterARestart() {
    Proposal proposal = settleAndPropose();
    assertEquals(
        ScalingDirection.UP,
        agent.getState().lastDirection(),
        "the direction is journaled with the proposal");
    agent.runCommand(
        new AgentProtocol.Outcome(
            proposal.id(), 25, AgentProtocol.OutcomeKind.ROLLED_BACK, "p99 over the prediction"));
    assertEquals(25, agent.getState().lastFailedUpTick());
    assertEquals(Long.MIN_VALUE, agent.getState().lastFailedDownTick());
    // Rebuilt from the journal alone.
    assertEquals(25, agent.restart().state().lastFailedUpTick());
    int backoff = OptimizationSettings.create(ConfigFactory.load()).rollbackBackoffTicks();
    long end = 25 + backoff;
    for (long t = 7; t < end; t++) {
      assertTrue(evaluate(saturated(t)).reply().proposals().isEmpty(), "tick " + t);
    }
    assertEquals(1, evaluate(saturated(end)).reply().proposals().size());
  }

  @Test
  void aVerifiedProposalStartsTheCooldownButNoBackoff() {
    Proposal proposal = settleAndPropose();
    agent.runCommand(
        new AgentProtocol.Outcome(proposal.id(), 8, AgentProtocol.OutcomeKind.VERIFIED, "ok"));
    assertEquals(Long.MIN_VALUE, agent.getState().lastFailedUpTick());
    // Only the cooldown (30 ticks from the proposal) holds the next one back.
    for (long t = 7; t < 36; t++) {
      assertTrue(evaluate(saturated(t)).reply().proposals().isEmpty(), "tick " + t);
    }
    assertEquals(1, evaluate(saturated(36)).reply().proposals().size());
  }

  @Test
  void aRejectedProposalIsRetriedAfterTheShorterRetryWait() {
    OptimizationSettings settings = OptimizationSettings.create(ConfigFactory.load());
    assertTrue(settings.rejectedRetryTicks() < settings.cooldownTicks());
    Proposal proposal = settleAndPropose();
    agent.runCommand(
        new AgentProtocol.Outcome(
            proposal.id(), 7, AgentProtocol.OutcomeKind.REJECTED, "COOLDOWN of the meta-agent"));
    assertEquals(Long.MIN_VALUE, agent.getState().lastFailedUpTick(), "no back-off either");
    long retry = 6 + settings.rejectedRetryTicks();
    for (long t = 7; t < retry; t++) {
      assertTrue(evaluate(saturated(t)).reply().proposals().isEmpty(), "tick " + t);
    }
    List<Proposal> again = evaluate(saturated(retry)).reply().proposals();
    assertEquals(1, again.size(), "proposed again once nothing was applied");
    assertEquals(proposal.action(), again.get(0).action());
  }

  @Test
  void restartRestoresTheSameState() {
    Proposal proposal = settleAndPropose();
    agent.runCommand(
        new AgentProtocol.Outcome(
            proposal.id(), 8, AgentProtocol.OutcomeKind.VERIFIED, "verified"));
    OptimizationAgent.State before = agent.getState();

    OptimizationAgent.State after = agent.restart().state();
    assertEquals(before, after);
    assertNotNull(after.lastProposal());
    assertEquals(before, agent.runCommand(OptimizationAgent.GetState::new).reply());

    OptimizationAgent.State folded =
        agent.persistenceTestKit().persistedInStorage("optimization|p1").stream()
            .map(OptimizationAgent.Event.class::cast)
            .reduce(
                OptimizationAgent.State.empty("p1"), OptimizationAgent.State::apply, (a, b) -> b);
    assertEquals(before, folded);

    // The cooldown survives the restart: the rebuilt controller settles, then still waits.
    for (long t = 9; t < 36; t++) {
      assertTrue(evaluate(saturated(t)).reply().proposals().isEmpty(), "tick " + t);
    }
    assertEquals(1, evaluate(saturated(36)).reply().proposals().size());
  }

  @Test
  void evaluateForAnotherPipelineAnswersEmpty() {
    var result = evaluate(Snapshots.healthy("p2", 5));
    assertEquals("p1", result.reply().pipelineId());
    assertEquals(5, result.reply().tick());
    assertEquals(AgentKind.OPTIMIZATION, result.reply().agent());
    assertTrue(result.reply().proposals().isEmpty());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void uselessSnapshotAnswersEmptyWithoutFailing() {
    TelemetrySnapshot healthy = Snapshots.healthy("p1", 3);
    TelemetrySnapshot noJob =
        new TelemetrySnapshot(
            "p1",
            3,
            healthy.eventTimeMillis(),
            healthy.taskManagers(),
            healthy.operators(),
            healthy.checkpoints(),
            null,
            healthy.config());
    var result = evaluate(noJob);
    assertTrue(result.reply().proposals().isEmpty());
    assertTrue(result.hasNoEvents());

    for (long t = 4; t < 20; t++) {
      var restarting =
          evaluate(
              Snapshots.builder("p1", t)
                  .state(JobMetrics.JobState.RESTARTING)
                  .throughput(0)
                  .busy(0)
                  .lag(1e6 * t)
                  .build());
      assertTrue(restarting.reply().proposals().isEmpty());
      assertTrue(restarting.hasNoEvents());
    }
    assertTrue(evaluate(Snapshots.healthy("p1", 20)).reply().proposals().isEmpty());
  }
}
