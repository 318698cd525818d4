package dev.autopilot.agents.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.meta.policy.Mode;
import dev.autopilot.api.Action;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.AgentProtocol;
import dev.autopilot.api.Decision;
import dev.autopilot.api.ExpectedEffect;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.PriorityClass;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiFunction;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MetaAgent on a single-node cluster, with fake prediction, recovery and optimization agents
 * registered through sharding, the persistence testkit journal and every message serialized.
 */
class MetaAgentTest {
  private static final Config CONFIG =
      ConfigFactory.parseString(
              "pekko.actor.provider = cluster\n"
                  + "pekko.remote.artery.canonical.hostname = \"127.0.0.1\"\n"
                  + "pekko.remote.artery.canonical.port = 0\n"
                  + "pekko.cluster.jmx.multi-mbeans-in-same-jvm = on\n"
                  + "pekko.actor.serialize-messages = on\n"
                  + "autopilot.meta.decision-deadline = 3s\n"
                  + "autopilot.meta.actuator.tick-timeout = 5s\n")
          .withFallback(PersistenceTestKitPlugin.config())
          .withFallback(PersistenceTestKitSnapshotPlugin.config())
          .withFallback(ConfigFactory.load());

  private static final ActorTestKit TESTKIT = ActorTestKit.create("MetaAgentTest", CONFIG);
  private static final RecordingPlatform PLATFORM = new RecordingPlatform(1);
  private static final SlaSpec SLA = new SlaSpec(800_000, 500, 0.05);
  private static final PipelineConfig BASE = Snapshots.defaultConfig();

  /** Per pipeline: what each fake agent answers at a tick (null: it stays silent). */
  private static final Map<String, BiFunction<AgentKind, Long, List<Proposal>>> SCRIPTS =
      new ConcurrentHashMap<>();

  /** Per pipeline: the shadow proposals each fake agent adds at a tick (absent: none). */
  private static final Map<String, BiFunction<AgentKind, Long, List<Proposal>>> SHADOW_SCRIPTS =
      new ConcurrentHashMap<>();

  /** Per pipeline: where the fake agents forward the outcomes they are told. */
  private static final Map<String, TestProbe<AgentProtocol.Outcome>> OUTCOMES =
      new ConcurrentHashMap<>();

  private static PersistenceTestKit journal;

