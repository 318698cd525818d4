package dev.autopilot.agents.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.recovery.policy.RecoverySettings;
import dev.autopilot.api.Action;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.AgentProtocol;
import dev.autopilot.api.AuditEvent;
import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.Metric;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TaskManagerMetrics;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.serialization.jackson.JacksonJsonSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The recovery entity with the persistence testkit: every command, event and state round-trips
 * through the project's Jackson serializer, and {@code restart()} replays the journal.
 */
@ExtendWith(LogCapturingExtension.class)
class RecoveryAgentTest {
  private static final String PIPELINE = "p1";
  private static final SlaSpec SLA = new SlaSpec(800_000, 500, 0.05);
  private static final ActorTestKit TEST_KIT =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
  private static final RecoverySettings SETTINGS = RecoverySettings.create(ConfigFactory.load());

  private EventSourcedBehaviorTestKit<
          AgentProtocol.Command, RecoveryAgent.Event, RecoveryAgent.State>
      kit;
  private Random rnd;
  private long tick;

  @AfterAll
  static void shutdown() {
    TEST_KIT.shutdownTestKit();
  }

  @BeforeEach
  void setUp() {
    kit =
        EventSourcedBehaviorTestKit.create(
            TEST_KIT.system(),
            RecoveryAgent.create(
                PIPELINE,
                PersistenceId.of(RecoveryAgent.ENTITY_TYPE_KEY.name(), PIPELINE),
                SETTINGS));
    kit.clear();
    rnd = new Random(99);
    tick = 0;
  }

  private EventSourcedBehaviorTestKit.CommandResultWithReply<
          AgentProtocol.Command, RecoveryAgent.Event, RecoveryAgent.State, AgentProtocol.Proposals>
      evaluate(TelemetrySnapshot s) {
    return kit.runCommand(replyTo -> new AgentProtocol.Evaluate(s, SLA, replyTo));
  }

  private TelemetrySnapshot healthy() {
    TelemetrySnapshot s =
        Snapshots.builder(PIPELINE, tick++)
            .throughput(500_000 * (1 + 0.02 * rnd.nextGaussian()))
            .latencyP99(120 * (1 + 0.05 * rnd.nextGaussian()))
            .build();
    return s;
  }

  /**
   * A task crash: job restarting, subtask failures and exceptions up, window-agg loses its input.
   */
  private TelemetrySnapshot crash(int k) {
    TelemetrySnapshot s =
        Snapshots.builder(PIPELINE, tick++)
            .throughput(500_000 * (1 + 0.02 * rnd.nextGaussian()))
            .latencyP99(120 * (1 + 0.05 * rnd.nextGaussian()))
            .state(k < 2 ? JobMetrics.JobState.RESTARTING : JobMetrics.JobState.RUNNING)
            .tm(Metric.TASKS_FAILED_TOTAL, 2 * (k + 1))
            .tm(Metric.EXCEPTIONS, 40)
            .build();
    List<dev.autopilot.api.OperatorMetrics> ops = new ArrayList<>();
    for (dev.autopilot.api.OperatorMetrics op : s.operators()) {
      ops.add(
          op.operatorId().equals("window-agg")
              ? new dev.autopilot.api.OperatorMetrics(
                  op.operatorId(),
                  op.parallelism(),
                  op.recordsInPerSecond() * 0.3,
                  op.recordsOutPerSecond() * 0.3,
                  50,
                  0,
                  950,
                  0,
                  op.stateSizeBytes())
              : op);
    }
    JobMetrics j = s.job();
    return new TelemetrySnapshot(
        s.pipelineId(),
        s.tick(),
        s.eventTimeMillis(),
        s.taskManagers(),
        ops,
        s.checkpoints(),
        new JobMetrics(
            j.state(),
            j.throughputPerSecond(),
            j.latencyP99Ms(),
            j.consumerLag(),
            1,
            j.runningTaskManagers()),
        s.config());
  }

  private void warmUp() {
    for (int i = 0; i < 30; i++) {
      var r = evaluate(healthy());
      assertTrue(r.events().isEmpty(), "healthy tick journaled " + r.events());
      assertTrue(r.reply().proposals().isEmpty());
    }
  }

