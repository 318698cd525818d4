package dev.autopilot.runtime.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.agents.meta.Actuator;
import dev.autopilot.agents.meta.MetaAgent;
import dev.autopilot.agents.meta.policy.Mode;
import dev.autopilot.api.ActuationResult;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.Decision;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.persistence.AuditRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DbOutageJournalCheckTest {
  private static final PipelineConfig A = config(4);
  private static final PipelineConfig B = config(8);
  private static final PipelineConfig C = config(12);

  private static PipelineConfig config(int enrich) {
    return new PipelineConfig(Map.of("enrich", enrich), 32, 30, 4, 4.0, 16.0, 4);
  }

  private static Decision decision(long tick) {
    return new Decision(
        "decision-p1-" + tick, "p1", tick, Decision.Verdict.NO_ACTION, null, "none", List.of());
  }

  private static MetaAgent.DecisionMade decided(long tick) {
    return new MetaAgent.DecisionMade(
        "p1", tick, decision(tick), Mode.AUTONOMOUS, List.of(AgentKind.OPTIMIZATION));
  }

  private static Actuator.ChangeStarted started(String changeId, PipelineConfig target) {
    return new Actuator.ChangeStarted(
        "p1",
        5,
        new Actuator.Change(
            changeId,
            Actuator.ChangeKind.DECISION,
            5,
            "prop-5",
            AgentKind.OPTIMIZATION,
            null,
            A,
            target,
            null,
            "t",
            List.of(),
            "c",
            null,
            0,
            0,
            0));
  }

  private static Actuator.ChangeApplied applied(String proposalId) {
    return new Actuator.ChangeApplied(
        "p1",
        5,
        "change-5",
        proposalId,
        new ActuationResult(ActuationResult.Outcome.APPLIED, "ok", 1),
        null);
  }

  /** A closed tick acknowledging its decision (an agent was missing) and an application. */
  private static MetaAgent.TickClosed closed(long tick, String appliedProposal) {
    List<Actuator.Report> reports =
        appliedProposal == null
            ? List.of()
            : List.of(
                new Actuator.Report(
                    Actuator.Report.Kind.APPLIED, appliedProposal, "x", B, null, null));
    return new MetaAgent.TickClosed(
        "p1", tick, decision(tick), List.of(), List.of(AgentKind.OPTIMIZATION), reports, List.of());
  }

  private static DrillPlatform.Call call(PipelineConfig target) {
    return new DrillPlatform.Call(
        0, 1, "p1", null, target, null, ActuationResult.Outcome.APPLIED, null);
  }

  @Test
  void aJournalHoldingExactlyWhatWasAcknowledgedAndAppliedPasses() {
    List<AuditRecord> journal =
        List.of(
            new AuditRecord("meta|p1", 1, decided(5)),
            new AuditRecord("meta|p1", 2, decided(6)),
            new AuditRecord("actuator|p1", 1, started("change-5", B)),
            new AuditRecord("actuator|p1", 2, applied("prop-5")));
    DbOutageJournalCheck check =
        DbOutageJournalCheck.of(
            journal, List.of(closed(5, "prop-5")), Map.of("p1", List.of(call(B))));
    assertEquals(List.of(), check.problems());
    assertEquals(4, check.events());
    assertEquals(2, check.acknowledged(), "the decision of tick 5 and the application");
    assertEquals(1, check.applications());
  }

  @Test
  void findsLostAndDuplicatedEventsGapsAndUnjournaledOrRepeatedApplications() {
    List<AuditRecord> journal =
        List.of(
            new AuditRecord("meta|p1", 1, decided(5)),
            new AuditRecord("meta|p1", 2, decided(5)),
            new AuditRecord("actuator|p1", 1, started("change-5", B)),
            new AuditRecord("actuator|p1", 3, applied("prop-5")));
    DbOutageJournalCheck check =
        DbOutageJournalCheck.of(
            journal,
            List.of(closed(5, "prop-5"), closed(7, "prop-7")),
            Map.of("p1", List.of(call(B), call(B), call(C))));
    assertEquals(2, check.lost(), "tick 7's decision and its application: " + check.problems());
    assertEquals(1, check.duplicates(), "tick 5 decided twice");
    assertEquals(1, check.gaps(), "actuator|p1 jumps from 1 to 3");
    assertEquals(3, check.applications());
    assertEquals(2, check.duplicateApplications(), "three applications, one journaled");
    assertEquals(1, check.unjournaledApplications(), "C was never started");
    assertEquals(6, check.problems().size(), check.problems().toString());
  }

  @Test
  void historyIsIntactWhenTheOldEntriesFollowTheNewOnesInOrder() {
    assertTrue(DbOutageJournalCheck.historyIntact(List.of(B, A), List.of(B, A), 5));
    assertTrue(DbOutageJournalCheck.historyIntact(List.of(B, A), List.of(C, B, A), 5));
    assertTrue(
        DbOutageJournalCheck.historyIntact(List.of(B, A), List.of(C, B), 2),
        "a full history drops the oldest");
    assertFalse(
        DbOutageJournalCheck.historyIntact(List.of(B, A), List.of(C, B), 5),
        "not full: nothing may be dropped");
    assertFalse(DbOutageJournalCheck.historyIntact(List.of(B, A), List.of(A, B), 5));
    assertFalse(DbOutageJournalCheck.historyIntact(List.of(B, A), List.of(C), 5));
  }
}
