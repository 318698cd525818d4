package dev.autopilot.agents.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.api.Action;
import dev.autopilot.api.ActuationResult;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.AgentProtocol.OutcomeKind;
import dev.autopilot.api.Decision;
import dev.autopilot.api.ExpectedEffect;
import dev.autopilot.api.Explanation;
import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.PriorityClass;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ActuatorTest {
  private static final String P = "p1";
  private static final int SETTLE = 1;
  private static final ActorTestKit TESTKIT =
      ActorTestKit.create(
          "ActuatorTest", EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
  private static final MetaSettings SETTINGS =
      MetaSettings.create(TESTKIT.system().settings().config());
  private static final int WINDOW = SETTINGS.verification().windowTicks();
  private static final PipelineConfig BASE = Snapshots.defaultConfig();

  private RecordingPlatform platform;
  private EventSourcedBehaviorTestKit<Actuator.Command, Actuator.Event, Actuator.State> kit;

  @AfterAll
  static void shutdown() {
    TESTKIT.shutdownTestKit();
  }

  @BeforeEach
  void setUp() {
    platform = new RecordingPlatform(SETTLE);
    platform.register(P, BASE);
    kit =
        EventSourcedBehaviorTestKit.create(
            TESTKIT.system(), Actuator.create(P, Actuator.persistenceId(P), SETTINGS, platform));
    kit.clear();
  }

  private static Decision decision(long tick, Action action, ExpectedEffect effect) {
    Proposal p =
        new Proposal(
            "optimization-p1-" + tick + "-0",
            P,
            AgentKind.OPTIMIZATION,
            action instanceof Action.RecoveryAction
                ? PriorityClass.RECOVERY
                : PriorityClass.OPTIMIZATION,
            action,
            0.8,
            effect,
            List.of("busy 0.9 on enrich"),
            "enrich under-provisioned",
            tick,
            tick + 3);
    return new Decision(
        "decision-p1-" + tick, P, tick, Decision.Verdict.APPLY, p, "test", List.of());
  }

  private static final ExpectedEffect GOOD = new ExpectedEffect(0.05, -0.05, 500_000, 120, 1);

  private EventSourcedBehaviorTestKit.CommandResultWithReply<
          Actuator.Command, Actuator.Event, Actuator.State, Actuator.TickDone>
      tick(TelemetrySnapshot s, Decision d) {
    return kit.runCommand(r -> new Actuator.Tick(s, d, r));
  }

  private Actuator.TickDone tick(long t, PipelineConfig c, UnaryOperator<Snapshots.Builder> f) {
    return tick(f.apply(Snapshots.builder(P, t).config(c)).build(), null).reply();
  }

  /** Baseline at tick 0, then the change at tick 1. Returns the next tick. */
  private long applyAt1(Action action, ExpectedEffect effect) {
    tick(Snapshots.healthy(P, 0), null);
    var result = tick(Snapshots.healthy(P, 1), decision(1, action, effect));
    assertInstanceOf(Actuator.ChangeStarted.class, result.events().get(0));
    assertInstanceOf(Actuator.ChangeApplied.class, result.events().get(1));
    assertEquals(Actuator.Report.Kind.APPLIED, result.reply().reports().get(0).kind());
    return 2;
  }

  private static void assertFullExplanation(Explanation x) {
    assertNotNull(x);
    for (String field : List.of(x.trigger(), x.cause(), x.action(), x.impact(), x.verification())) {
      assertNotNull(field);
      assertFalse(field.isBlank());
    }
    assertFalse(x.evidence().isEmpty());
  }

  @Test
  void recordsTheFirstObservedConfigAsKnownGood() {
    var r = tick(Snapshots.healthy(P, 0), null);
    assertEquals(List.of(new Actuator.BaselineRecorded(P, 0, BASE)), r.events());
    assertEquals(List.of(BASE), r.state().history().entries());
    assertTrue(tick(Snapshots.healthy(P, 1), null).events().isEmpty());
  }

  @Test
  void appliesThenVerifiesOverEighteenTicksAfterSettling() {
    Action rescale = new Action.Rescale(Map.of("enrich", 24));
    PipelineConfig target = rescale.targetConfig(BASE);
    long t = applyAt1(rescale, GOOD);
    assertEquals(target, platform.config(P));
    assertTrue(kit.getState().verificationOpen());
    // Settle tick 2; at tick 3 the job runs caught up, so the 18-tick window is ticks 4..21 (tick
    // 3's figures still cover the interval of the catch-up).
    for (; t < 2 + SETTLE + WINDOW; t++) {
      Actuator.TickDone done = tick(t, target, b -> b);
      assertTrue(done.reports().isEmpty(), "no verdict before the window is full, tick " + t);
    }
    var last = tick(Snapshots.builder(P, t).config(target).build(), null);
    var verified = assertInstanceOf(Actuator.ChangeVerified.class, last.events().get(0));
    assertFullExplanation(verified.explanationOrNull());
    assertTrue(verified.explanation().verification().startsWith("VERIFIED"));
    assertEquals(List.of(target, BASE), last.state().history().entries());
    assertFalse(last.state().verificationOpen());
    assertEquals(Actuator.Report.Kind.VERIFIED, last.reply().reports().get(0).kind());
    assertEquals(
        new Actuator.Feedback(
            AgentKind.OPTIMIZATION,
            "optimization-p1-1-0",
            OutcomeKind.VERIFIED,
            last.reply().feedback().get(0).detail()),
        last.reply().feedback().get(0));
    assertEquals(1, platform.calls(P).size(), "one apply, nothing else");
  }

  @Test
  void rollsBackWhenThroughputFallsShortOfDemandWithAnExplanation() {
    Action rescale = new Action.Rescale(Map.of("enrich", 24));
    PipelineConfig target = rescale.targetConfig(BASE);
    long t = applyAt1(rescale, GOOD);
    Actuator.TickDone done = null;
    var result = tick(Snapshots.builder(P, t).config(target).build(), null);
    // Demand stays 500k/s (400k consumed + lag growing 1M per 10 s tick): 20 % short. The lag
    // never gets back to its level before the change, so the window starts only once the
    // catch-up wait has run out, and the change fails.
    int wait = SETTINGS.verification().maxCatchUpTicks();
    for (t = 3; t <= 2 + SETTLE + wait + WINDOW; t++) {
      long lag = 1_000 + (t - 2) * 1_000_000L;
      result =
          tick(Snapshots.builder(P, t).config(target).throughput(400_000).lag(lag).build(), null);
      done = result.reply();
      if (!done.reports().isEmpty()) {
        break;
      }
    }
    assertEquals(2 + SETTLE + wait + WINDOW, t, "verdict at the end of the late window");
    var rolledBack = assertInstanceOf(Actuator.RolledBack.class, result.events().get(1));
    assertEquals(BASE, rolledBack.to());
    assertEquals(target, rolledBack.from());
    assertFullExplanation(rolledBack.explanationOrNull());
    assertTrue(rolledBack.explanation().impact().contains("observed over 18 ticks"));
    assertTrue(
        rolledBack.explanation().cause().contains("throughput"), rolledBack.explanation().cause());
    assertEquals(Actuator.Report.Kind.ROLLED_BACK, done.reports().get(0).kind());
    assertEquals(OutcomeKind.ROLLED_BACK, done.feedback().get(0).outcome());
    assertEquals(BASE, platform.config(P));
    assertEquals(List.of(BASE), result.state().history().entries());
    assertEquals(1, result.state().rolledBack());
  }

  @Test
  void aScaleUpOverrunByASurgeIsNotRolledBackToAConfigurationThatCannotCarryTheDemand() {
    Map<String, Integer> doubled = new java.util.LinkedHashMap<>();
    BASE.parallelism().keySet().forEach(op -> doubled.put(op, 32));
    Action rescale = new Action.Rescale(doubled);
    PipelineConfig target = rescale.targetConfig(BASE);
    long t = applyAt1(rescale, GOOD);
    // The scale-up lifts throughput from 500k/s to 900k/s, but demand keeps rising (lag grows by
    // 1M records a tick) and p99 stays far above the predicted 120 ms: the verification fails,
    // yet the known-good configuration (half the parallelism) would carry only about 450k/s.
    Actuator.TickDone done = null;
    EventSourcedBehaviorTestKit.CommandResultWithReply<
            Actuator.Command, Actuator.Event, Actuator.State, Actuator.TickDone>
        result = null;
    for (; t < 200; t++) {
      long lag = 1_000 + t * 1_000_000L;
      result =
          tick(
              Snapshots.builder(P, t)
                  .config(target)
                  .throughput(900_000)
                  .busy(1.0)
                  .latencyP99(5_000)
                  .lag(lag)
                  .build(),
              null);
      done = result.reply();
      if (!done.reports().isEmpty()) {
        break;
      }
    }
    var withheld = assertInstanceOf(Actuator.RollbackWithheld.class, result.events().get(0));
    assertEquals(BASE, withheld.target());
    assertTrue(withheld.reason().contains("cut throughput"), withheld.reason());
    assertFullExplanation(withheld.explanationOrNull());
    assertEquals(Actuator.Report.Kind.FAILED, done.reports().get(0).kind());
    assertEquals(OutcomeKind.FAILED, done.feedback().get(0).outcome());
    assertTrue(done.feedback().get(0).detail().contains("rollback withheld"));
    assertEquals(target, platform.config(P), "the scaled-up configuration keeps running");
    assertEquals(1, platform.calls(P).size(), "the apply only, no rollback call");
    assertEquals(List.of(BASE), result.state().history().entries(), "not known-good either");
    assertEquals(null, result.state().verifying());
    assertEquals(0, result.state().rolledBack());
  }

  @Test
  void verificationSkipsTheRestartTransientUntilTheBacklogIsCaughtUp() {
    Action rescale = new Action.Rescale(Map.of("enrich", 24));
    PipelineConfig target = rescale.targetConfig(BASE);
    long t = applyAt1(rescale, GOOD);
    // Settle tick 2; ticks 3-4 the job still restarts; ticks 5-9 it catches up a backlog with a
    // p99 of 20 s. None of that is the steady state, none of it is measured.
    long restartEnd = 2 + SETTLE + 2;
    long catchUpEnd = restartEnd + 5;
    Actuator.TickDone done = null;
    for (; t <= catchUpEnd; t++) {
      long tt = t;
      done =
          tick(
              t,
              target,
              b ->
                  tt <= restartEnd
                      ? b.state(JobMetrics.JobState.RESTARTING).throughput(0).lag(2_000_000)
                      : b.lag(2_000_000 - (tt - restartEnd) * 300_000).latencyP99(20_000));
      assertTrue(done.reports().isEmpty(), "tick " + t);
    }
    // Lag back at its level before the change (1 000 records): the 18-tick window starts with
    // the next tick.
    for (; t < catchUpEnd + 1 + WINDOW; t++) {
      done = tick(t, target, b -> b);
      assertTrue(done.reports().isEmpty(), "no verdict before the window is full, tick " + t);
    }
    var last = tick(Snapshots.builder(P, t).config(target).build(), null);
    var verified = assertInstanceOf(Actuator.ChangeVerified.class, last.events().get(0));
    assertTrue(verified.explanation().verification().contains("over 18 ticks"));
    assertEquals(Actuator.Report.Kind.VERIFIED, last.reply().reports().get(0).kind());
  }

  @Test
  void aChangeThatNeverCatchesUpIsMeasuredAfterTheMaximumWaitAndRolledBack() {
    Action rescale = new Action.Rescale(Map.of("enrich", 24));
    PipelineConfig target = rescale.targetConfig(BASE);
    long t = applyAt1(rescale, GOOD);
    int wait = SETTINGS.verification().maxCatchUpTicks();
    long end = 2 + SETTLE + wait + WINDOW;
    Actuator.TickDone done = null;
    for (; t <= end; t++) {
      // Demand met, but a backlog 500x the one before the change stays and p99 is 2 s.
      done = tick(t, target, b -> b.lag(500_000).latencyP99(2_000));
      if (t < end) {
        assertTrue(done.reports().isEmpty(), "tick " + t);
      }
    }
    assertEquals(Actuator.Report.Kind.ROLLED_BACK, done.reports().get(0).kind());
    assertTrue(done.reports().get(0).explanation().cause().contains("p99"));
    assertEquals(BASE, platform.config(P));
  }

  @Test
  void fallenDemandIsNotAFailure() {
    Action rescale = new Action.Rescale(Map.of("enrich", 24));
    PipelineConfig target = rescale.targetConfig(BASE);
    long t = applyAt1(rescale, GOOD);
    Actuator.TickDone done = null;
    for (; t <= 2 + SETTLE + WINDOW; t++) {
      done = tick(t, target, b -> b.throughput(300_000));
    }
    assertEquals(Actuator.Report.Kind.VERIFIED, done.reports().get(0).kind());
  }

  @Test
  void rollsBackOnLatencyAndAtOnceOnAFailedJob() {
    Action rescale = new Action.Rescale(Map.of("enrich", 24));
    PipelineConfig target = rescale.targetConfig(BASE);
    long t = applyAt1(rescale, GOOD);
    Actuator.TickDone done = tick(t, target, b -> b.state(JobMetrics.JobState.FAILED));
    assertEquals(Actuator.Report.Kind.ROLLED_BACK, done.reports().get(0).kind());
    assertTrue(done.reports().get(0).explanation().cause().contains("FAILED"));

    Action buffers = new Action.SetNetworkBuffers(48);
    PipelineConfig target2 = buffers.targetConfig(BASE);
    tick(Snapshots.healthy(P, 10), decision(10, buffers, GOOD));
    for (t = 11; t <= 11 + SETTLE + WINDOW; t++) {
      done = tick(t, target2, b -> b.latencyP99(151)); // predicted 120, limit 150
    }
    assertEquals(Actuator.Report.Kind.ROLLED_BACK, done.reports().get(0).kind());
    assertTrue(done.reports().get(0).explanation().cause().contains("p99"));
  }

  private long applyAndVerify(long t, Action action) {
    PipelineConfig current = kit.getState().running();
    PipelineConfig target = action.targetConfig(current);
    tick(Snapshots.builder(P, t).config(current).build(), decision(t, action, GOOD));
    long end = t + 2 + SETTLE + WINDOW;
    Actuator.TickDone done = null;
    for (long u = t + 1; u < end; u++) {
      done = tick(u, target, b -> b);
    }
    assertEquals(Actuator.Report.Kind.VERIFIED, done.reports().get(0).kind());
    return end;
  }

  @Test
  void keepsFiveKnownGoodConfigsAcrossRestarts() {
    tick(Snapshots.healthy(P, 0), null);
    long t = 1;
    for (int i = 1; i <= 6; i++) {
      t = applyAndVerify(t, new Action.SetCheckpointInterval(30 + i));
    }
    List<PipelineConfig> history = kit.getState().history().entries();
    assertEquals(5, history.size());
    for (int i = 0; i < 5; i++) {
      assertEquals(36 - i, history.get(i).checkpointIntervalSeconds(), "newest first");
    }
    Actuator.State before = kit.getState();
    Actuator.State folded = Actuator.State.initial(P, SETTINGS.historySize());
    for (Object e : kit.persistenceTestKit().persistedInStorage(Actuator.persistenceId(P).id())) {
      folded = folded.apply((Actuator.Event) e);
    }
    assertEquals(before, folded, "the journal folded through apply equals the live state");
    var restarted = kit.restart();
    assertEquals(before, restarted.state());
    assertEquals(history, kit.getState().history().entries());

    // Multi-level manual rollback after the restart: running 36 (verified), 2 levels -> 34.
    var reply =
        kit.<StatusReply<PipelineConfig>>runCommand(
            r -> new Actuator.Rollback(2, "operator request", null, r));
    assertEquals(34, reply.reply().getValue().checkpointIntervalSeconds());
    var rb = assertInstanceOf(Actuator.RolledBack.class, reply.events().get(1));
    assertFullExplanation(rb.explanation());
    assertEquals(34, platform.config(P).checkpointIntervalSeconds());
    assertEquals(
        List.of(34, 33, 32),
        kit.getState().history().entries().stream()
            .map(PipelineConfig::checkpointIntervalSeconds)
            .toList());
    assertTrue(
        kit.<StatusReply<PipelineConfig>>runCommand(
                r -> new Actuator.Rollback(3, "too far", null, r))
            .reply()
            .isError());
    // The manual rollback's report reaches the meta-agent with the next tick.
    Actuator.TickDone next = tick(t + 1, platform.config(P), b -> b);
    assertEquals(Actuator.Report.Kind.ROLLED_BACK, next.reports().get(0).kind());
  }

  @Test
  void platformFailureIsJournaledAndTheActuatorKeepsGoing() {
    tick(Snapshots.healthy(P, 0), null);
    platform.failNext(1, PlatformException.Kind.UNAVAILABLE);
    var r = tick(Snapshots.healthy(P, 1), decision(1, new Action.SetNetworkBuffers(48), GOOD));
    var failed = assertInstanceOf(Actuator.ChangeFailed.class, r.events().get(1));
    assertEquals("UNAVAILABLE", failed.errorKind());
    assertFullExplanation(failed.explanationOrNull());
    assertEquals(Actuator.Report.Kind.FAILED, r.reply().reports().get(0).kind());
    assertEquals(OutcomeKind.FAILED, r.reply().feedback().get(0).outcome());
    assertNull(r.state().inFlight());
    assertFalse(r.state().verificationOpen());
    assertEquals(BASE, platform.config(P));
    // Still alive and acting.
    var ok = tick(Snapshots.healthy(P, 2), decision(2, new Action.SetNetworkBuffers(48), GOOD));
    assertInstanceOf(Actuator.ChangeApplied.class, ok.events().get(1));
  }

  @Test
  void aTickInterruptedByAJournalFailureActuatesNothingAndNoLongerHoldsTheActuator() {
    String pj = "journal-failure";
    platform.register(pj, BASE);
    ActorRef<Actuator.Command> actuator =
        TESTKIT.spawn(Actuator.supervised(pj, SETTINGS, platform));
    TestProbe<Actuator.TickDone> probe = TESTKIT.createTestProbe();
    actuator.tell(new Actuator.Tick(Snapshots.healthy(pj, 0), null, probe.ref()));
    probe.receiveMessage(Duration.ofSeconds(10));

    // The change's ChangeStarted cannot be journaled: no platform call, the actuator restarts
    // (after a 1 s backoff) and recovers; the interrupted tick is not answered.
    PersistenceTestKit.create(TESTKIT.system()).failNextPersisted(Actuator.persistenceId(pj).id());
    Decision d = decision(1, new Action.SetNetworkBuffers(48), GOOD);
    Decision other =
        new Decision(
            "decision-" + pj + "-1",
            pj,
            1,
            Decision.Verdict.APPLY,
            new Proposal(
                "optimization-" + pj + "-1-0",
                pj,
                AgentKind.OPTIMIZATION,
                PriorityClass.OPTIMIZATION,
                d.chosen().action(),
                0.8,
                GOOD,
                List.of("test"),
                "test",
                1,
                4),
            "test",
            List.of());
    actuator.tell(new Actuator.Tick(Snapshots.healthy(pj, 1), other, probe.ref()));
    probe.expectNoMessage(Duration.ofSeconds(3));
    assertEquals(List.of(), platform.calls(pj), "nothing actuated without its ChangeStarted");

    // The next tick is answered: the interrupted one no longer keeps the actuator busy.
    actuator.tell(new Actuator.Tick(Snapshots.healthy(pj, 2), null, probe.ref()));
    assertEquals(2, probe.receiveMessage(Duration.ofSeconds(10)).tick());
    assertEquals(BASE, platform.config(pj));
  }

  @Test
  void reRunsAnUnconfirmedChangeAfterRecoveryWithoutActingTwice() {
    Action restart = new Action.RestartTask("enrich");
    Decision d = decision(5, restart, GOOD);
    Actuator.Change started =
        new Actuator.Change(
            d.id(),
            Actuator.ChangeKind.DECISION,
            5,
            d.chosen().id(),
            AgentKind.OPTIMIZATION,
            restart,
            BASE,
            BASE,
            GOOD,
            "decision",
            List.of("e"),
            "c",
            null,
            0,
            0.0,
            500_000.0);
    // The platform executed the action, then the node died before ChangeApplied was journaled.
    platform.alreadyExecuted(d.id());
    kit.initialize(
        new Actuator.BaselineRecorded(P, 0, BASE), new Actuator.ChangeStarted(P, 5, started));
    TestProbe<Actuator.State> probe = TESTKIT.createTestProbe();
    Actuator.State s =
        probe.awaitAssert(
            () -> {
              Actuator.State st = kit.getState();
              assertNull(st.inFlight());
              return st;
            });
    assertNotNull(s.verifying());
    assertEquals(1, s.applied());
    List<RecordingPlatform.Call> calls = platform.calls(P);
    assertEquals(1, calls.size());
    assertEquals(d.id(), calls.get(0).actionId());
    // The same decision delivered again is not executed again.
    var again = tick(Snapshots.healthy(P, 6), d);
    assertTrue(again.events().isEmpty());
    assertEquals(1, platform.calls(P).size());
    var applied = kit.persistenceTestKit().persistedInStorage(Actuator.persistenceId(P).id());
    var confirmed = assertInstanceOf(Actuator.ChangeApplied.class, applied.get(2));
    assertEquals(ActuationResult.Outcome.DUPLICATE, confirmed.result().outcome());
  }

  @Test
  void recoveryActionsGoThroughRecoverAndApplyTheirTargetConfig() {
    tick(Snapshots.healthy(P, 0), null);
    Action redeploy = new Action.RedeployOperator("enrich", 20);
    var r = tick(Snapshots.healthy(P, 1), decision(1, redeploy, GOOD));
    assertInstanceOf(Actuator.ChangeApplied.class, r.events().get(1));
    List<RecordingPlatform.Call> calls = platform.calls(P);
    assertEquals(
        List.of("recover", "apply"), calls.stream().map(RecordingPlatform.Call::kind).toList());
    assertEquals("decision-p1-1", calls.get(0).actionId());
    assertEquals(20, platform.config(P).parallelismOf("enrich"));
  }

  @Test
  void aRecoveryActionSupersedesAnOpenVerification() {
    long t = applyAt1(new Action.SetNetworkBuffers(48), GOOD);
    PipelineConfig target = kit.getState().running();
    var r =
        tick(
            Snapshots.builder(P, t).config(target).build(),
            decision(t, new Action.RestartTask("parse"), GOOD));
    assertEquals(OutcomeKind.SUPERSEDED, r.reply().feedback().get(0).outcome());
    assertTrue(r.reply().feedback().get(0).detail().contains("superseded"));
    assertEquals("decision-p1-2", r.state().verifying().change().changeId());
    // A configuration change while that verification is open is refused by the actuator too.
    var refused =
        tick(
            Snapshots.builder(P, t + 1).config(target).build(),
            decision(t + 1, new Action.SetNetworkBuffers(64), GOOD));
    var failed = assertInstanceOf(Actuator.ChangeFailed.class, refused.events().get(0));
    assertEquals("ACTUATION_IN_PROGRESS", failed.errorKind());
  }

  @Test
  void aPureScaleUpReplacesAnOpenVerificationAndReportsItSuperseded() {
    long t = applyAt1(new Action.RestartTask("parse"), GOOD);
    PipelineConfig running = kit.getState().running();
    var r =
        tick(
            Snapshots.builder(P, t).config(running).build(),
            decision(t, new Action.ScaleTaskManagers(running.taskManagers() + 4), GOOD));
    assertInstanceOf(Actuator.ChangeStarted.class, r.events().get(0));
    assertInstanceOf(Actuator.ChangeApplied.class, r.events().get(1));
    assertEquals(OutcomeKind.SUPERSEDED, r.reply().feedback().get(0).outcome());
    assertEquals(running.taskManagers() + 4, platform.config(P).taskManagers());
    assertEquals("decision-p1-" + t, r.state().verifying().change().changeId());
  }
}