  /** Drives a crash until the agent proposes; returns that tick's result. */
  private EventSourcedBehaviorTestKit.CommandResultWithReply<
          AgentProtocol.Command, RecoveryAgent.Event, RecoveryAgent.State, AgentProtocol.Proposals>
      crashUntilProposal() {
    for (int k = 0; k < 10; k++) {
      var r = evaluate(crash(k));
      if (!r.reply().proposals().isEmpty()) {
        return r;
      }
      assertTrue(r.events().isEmpty());
    }
    throw new AssertionError("the agent never proposed");
  }

  private RecoveryAgent.State stateViaGetState() {
    return kit.<RecoveryAgent.State>runCommand(RecoveryAgent.GetState::new).reply();
  }

  private RecoveryAgent.State foldJournal() {
    RecoveryAgent.State s = RecoveryAgent.State.empty(PIPELINE);
    for (Object e :
        kit.persistenceTestKit().persistedInStorage(PersistenceId.of("recovery", PIPELINE).id())) {
      s = s.apply((RecoveryAgent.Event) e);
    }
    return s;
  }

  @Test
  void proposesTheFirstRungAndJournalsTheIncident() {
    warmUp();
    var r = crashUntilProposal();
    AgentProtocol.Proposals reply = r.reply();
    assertEquals(PIPELINE, reply.pipelineId());
    assertEquals(tick - 1, reply.tick());
    assertEquals(AgentKind.RECOVERY, reply.agent());
    assertEquals(new Action.RestartTask("window-agg"), reply.proposals().get(0).action());

    assertEquals(2, r.events().size());
    RecoveryAgent.IncidentOpened opened =
        assertInstanceOf(RecoveryAgent.IncidentOpened.class, r.events().get(0));
    RecoveryAgent.ActionProposed proposed =
        assertInstanceOf(RecoveryAgent.ActionProposed.class, r.events().get(1));
    assertEquals(reply.proposals().get(0), proposed.proposal());
    assertTrue(opened.summary().contains("TASK_CRASH"), opened.summary());
    for (AuditEvent e : r.events()) {
      assertEquals(PIPELINE, e.pipelineId());
      assertEquals(tick - 1, e.tick());
    }
    assertEquals(1, r.state().incidentsOpened());
    assertEquals(proposed.proposal().id(), r.state().incident().pending().proposalId());

    var again = evaluate(crash(5));
    assertTrue(again.reply().proposals().isEmpty(), "re-proposed while awaiting the outcome");
    assertTrue(again.events().isEmpty());
  }

  @Test
  void aRolledBackOutcomeIsJournaledAndEscalates() {
    warmUp();
    String first = crashUntilProposal().reply().proposals().get(0).id();
    var outcome =
        kit.runCommand(
            new AgentProtocol.Outcome(
                first, tick, AgentProtocol.OutcomeKind.ROLLED_BACK, "throughput 40% under"));
    assertEquals(2, outcome.events().size());
    assertInstanceOf(RecoveryAgent.OutcomeRecorded.class, outcome.events().get(0));
    RecoveryAgent.Escalated escalated =
        assertInstanceOf(RecoveryAgent.Escalated.class, outcome.events().get(1));
    assertEquals(1, escalated.toRung());
    assertEquals(1, outcome.state().incident().rung());

    var next = evaluate(crash(6));
    assertEquals(
        new Action.RedeployOperator("window-agg", 16), next.reply().proposals().get(0).action());
    assertInstanceOf(RecoveryAgent.ActionProposed.class, next.events().get(0));
  }

  @Test
  void restartRecoversTheSameStateAsTheJournal() {
    warmUp();
    String first = crashUntilProposal().reply().proposals().get(0).id();
    kit.runCommand(
        new AgentProtocol.Outcome(
            first, tick, AgentProtocol.OutcomeKind.FAILED, "platform refused"));
    evaluate(crash(6));
    RecoveryAgent.State live = stateViaGetState();
    assertNotNull(live.incident());
    assertEquals(live, foldJournal(), "journal fold equals the live state");

    var restarted = kit.restart();
    assertEquals(live, restarted.state());
    assertEquals(live, stateViaGetState());

    // the pending proposal survived the restart: no new proposal while it awaits its outcome
    var after = evaluate(crash(7));
    assertTrue(after.reply().proposals().isEmpty());
  }