  @BeforeAll
  static void startCluster() {
    assertTrue(TESTKIT.system().settings().config().getBoolean("pekko.actor.serialize-messages"));
    Cluster cluster = Cluster.get(TESTKIT.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    TestProbe<Object> probe = TESTKIT.createTestProbe();
    probe.awaitAssert(
        Duration.ofSeconds(10),
        () -> {
          assertEquals(MemberStatus.up(), cluster.selfMember().status());
          return null;
        });
    ClusterSharding sharding = ClusterSharding.get(TESTKIT.system());
    for (AgentKind kind : MetaAgent.PROPOSERS) {
      sharding.init(Entity.of(MetaAgent.agentKey(kind), ec -> fakeAgent(kind, ec.getEntityId())));
    }
    MetaAgent.initSharding(
        TESTKIT.system(), MetaSettings.create(TESTKIT.system().settings().config()), PLATFORM);
    journal = PersistenceTestKit.create(TESTKIT.system());
  }

  @AfterAll
  static void shutdown() {
    TESTKIT.shutdownTestKit();
  }

  private static Behavior<AgentProtocol.Command> fakeAgent(AgentKind kind, String pipelineId) {
    return Behaviors.receive(AgentProtocol.Command.class)
        .onMessage(
            AgentProtocol.Evaluate.class,
            e -> {
              long tick = e.snapshot().tick();
              List<Proposal> answer = SCRIPTS.get(pipelineId).apply(kind, tick);
              BiFunction<AgentKind, Long, List<Proposal>> shadow = SHADOW_SCRIPTS.get(pipelineId);
              List<Proposal> shadows = shadow == null ? null : shadow.apply(kind, tick);
              if (answer != null) {
                e.replyTo()
                    .tell(
                        new AgentProtocol.Proposals(pipelineId, tick, kind, answer, null, shadows));
              }
              return Behaviors.same();
            })
        .onMessage(
            AgentProtocol.Outcome.class,
            o -> {
              OUTCOMES.get(pipelineId).ref().tell(o);
              return Behaviors.same();
            })
        .build();
  }

  private static Proposal proposal(
      String pipelineId, AgentKind agent, PriorityClass pc, Action action, long tick) {
    return new Proposal(
        agent.entityTypeName() + "-" + pipelineId + "-" + tick + "-0",
        pipelineId,
        agent,
        pc,
        action,
        0.9,
        new ExpectedEffect(0.05, -0.05, 500_000, 120, 1),
        List.of("evidence of " + agent),
        "cause of " + agent,
        tick,
        tick + 3);
  }

  private static EntityRef<MetaAgent.Command> meta(String pipelineId) {
    return ClusterSharding.get(TESTKIT.system())
        .entityRefFor(MetaAgent.ENTITY_TYPE_KEY, pipelineId);
  }

  private static void script(String pipelineId, BiFunction<AgentKind, Long, List<Proposal>> f) {
    SCRIPTS.put(pipelineId, f);
    OUTCOMES.put(pipelineId, TESTKIT.createTestProbe());
    PLATFORM.register(pipelineId, BASE);
  }

  private static MetaAgent.TickClosed tick(String pipelineId, long tick, PipelineConfig config) {
    TestProbe<MetaAgent.TickClosed> probe = TESTKIT.createTestProbe();
    TelemetrySnapshot s = Snapshots.builder(pipelineId, tick).config(config).build();
    meta(pipelineId).tell(new MetaAgent.OpenTick(s, SLA, probe.ref()));
    return probe.receiveMessage(Duration.ofSeconds(10));
  }

  private static void setMode(String pipelineId, Mode mode) {
    TestProbe<StatusReply<Done>> probe = TESTKIT.createTestProbe();
    meta(pipelineId).tell(new MetaAgent.SetMode(mode, "test", probe.ref()));
    assertTrue(probe.receiveMessage(Duration.ofSeconds(10)).isSuccess());
  }

  private static MetaAgent.State state(String pipelineId) {
    TestProbe<MetaAgent.State> probe = TESTKIT.createTestProbe();
    meta(pipelineId).tell(new MetaAgent.GetState(probe.ref()));
    return probe.receiveMessage(Duration.ofSeconds(10));
  }

  private static MetaAgent.State replay(String pipelineId, List<Object> events) {
    MetaAgent.State s = MetaAgent.State.initial(pipelineId, Mode.AUTONOMOUS);
    for (Object e : events) {
      s = s.apply((MetaAgent.Event) e);
    }
    return s;
  }

  @Test
  void aFullTickCollectsDecidesActuatesAndCloses() {
    String p = "full";
    Action prescale = new Action.Rescale(Map.of("enrich", 24));
    script(
        p,
        (kind, tick) ->
            tick != 1
                ? List.of()
                : switch (kind) {
                  case PREDICTION ->
                      List.of(proposal(p, kind, PriorityClass.SLA_PROTECTION, prescale, tick));
                  case OPTIMIZATION ->
                      List.of(
                          proposal(
                              p,
                              kind,
                              PriorityClass.OPTIMIZATION,
                              new Action.SetNetworkBuffers(48),
                              tick));
                  default -> List.of();
                });
    MetaAgent.TickClosed closed = tick(p, 1, BASE);
    assertEquals(1, closed.tick());
    assertEquals(2, closed.proposals().size());
    assertEquals(List.of(), closed.missingAgents());
    Decision d = closed.decision();
    assertEquals(Decision.Verdict.APPLY, d.verdict());
    assertEquals("prediction-full-1-0", d.chosen().id());
    assertEquals(1, d.rejections().size());
    assertEquals(Decision.RejectionCode.LOWER_PRIORITY, d.rejections().get(0).code());
    assertEquals(1, closed.actuations().size());
    assertEquals(Actuator.Report.Kind.APPLIED, closed.actuations().get(0).kind());
    PipelineConfig target = prescale.targetConfig(BASE);
    assertEquals(target, PLATFORM.config(p));

    AgentProtocol.Outcome rejected = OUTCOMES.get(p).receiveMessage(Duration.ofSeconds(10));
    assertEquals("optimization-full-1-0", rejected.proposalId());
    assertEquals(AgentProtocol.OutcomeKind.REJECTED, rejected.outcome());

    // The decision and its rejection are journaled; quiet ticks are not.
    List<Object> events = journal.persistedInStorage("meta|full");
    assertEquals(1, events.size());
    MetaAgent.DecisionMade made = assertInstanceOf(MetaAgent.DecisionMade.class, events.get(0));
    assertEquals(d, made.decision());

    // Ticks opened back to back are closed one at a time, in order; the change verifies after
    // its settle tick, the tick its window's start is found (caught up) and 18 ticks, and the
    // prediction agent hears it.
    TestProbe<MetaAgent.TickClosed> probe = TESTKIT.createTestProbe();
    for (long t = 2; t <= 21; t++) {
      TelemetrySnapshot s = Snapshots.builder(p, t).config(target).build();
      meta(p).tell(new MetaAgent.OpenTick(s, SLA, probe.ref()));
    }
    MetaAgent.TickClosed last = null;
    for (long t = 2; t <= 21; t++) {
      last = probe.receiveMessage(Duration.ofSeconds(10));
      assertEquals(t, last.tick());
      assertEquals(Decision.Verdict.NO_ACTION, last.decision().verdict());
    }
    assertEquals(Actuator.Report.Kind.VERIFIED, last.actuations().get(0).kind());
    AgentProtocol.Outcome verified = OUTCOMES.get(p).receiveMessage(Duration.ofSeconds(10));
    assertEquals("prediction-full-1-0", verified.proposalId());
    assertEquals(AgentProtocol.OutcomeKind.VERIFIED, verified.outcome());
    assertEquals(1, journal.persistedInStorage("meta|full").size());
    assertEquals(1, state(p).decisions());

    // A manual rollback goes through the meta-agent to the actuator: back to the baseline.
    TestProbe<StatusReply<PipelineConfig>> rollback = TESTKIT.createTestProbe();
    meta(p).tell(new MetaAgent.RequestRollback(1, "operator", null, rollback.ref()));
    assertEquals(BASE, rollback.receiveMessage(Duration.ofSeconds(10)).getValue());
    assertEquals(BASE, PLATFORM.config(p));
  }

  @Test
  void aFailedPlatformCallThatOutlastsItsTickIsReportedWithTheNextTick() {
    String p = "late";
    script(
        p,
        (kind, tick) ->
            tick == 1 && kind == AgentKind.OPTIMIZATION
                ? List.of(
                    proposal(
                        p,
                        kind,
                        PriorityClass.OPTIMIZATION,
                        new Action.SetNetworkBuffers(48),
                        tick))
                : List.of());
    CountDownLatch release = new CountDownLatch(1);
    PLATFORM.holdNext(p, release);
    PLATFORM.failNext(1, PlatformException.Kind.TIMEOUT);

    MetaAgent.TickClosed first = tick(p, 1, BASE);
    assertEquals(Decision.Verdict.APPLY, first.decision().verdict());
    assertEquals(List.of(), first.actuations(), "closed at the tick timeout, the call still runs");

    TestProbe<MetaAgent.TickClosed> probe = TESTKIT.createTestProbe();
    meta(p)
        .tell(
            new MetaAgent.OpenTick(Snapshots.builder(p, 2).config(BASE).build(), SLA, probe.ref()));
    release.countDown();
    MetaAgent.TickClosed second = probe.receiveMessage(Duration.ofSeconds(20));
    assertEquals(2, second.tick());
    assertEquals(1, second.actuations().size(), second.actuations()::toString);
    Actuator.Report late = second.actuations().get(0);
    assertEquals(Actuator.Report.Kind.FAILED, late.kind());
    assertEquals("optimization-late-1-0", late.proposalId());
    assertEquals("TIMEOUT", late.errorKind());
    assertEquals(BASE, PLATFORM.config(p), "nothing changed");
  }

  @Test
  void aMissingAgentIsDecidedAtTheDeadline() {
    String p = "silent";
    script(
        p,
        (kind, tick) ->
            switch (kind) {
              case OPTIMIZATION -> null;
              case RECOVERY ->
                  List.of(
                      proposal(
                          p, kind, PriorityClass.RECOVERY, new Action.RestartTask("enrich"), tick));
              default -> List.of();
            });
    MetaAgent.TickClosed closed = tick(p, 1, BASE);
    assertEquals(List.of(AgentKind.OPTIMIZATION), closed.missingAgents());
    assertEquals(Decision.Verdict.APPLY, closed.decision().verdict());
    assertEquals("recovery-silent-1-0", closed.decision().chosen().id());
    assertEquals(Actuator.Report.Kind.APPLIED, closed.actuations().get(0).kind());
    assertEquals("recover", PLATFORM.calls(p).get(0).kind());
    assertEquals("decision-silent-1", PLATFORM.calls(p).get(0).actionId());
    MetaAgent.DecisionMade made =
        assertInstanceOf(
            MetaAgent.DecisionMade.class, journal.persistedInStorage("meta|silent").get(0));
    assertEquals(List.of(AgentKind.OPTIMIZATION), made.missingAgents());
  }

  @Test
  void aScaleDownAgainstAForecastSurgeIsRefusedAndTheJournaledDecisionSaysWhy() {
    String p = "surge";
    // The pre-scale's predicted throughput is the forecast peak the prediction agent sized for.
    Proposal prescale =
        new Proposal(
            "prediction-surge-1-0",
            p,
            AgentKind.PREDICTION,
            PriorityClass.SLA_PROTECTION,
            new Action.Rescale(Map.of("enrich", 24)),
            0.9,
            new ExpectedEffect(0.8, -0.1, 900_000, 110, 2),
            List.of("violation probability 0.900 within 30 ticks >= threshold 0.600"),
            "SLA violation probability 0.90 within 30 ticks (model v7)",
            1,
            19);
    Proposal scaleDown =
        new Proposal(
            "optimization-surge-1-0",
            p,
            AgentKind.OPTIMIZATION,
            PriorityClass.OPTIMIZATION,
            new Action.Rescale(Map.of("enrich", 8)),
            0.8,
            new ExpectedEffect(0, 0.05, 500_000, 130, 0.5),
            List.of("enrich underused"),
            "cost",
            1,
            4);
    script(
        p,
        (kind, tick) ->
            tick != 1
                ? List.of()
                : switch (kind) {
                  case PREDICTION -> List.of(prescale);
                  case OPTIMIZATION -> List.of(scaleDown);
                  default -> List.of();
                });
    TestProbe<MetaAgent.TickClosed> probe = TESTKIT.createTestProbe();
    meta(p)
        .tell(
            new MetaAgent.OpenTick(
                Snapshots.builder(p, 1).config(BASE).throughput(500_000).busy(0.55).build(),
                SLA,
                probe.ref()));
    MetaAgent.TickClosed closed = probe.receiveMessage(Duration.ofSeconds(10));
    assertEquals("prediction-surge-1-0", closed.decision().chosen().id());
    MetaAgent.DecisionMade made =
        assertInstanceOf(
            MetaAgent.DecisionMade.class, journal.persistedInStorage("meta|surge").get(0));
    Decision.Rejection refused =
        made.decision().rejections().stream()
            .filter(r -> r.proposalId().equals("optimization-surge-1-0"))
            .findFirst()
            .orElseThrow();
    assertEquals(Decision.RejectionCode.CONFLICT, refused.code());
    assertTrue(
        refused.reason().startsWith("scale-down refused during a forecast surge:"),
        refused.reason());
    assertTrue(
        refused.reason().contains("prediction-surge-1-0 forecasts 900000/s against 500000/s"),
        refused.reason());
  }

  @Test
  void anAgentLeftOutOfTheProposersIsNeitherAskedNorAwaited() {
    String p = "ablated";
    Action prescale = new Action.Rescale(Map.of("enrich", 24));
    script(
        p,
        (kind, tick) ->
            kind == AgentKind.PREDICTION
                ? List.of(proposal(p, kind, PriorityClass.SLA_PROTECTION, prescale, tick))
                : List.of());
    MetaSettings full = MetaSettings.create(TESTKIT.system().settings().config());
    MetaSettings ablated =
        new MetaSettings(
            full.decisionDeadline(),
            full.mode(),
            full.arbiter(),
            full.verification(),
            full.historySize(),
            full.actuator(),
            List.of(AgentKind.RECOVERY, AgentKind.OPTIMIZATION));
    var meta =
        TESTKIT.spawn(
            MetaAgent.create(
                p,
                org.apache.pekko.persistence.typed.PersistenceId.ofUniqueId("meta|" + p),
                ablated,
                PLATFORM));
    TestProbe<MetaAgent.TickClosed> probe = TESTKIT.createTestProbe();
    meta.tell(
        new MetaAgent.OpenTick(Snapshots.builder(p, 1).config(BASE).build(), SLA, probe.ref()));
    MetaAgent.TickClosed closed = probe.receiveMessage(Duration.ofSeconds(10));
    assertEquals(List.of(), closed.missingAgents());
    assertEquals(List.of(), closed.proposals());
    assertEquals(Decision.Verdict.NO_ACTION, closed.decision().verdict());
    assertEquals(List.of(), PLATFORM.calls(p));
  }

  @Test
  void afterAJournalFailureTheRestartedMetaAgentStillActuatesThroughItsActuator() {
    String p = "journal-failure";
    script(
        p,
        (kind, tick) ->
            kind == AgentKind.RECOVERY
                ? List.of(proposal(p, kind, PriorityClass.RECOVERY, new Action.Failover(), tick))
                : List.of());
    // The decision of tick 1 cannot be journaled: the meta-agent restarts (after a 1 s backoff)
    // and recovers; tick 1 is never answered.
    journal.failNextPersisted("meta|" + p);
    TestProbe<MetaAgent.TickClosed> lost = TESTKIT.createTestProbe();
    meta(p)
        .tell(
            new MetaAgent.OpenTick(Snapshots.builder(p, 1).config(BASE).build(), SLA, lost.ref()));
    lost.expectNoMessage(Duration.ofSeconds(3));

    // Tick 2, sent after the restart, is decided and executed by the actuator: the interrupted tick
    // 1 no longer holds the meta-agent.
    TestProbe<MetaAgent.TickClosed> probe = TESTKIT.createTestProbe();
    meta(p)
        .tell(
            new MetaAgent.OpenTick(Snapshots.builder(p, 2).config(BASE).build(), SLA, probe.ref()));
    MetaAgent.TickClosed closed = probe.receiveMessage(Duration.ofSeconds(20));
    assertEquals(Decision.Verdict.APPLY, closed.decision().verdict());
    assertEquals(
        List.of(Actuator.Report.Kind.APPLIED),
        closed.actuations().stream().map(Actuator.Report::kind).toList(),
        "the actuator executed the decision");
    assertEquals(1, PLATFORM.calls(p).size());
    assertEquals(1, state(p).decisions(), "only tick 2's decision is journaled");
  }

  @Test
  void aTickThatExpiredBeforeItsTurnIsRefusedWithoutDecidingOrActuating() {
    String p = "expired";
    script(
        p,
        (kind, tick) ->
            kind == AgentKind.RECOVERY
                ? List.of(proposal(p, kind, PriorityClass.RECOVERY, new Action.Failover(), tick))
                : List.of());
    TestProbe<MetaAgent.TickClosed> probe = TESTKIT.createTestProbe();
    TelemetrySnapshot s = Snapshots.builder(p, 1).config(BASE).build();
    meta(p).tell(new MetaAgent.OpenTick(s, SLA, probe.ref(), System.currentTimeMillis() - 1));
    MetaAgent.TickClosed closed = probe.receiveMessage(Duration.ofSeconds(10));
    assertEquals(Decision.Verdict.NO_ACTION, closed.decision().verdict());
    assertTrue(closed.decision().reason().contains("expired"), closed.decision().reason());
    assertEquals(List.of(), closed.proposals());
    assertEquals(0, state(p).decisions(), "nothing journaled");
    assertEquals(List.of(), PLATFORM.calls(p), "nothing actuated");

    MetaAgent.TickClosed next = tick(p, 2, BASE);
    assertEquals(Decision.Verdict.APPLY, next.decision().verdict(), "a live tick is decided");
  }

  @Test
  void shadowModeDecidesAndJournalsButAppliesNothing() {
    String p = "shadow";
    script(
        p,
        (kind, tick) ->
            kind == AgentKind.RECOVERY
                ? List.of(proposal(p, kind, PriorityClass.RECOVERY, new Action.Failover(), tick))
                : List.of());
    setMode(p, Mode.SHADOW);
    for (long t = 1; t <= 3; t++) {
      MetaAgent.TickClosed closed = tick(p, t, BASE);
      assertEquals(Decision.Verdict.SHADOW, closed.decision().verdict());
      assertEquals(List.of(), closed.actuations());
      assertEquals(
          AgentProtocol.OutcomeKind.REJECTED,
          OUTCOMES.get(p).receiveMessage(Duration.ofSeconds(10)).outcome());
    }
    assertEquals(List.of(), PLATFORM.calls(p));
    List<Object> events = journal.persistedInStorage("meta|shadow");
    assertInstanceOf(MetaAgent.ModeChanged.class, events.get(0));
    assertEquals(4, events.size());
    assertEquals(Mode.SHADOW, state(p).mode());
    assertEquals(state(p), replay(p, events));
  }

  @Test
  void approvalModeHoldsHighRiskUntilApproved() {
    String p = "approval";
    script(
        p,
        (kind, tick) ->
            kind == AgentKind.RECOVERY && tick == 1
                ? List.of(proposal(p, kind, PriorityClass.RECOVERY, new Action.Failover(), tick))
                : List.of());
    setMode(p, Mode.APPROVAL);
    MetaAgent.TickClosed held = tick(p, 1, BASE);
    assertEquals(Decision.Verdict.AWAITING_APPROVAL, held.decision().verdict());
    assertEquals(List.of(), PLATFORM.calls(p));
    assertEquals(List.of("decision-approval-1"), List.copyOf(state(p).awaitingApproval().keySet()));

    TestProbe<StatusReply<Done>> ack = TESTKIT.createTestProbe();
    meta(p).tell(new MetaAgent.Approve("decision-approval-9", "alice", ack.ref()));
    assertTrue(ack.receiveMessage(Duration.ofSeconds(10)).isError());
    meta(p).tell(new MetaAgent.Approve("decision-approval-1", "alice", ack.ref()));
    assertTrue(ack.receiveMessage(Duration.ofSeconds(10)).isSuccess());

    MetaAgent.TickClosed applied = tick(p, 2, BASE);
    assertEquals(Decision.Verdict.APPLY, applied.decision().verdict());
    assertEquals("recovery-approval-1-0", applied.decision().chosen().id());
    assertEquals(Actuator.Report.Kind.APPLIED, applied.actuations().get(0).kind());
    assertEquals("decision-approval-2", PLATFORM.calls(p).get(0).actionId());
    MetaAgent.State s = state(p);
    assertTrue(s.approved().isEmpty());
    assertTrue(s.awaitingApproval().isEmpty());
    List<Object> events = journal.persistedInStorage("meta|approval");
    assertEquals(4, events.size()); // mode, held decision, approval, applied decision
    assertInstanceOf(MetaAgent.ApprovalGranted.class, events.get(2));
    assertEquals(s, replay(p, events), "the journal folded through apply equals the live state");
  }

  @Test
  void aDenialIsJournaledAndToldToTheAgent() {
    String p = "deny";
    script(
        p,
        (kind, tick) ->
            kind == AgentKind.RECOVERY && tick == 1
                ? List.of(
                    proposal(p, kind, PriorityClass.RECOVERY, new Action.DrainNode("node-1"), tick))
                : List.of());
    setMode(p, Mode.APPROVAL);
    assertEquals(Decision.Verdict.AWAITING_APPROVAL, tick(p, 1, BASE).decision().verdict());
    TestProbe<StatusReply<Done>> ack = TESTKIT.createTestProbe();
    meta(p).tell(new MetaAgent.Deny("decision-deny-1", "bob", "maintenance window", ack.ref()));
    assertTrue(ack.receiveMessage(Duration.ofSeconds(10)).isSuccess());
    AgentProtocol.Outcome outcome = OUTCOMES.get(p).receiveMessage(Duration.ofSeconds(10));
    assertEquals("recovery-deny-1-0", outcome.proposalId());
    assertEquals(AgentProtocol.OutcomeKind.REJECTED, outcome.outcome());
    assertTrue(outcome.detail().contains("APPROVAL_DENIED"), outcome.detail());
    assertEquals(Decision.Verdict.NO_ACTION, tick(p, 2, BASE).decision().verdict());
    assertEquals(List.of(), PLATFORM.calls(p));
    List<Object> events = journal.persistedInStorage("meta|deny");
    MetaAgent.ApprovalDenied denied =
        assertInstanceOf(MetaAgent.ApprovalDenied.class, events.get(2));
    assertEquals("maintenance window", denied.reason());
    assertEquals(state(p), replay(p, events));
  }

  @Test
  void badTicksAreRefusedWithoutCrashing() {
    String p = "bad";
    script(p, (kind, tick) -> List.of());
    assertEquals(Decision.Verdict.NO_ACTION, tick(p, 5, BASE).decision().verdict());
    MetaAgent.TickClosed stale = tick(p, 5, BASE);
    assertTrue(stale.decision().reason().contains("not after"), stale.decision().reason());
    TestProbe<MetaAgent.TickClosed> probe = TESTKIT.createTestProbe();
    meta(p).tell(new MetaAgent.OpenTick(Snapshots.healthy("elsewhere", 6), SLA, probe.ref()));
    MetaAgent.TickClosed wrong = probe.receiveMessage(Duration.ofSeconds(10));
    assertNull(wrong.decision().chosen());
    assertTrue(wrong.decision().reason().contains("elsewhere"), wrong.decision().reason());
    meta(p).tell(new MetaAgent.OpenTick(null, SLA, probe.ref()));
    assertTrue(
        probe.receiveMessage(Duration.ofSeconds(10)).decision().reason().contains("incomplete"));
    assertEquals(Decision.Verdict.NO_ACTION, tick(p, 6, BASE).decision().verdict());
    assertEquals(List.of(), journal.persistedInStorage("meta|bad"));
  }

  // ------------------------------------------------------------------ learned optimizer

  /** Every operator at {@code parallelism}, the rest as {@link #BASE}. */
  private static PipelineConfig scaled(int parallelism) {
    Map<String, Integer> p = new java.util.LinkedHashMap<>();
    BASE.parallelism().keySet().forEach(op -> p.put(op, parallelism));
    return BASE.withParallelism(p);
  }

  /** A learned policy's proposal, as the optimization agent builds it (id ending in -1). */
  private static Proposal learned(String pipelineId, long tick, PipelineConfig target) {
    return new Proposal(
        "optimization-" + pipelineId + "-" + tick + "-1",
        pipelineId,
        AgentKind.OPTIMIZATION,
        PriorityClass.OPTIMIZATION,
        new Action.Reconfigure(target, "learned policy v4"),
        0.8,
        new ExpectedEffect(0.05, -0.05, 800_000, 200, 1),
        List.of("learned policy v4 (shadow)"),
        "learned policy v4",
        tick,
        tick + 6);
  }

  @Test
  void shadowProposalsAreJournaledWithTheirAdmissionVerdictAndNeverApplied() {
    String p = "shadowed";
    script(p, (kind, tick) -> List.of());
    SHADOW_SCRIPTS.put(
        p,
        (kind, tick) ->
            kind != AgentKind.OPTIMIZATION || tick != 1
                ? List.of()
                : List.of(learned(p, tick, scaled(20)), learned(p, tick, scaled(2))));
    int callsBefore = PLATFORM.calls(p).size();
    MetaAgent.TickClosed closed = tick(p, 1, BASE);

    assertEquals(Decision.Verdict.NO_ACTION, closed.decision().verdict());
    assertEquals(List.of(), closed.proposals(), "a shadow proposal is no candidate");
    assertTrue(
        closed.actuations().stream().noneMatch(r -> r.kind() == Actuator.Report.Kind.APPLIED));
    assertEquals(BASE, PLATFORM.config(p));
    assertEquals(callsBefore, PLATFORM.calls(p).size(), "the platform is never called");
    assertEquals(2, closed.shadowProposals().size());

    List<Object> events = journal.persistedInStorage("meta|" + p);
    assertEquals(2, events.size(), "no decision is journaled for shadow proposals alone");
    MetaAgent.ShadowProposalRecorded ok =
        assertInstanceOf(MetaAgent.ShadowProposalRecorded.class, events.get(0));
    assertTrue(ok.admitted());
    assertNull(ok.code());
    assertTrue(ok.summary().contains("admitted, not applied"), ok.summary());
    MetaAgent.ShadowProposalRecorded refused =
        assertInstanceOf(MetaAgent.ShadowProposalRecorded.class, events.get(1));
    assertEquals(false, refused.admitted());
    assertEquals(Decision.RejectionCode.MIN_PARALLELISM, refused.code());
    assertEquals(closed.shadowProposals(), List.of(ok, refused));

    MetaAgent.State state = state(p);
    assertEquals(2, state.shadowProposals());
    assertEquals(1, state.shadowAdmitted());
    assertEquals(0, state.decisions());
    assertEquals(state, replay(p, events));
  }

  @Test
  void aPromotedLearnedProposalGoesThroughAdmissionAndReachesThePlatform() {
    String p = "learned-live";
    script(
        p,
        (kind, tick) ->
            kind == AgentKind.OPTIMIZATION && tick == 1
                ? List.of(learned(p, tick, scaled(20)))
                : List.of());
    MetaAgent.TickClosed closed = tick(p, 1, BASE);
    assertEquals(Decision.Verdict.APPLY, closed.decision().verdict());
    assertEquals("optimization-learned-live-1-1", closed.decision().chosen().id());
    assertEquals(scaled(20), PLATFORM.config(p));
  }

  @Test
  void aLearnedProposalBreakingAHardConstraintIsRejectedAndNeverApplied() {
    String p = "learned-bad";
    Map<Long, PipelineConfig> bad =
        Map.of(
            1L, scaled(2), // parallelism < 4
            2L, BASE.withTaskManagers(200), // 800 cores > 80 % of 960
            3L, BASE.withCheckpointIntervalSeconds(90)); // outside the tested 5-60 s
    script(
        p,
        (kind, tick) ->
            kind == AgentKind.OPTIMIZATION && bad.containsKey(tick)
                ? List.of(learned(p, tick, bad.get(tick)))
                : List.of());
    Map<Long, Decision.RejectionCode> expected =
        Map.of(
            1L, Decision.RejectionCode.MIN_PARALLELISM,
            2L, Decision.RejectionCode.CAPACITY,
            3L, Decision.RejectionCode.OUT_OF_TESTED_RANGE);
    for (long t = 1; t <= 3; t++) {
      MetaAgent.TickClosed closed = tick(p, t, BASE);
      assertEquals(Decision.Verdict.NO_ACTION, closed.decision().verdict(), "tick " + t);
      assertEquals(1, closed.decision().rejections().size());
      assertEquals(expected.get(t), closed.decision().rejections().get(0).code(), "tick " + t);
    }
    assertEquals(BASE, PLATFORM.config(p));
    assertTrue(PLATFORM.calls(p).isEmpty(), "the platform is never called");
  }
}
