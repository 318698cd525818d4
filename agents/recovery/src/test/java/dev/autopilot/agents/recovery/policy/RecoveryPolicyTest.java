package dev.autopilot.agents.recovery.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.Action;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.AgentProtocol.OutcomeKind;
import dev.autopilot.api.FailureMode;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.PriorityClass;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecoveryPolicyTest {
  private static final SlaSpec SLA = new SlaSpec(800_000, 500, 0.05);
  private static final int WARM = 30;

  private final RecoverySettings settings = Signatures.settings();
  private RecoveryPolicy policy;
  private Random rnd;
  private long tick;
  private int faultTick;
  private Incident incident;
  private long opened;
  private final List<RecoveryPolicy.Change> journal = new ArrayList<>();

  @BeforeEach
  void setUp() {
    policy = new RecoveryPolicy(settings);
    rnd = new Random(21);
    tick = 0;
    for (int i = 0; i < WARM; i++) {
      assertTrue(
          step(Signatures.healthy(tick, rnd)).changes().isEmpty(),
          "healthy warm-up opened an incident");
    }
    journal.clear();
  }

  /** Runs one tick and folds its changes into the test's incident, as the actor's events do. */
  private RecoveryPolicy.TickResult step(TelemetrySnapshot s) {
    RecoveryPolicy.TickResult r = policy.evaluate(s, SLA, incident, opened);
    fold(r.changes(), s.tick());
    tick++;
    return r;
  }

  private RecoveryPolicy.TickResult fault(FailureMode mode) {
    return step(Signatures.fault(mode, tick, faultTick++, rnd));
  }

  private RecoveryPolicy.TickResult healthy() {
    return step(Signatures.healthy(tick, rnd));
  }

  private List<RecoveryPolicy.Change> outcome(OutcomeKind kind) {
    List<RecoveryPolicy.Change> changes =
        policy.outcome(incident.pending().proposalId(), kind, tick, "test", incident);
    fold(changes, tick);
    return changes;
  }

  private void fold(List<RecoveryPolicy.Change> changes, long at) {
    for (RecoveryPolicy.Change c : changes) {
      journal.add(c);
      if (c instanceof RecoveryPolicy.Opened o) {
        incident = o.incident();
        opened++;
      } else if (c instanceof RecoveryPolicy.Proposed p) {
        incident =
            incident.withProposal(
                new Incident.Pending(
                    p.proposal().id(), p.proposal().tick(), p.rung().index(), p.rung().action()));
      } else if (c instanceof RecoveryPolicy.OutcomeSeen o) {
        incident = incident.withOutcome(o.proposalId(), o.outcome(), o.tick());
      } else if (c instanceof RecoveryPolicy.Escalated e) {
        incident = incident.escalated(e.toRung(), e.exhausted(), at);
      } else {
        incident = null;
      }
    }
  }

  /** Runs fault ticks until a proposal comes; returns it. */
  private Proposal openAndPropose(FailureMode mode) {
    for (int i = 0; i < 10; i++) {
      RecoveryPolicy.TickResult r = fault(mode);
      if (!r.proposals().isEmpty()) {
        return r.proposals().get(0);
      }
    }
    throw new AssertionError("no proposal for " + mode + "; journal " + journal);
  }

  private long count(Class<?> type) {
    return journal.stream().filter(type::isInstance).count();
  }

  @Test
  void opensAfterConsecutiveAnomalousTicksAndProposesTheFirstRungOnce() {
    int anomalousBefore = 0;
    RecoveryPolicy.TickResult r;
    do {
      r = fault(FailureMode.TASK_CRASH);
      anomalousBefore++;
    } while (r.proposals().isEmpty() && anomalousBefore < 10);
    assertEquals(
        settings.incident().openConsecutiveTicks(),
        anomalousBefore,
        "opens after M anomalous ticks");
    assertInstanceOf(RecoveryPolicy.Opened.class, r.changes().get(0));
    assertEquals(FailureMode.TASK_CRASH, incident.cause());
    assertEquals(Signatures.CRASH_OP, incident.operator());

    Proposal p = r.proposals().get(0);
    long at = tick - 1;
    assertEquals("recovery-p1-" + at + "-0", p.id());
    assertEquals(AgentKind.RECOVERY, p.agent());
    assertEquals(PriorityClass.RECOVERY, p.priority());
    assertEquals(new Action.RestartTask(Signatures.CRASH_OP), p.action());
    assertEquals(at + settings.incident().proposalExpiryTicks(), p.expiryTick());
    assertTrue(p.confidence() > 0.3 && p.confidence() <= 1, "confidence " + p.confidence());
    assertTrue(p.cause().startsWith("TASK_CRASH ("), p.cause());
    assertEquals(
        500_000,
        p.expectedEffect().predictedThroughput(),
        25_000,
        "recovers to the pre-incident level");
    assertEquals(120, p.expectedEffect().predictedLatencyP99Ms(), 15);
    assertTrue(
        p.evidence().stream().anyMatch(e -> e.startsWith("TASK_FAILURES")),
        p.evidence().toString());
    assertTrue(
        p.evidence().stream().anyMatch(e -> e.startsWith("detector alarms")),
        p.evidence().toString());

    for (int i = 0; i < 5; i++) {
      assertTrue(
          fault(FailureMode.TASK_CRASH).proposals().isEmpty(),
          "re-proposed while awaiting the outcome");
    }
    assertEquals(1, count(RecoveryPolicy.Opened.class));
    assertEquals(1, count(RecoveryPolicy.Proposed.class));
  }

  @Test
  void escalatesToTheNextRungAfterARolledBackVerification() {
    Proposal first = openAndPropose(FailureMode.TASK_CRASH);
    List<RecoveryPolicy.Change> changes = outcome(OutcomeKind.ROLLED_BACK);
    assertEquals(2, changes.size());
    assertInstanceOf(RecoveryPolicy.OutcomeSeen.class, changes.get(0));
    RecoveryPolicy.Escalated e = assertInstanceOf(RecoveryPolicy.Escalated.class, changes.get(1));
    assertEquals(first.id(), e.proposalId());
    assertEquals(0, e.fromRung());
    assertEquals(1, e.toRung());
    assertFalse(e.exhausted());

    RecoveryPolicy.TickResult next = fault(FailureMode.TASK_CRASH);
    assertEquals(1, next.proposals().size());
    assertEquals(
        new Action.RedeployOperator(Signatures.CRASH_OP, 16), next.proposals().get(0).action());

    outcome(OutcomeKind.FAILED);
    assertEquals(
        new Action.FullRestart(Signatures.healthy(0, new Random(1)).config()),
        fault(FailureMode.TASK_CRASH).proposals().get(0).action());
  }

  @Test
  void closesTheIncidentAfterKHealthyTicks() {
    openAndPropose(FailureMode.TASK_CRASH);
    outcome(OutcomeKind.VERIFIED);
    int ticks = 0;
    while (incident != null && ticks < 40) {
      RecoveryPolicy.TickResult r = healthy();
      assertTrue(r.proposals().isEmpty(), "proposed while recovering");
      ticks++;
    }
    assertNull(incident, "still open after 40 healthy ticks");
    RecoveryPolicy.Closed c = (RecoveryPolicy.Closed) journal.get(journal.size() - 1);
    assertTrue(c.resolved());
    assertEquals(FailureMode.TASK_CRASH, c.cause());
    assertTrue(
        ticks >= settings.incident().closeHealthyTicks(), "closed after " + ticks + " ticks");
    assertEquals(0, count(RecoveryPolicy.Escalated.class));
  }

  @Test
  void escalatesWhenTheIncidentPersistsAfterAVerifiedAction() {
    openAndPropose(FailureMode.BACKPRESSURE_DEADLOCK);
    outcome(OutcomeKind.VERIFIED);
    Proposal second = null;
    for (int i = 0; i < settings.incident().verifyGraceTicks() + 2 && second == null; i++) {
      RecoveryPolicy.TickResult r = fault(FailureMode.BACKPRESSURE_DEADLOCK);
      if (!r.proposals().isEmpty()) {
        second = r.proposals().get(0);
      }
    }
    assertNotNull(second, "no escalation; journal " + journal);
    assertEquals(
        new Action.FullRestart(Signatures.healthy(0, new Random(1)).config()), second.action());
    assertEquals(1, count(RecoveryPolicy.Escalated.class));
  }

  @Test
  void exhaustedLadderStopsProposingAndClosesUnresolved() {
    openAndPropose(FailureMode.BACKPRESSURE_DEADLOCK);
    outcome(OutcomeKind.ROLLED_BACK);
    openAndPropose(FailureMode.BACKPRESSURE_DEADLOCK);
    List<RecoveryPolicy.Change> last = outcome(OutcomeKind.ROLLED_BACK);
    assertTrue(((RecoveryPolicy.Escalated) last.get(1)).exhausted());
    for (int i = 0; i <= settings.incident().exhaustedCloseTicks() && incident != null; i++) {
      assertTrue(fault(FailureMode.BACKPRESSURE_DEADLOCK).proposals().isEmpty());
    }
    assertNull(incident);
    assertFalse(((RecoveryPolicy.Closed) journal.get(journal.size() - 1)).resolved());
  }

  @Test
  void aDifferentCauseSupersedesTheIncidentOnceItsActionIsNoLongerInFlight() {
    openAndPropose(FailureMode.NETWORK_PARTITION);
    outcome(OutcomeKind.VERIFIED);
    Proposal next = null;
    for (int k = 0; k < 10 && next == null; k++) {
      RecoveryPolicy.TickResult r = step(Signatures.fault(FailureMode.DISK_FULL, tick, k, rnd));
      if (!r.proposals().isEmpty()) {
        next = r.proposals().get(0);
        assertInstanceOf(RecoveryPolicy.Closed.class, r.changes().get(0));
        assertInstanceOf(RecoveryPolicy.Opened.class, r.changes().get(1));
      }
    }
    assertNotNull(next, "journal " + journal);
    RecoveryPolicy.Closed closed =
        journal.stream()
            .filter(RecoveryPolicy.Closed.class::isInstance)
            .map(RecoveryPolicy.Closed.class::cast)
            .findFirst()
            .orElseThrow();
    assertEquals(FailureMode.NETWORK_PARTITION, closed.cause());
    assertFalse(closed.resolved());
    assertTrue(closed.reason().startsWith("superseded"), closed.reason());
    assertEquals(FailureMode.DISK_FULL, incident.cause());
    assertEquals(2, incident.number());
    assertEquals(new Action.Redistribute(Signatures.DISK_NODE), next.action());
  }

  @Test
  void aConfigurationErrorRightAfterAChangeReappliesThePreviousConfiguration() {
    PipelineConfig before = Signatures.healthy(0, new Random(1)).config();
    PipelineConfig after = before.withNetworkBufferMb(8);
    Proposal p = null;
    for (int k = 0; k < 10 && p == null; k++) {
      TelemetrySnapshot s = Signatures.fault(FailureMode.CONFIGURATION_ERROR, tick, k, rnd);
      s =
          new TelemetrySnapshot(
              s.pipelineId(),
              s.tick(),
              s.eventTimeMillis(),
              s.taskManagers(),
              s.operators(),
              s.checkpoints(),
              s.job(),
              after);
      RecoveryPolicy.TickResult r = step(s);
      p = r.proposals().isEmpty() ? null : r.proposals().get(0);
    }
    assertNotNull(p, "journal " + journal);
    assertEquals(FailureMode.CONFIGURATION_ERROR, incident.cause());
    assertEquals(
        new Action.Reconfigure(before, "re-apply the last known-good configuration"), p.action());
  }

  @Test
  void anOutcomeOfAnotherProposalChangesNothing() {
    openAndPropose(FailureMode.TASK_CRASH);
    assertTrue(
        policy.outcome("recovery-p1-1-0", OutcomeKind.ROLLED_BACK, tick, "", incident).isEmpty());
    assertTrue(policy.outcome("x", OutcomeKind.VERIFIED, tick, "", null).isEmpty());
  }

  @Test
  void aRejectedProposalIsProposedAgainWithoutEscalating() {
    Proposal first = openAndPropose(FailureMode.NETWORK_PARTITION);
    assertEquals(new Action.Redistribute(Signatures.PARTITION_NODE), first.action());
    outcome(OutcomeKind.REJECTED);
    Proposal again = fault(FailureMode.NETWORK_PARTITION).proposals().get(0);
    assertEquals(first.action(), again.action());
    assertEquals(0, count(RecoveryPolicy.Escalated.class));
  }

  @Test
  void aClusterWideLoadSurgeOpensNoIncident() {
    for (int k = 0; k < 40; k++) {
      RecoveryPolicy.TickResult r = step(Signatures.loadSurge(tick, k, rnd));
      assertTrue(
          r.changes().isEmpty(), "surge tick " + k + " gave " + r.changes() + " " + r.diagnosis());
    }
  }

  @Test
  void healthyNoiseNeverOpensAnIncident() {
    for (int i = 0; i < 500; i++) {
      assertTrue(healthy().changes().isEmpty(), "healthy tick " + tick + " opened an incident");
    }
  }
}