  @Test
  void eventsAndStateRoundTripThroughTheProjectsJacksonSerializer() {
    warmUp();
    String first = crashUntilProposal().reply().proposals().get(0).id();
    kit.runCommand(
        new AgentProtocol.Outcome(first, tick, AgentProtocol.OutcomeKind.ROLLED_BACK, "rolled back"));
    List<Object> journaled = new ArrayList<>();
    journaled.addAll(
        kit.persistenceTestKit().persistedInStorage(PersistenceId.of("recovery", PIPELINE).id()));
    journaled.add(stateViaGetState());
    assertTrue(journaled.size() >= 5);
    Serialization serialization = SerializationExtension.get(TEST_KIT.system());
    for (Object o : journaled) {
      Serializer serializer = serialization.findSerializerFor(o);
      assertInstanceOf(JacksonJsonSerializer.class, serializer, o.getClass().getName());
      byte[] bytes = serialization.serialize(o).get();
      String manifest = Serializers.manifestFor(serializer, o);
      Object back = serialization.deserialize(bytes, serializer.identifier(), manifest).get();
      assertEquals(o, back);
    }
  }

  @Test
  void badInputIsAnsweredWithNoProposalsAndNoEvents() {
    warmUp();
    TelemetrySnapshot other = Snapshots.healthy("other-pipeline", tick++);
    var r1 = evaluate(other);
    assertTrue(r1.reply().proposals().isEmpty());
    assertEquals(PIPELINE, r1.reply().pipelineId());
    assertTrue(r1.events().isEmpty());

    var r2 = evaluate(null);
    assertTrue(r2.reply().proposals().isEmpty());
    assertEquals(-1, r2.reply().tick());

    TelemetrySnapshot good = healthy();
    List<TaskManagerMetrics> tms = new ArrayList<>(good.taskManagers());
    double[] v = tms.get(0).values().clone();
    v[Metric.CPU_LOAD.ordinal()] = -3;
    tms.set(0, TaskManagerMetrics.of(tms.get(0).taskManagerId(), tms.get(0).nodeId(), v));
    TelemetrySnapshot negative =
        new TelemetrySnapshot(
            good.pipelineId(),
            good.tick(),
            good.eventTimeMillis(),
            tms,
            good.operators(),
            good.checkpoints(),
            good.job(),
            good.config());
    assertTrue(evaluate(negative).reply().proposals().isEmpty());

    TelemetrySnapshot missingJob =
        new TelemetrySnapshot(
            PIPELINE,
            tick++,
            good.eventTimeMillis(),
            good.taskManagers(),
            good.operators(),
            good.checkpoints(),
            null,
            good.config());
    assertTrue(evaluate(missingJob).reply().proposals().isEmpty());

    var noSla =
        kit.<AgentProtocol.Proposals>runCommand(
            replyTo -> new AgentProtocol.Evaluate(healthy(), null, replyTo));
    assertTrue(noSla.reply().proposals().isEmpty());

    var ok = evaluate(healthy());
    var stale = evaluate(Snapshots.healthy(PIPELINE, tick - 1));
    assertTrue(stale.reply().proposals().isEmpty());
    assertEquals(ok.state(), stale.state());

    var outcome =
        kit.runCommand(
            new AgentProtocol.Outcome(
                "recovery-p1-3-0", tick, AgentProtocol.OutcomeKind.VERIFIED, null));
    assertTrue(outcome.events().isEmpty());
    var malformed = kit.runCommand(new AgentProtocol.Outcome(null, tick, null, null));
    assertTrue(malformed.events().isEmpty());

    assertEquals(0, stateViaGetState().incidentsOpened());
    assertTrue(
        evaluate(healthy()).reply().proposals().isEmpty(), "still answering after bad input");
  }
}
