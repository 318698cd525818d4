package dev.autopilot.agents.meta.policy;

import static dev.autopilot.agents.meta.policy.Fixtures.PIPELINE;
import static dev.autopilot.agents.meta.policy.Fixtures.SETTINGS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.Action;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.Decision;
import dev.autopilot.api.Decision.RejectionCode;
import dev.autopilot.api.Decision.Verdict;
import dev.autopilot.api.ExpectedEffect;
import dev.autopilot.api.PriorityClass;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ArbiterTest {
  private static final long TICK = 10;
  private final Arbiter arbiter = new Arbiter(SETTINGS.arbiter());

  private static Arbiter.Situation situation(Mode mode) {
    return situation(mode, Snapshots.healthy(PIPELINE, TICK), false, null, Set.of());
  }

  private static Arbiter.Situation situation(
      Mode mode,
      TelemetrySnapshot s,
      boolean verifying,
      Action underVerification,
      Set<String> approved) {
    return new Arbiter.Situation(
        PIPELINE,
        TICK,
        s,
        mode,
        AdmissionControl.NO_CHANGE,
        verifying,
        underVerification,
        approved);
  }

  private static final Proposal RESTART =
      Fixtures.proposal(
          "recovery-p1-10-0",
          AgentKind.RECOVERY,
          PriorityClass.RECOVERY,
          new Action.RestartTask("enrich"),
          0.1);
  private static final Proposal PRESCALE =
      Fixtures.proposal(
          "prediction-p1-10-0",
          AgentKind.PREDICTION,
          PriorityClass.SLA_PROTECTION,
          new Action.Rescale(Map.of("enrich", 24)),
          5);
  private static final Proposal TUNE =
      Fixtures.proposal(
          "optimization-p1-10-0",
          AgentKind.OPTIMIZATION,
          PriorityClass.OPTIMIZATION,
          new Action.SetNetworkBuffers(48),
          50);

  static Stream<Arguments> priorityOrder() {
    return Stream.of(
        Arguments.of(List.of(TUNE, PRESCALE, RESTART), RESTART.id()),
        Arguments.of(List.of(TUNE, PRESCALE), PRESCALE.id()),
        Arguments.of(List.of(TUNE), TUNE.id()));
  }

  @ParameterizedTest
  @MethodSource("priorityOrder")
  void recoveryBeatsSlaBeatsOptimization(List<Proposal> proposals, String winner) {
    Decision d = arbiter.decide(situation(Mode.AUTONOMOUS), proposals);
    assertEquals(Verdict.APPLY, d.verdict());
    assertEquals(winner, d.chosen().id());
    assertEquals(proposals.size() - 1, d.rejections().size(), "every other proposal is listed");
    assertTrue(d.rejections().stream().allMatch(r -> !r.reason().isBlank()));
    assertEquals("decision-p1-10", d.id());
  }

  @Test
  void netBenefitOrdersWithinAClassAndTiesAreDeterministic() {
    Proposal small =
        Fixtures.proposal(
            "optimization-p1-10-0",
            AgentKind.OPTIMIZATION,
            PriorityClass.OPTIMIZATION,
            new Action.SetNetworkBuffers(48),
            1);
    Proposal big =
        Fixtures.proposal(
            "optimization-p1-10-1",
            AgentKind.OPTIMIZATION,
            PriorityClass.OPTIMIZATION,
            new Action.SetCheckpointInterval(45),
            3);
    Proposal tieA =
        Fixtures.proposal(
            "a",
            AgentKind.PREDICTION,
            PriorityClass.OPTIMIZATION,
            new Action.SetNetworkBuffers(64),
            3);
    List<Proposal> all = new ArrayList<>(List.of(small, big, tieA));
    Decision first = arbiter.decide(situation(Mode.AUTONOMOUS), all);
    // Equal net benefit 3: PREDICTION sorts before OPTIMIZATION.
    assertEquals("a", first.chosen().id());
    assertEquals(RejectionCode.LOWER_PRIORITY, first.rejections().get(0).code());
    assertEquals(
        List.of("optimization-p1-10-1", "optimization-p1-10-0"),
        first.rejections().stream().map(Decision.Rejection::proposalId).toList());
    Random rnd = new Random(7);
    for (int i = 0; i < 20; i++) {
      Collections.shuffle(all, rnd);
      assertEquals(first, arbiter.decide(situation(Mode.AUTONOMOUS), all));
    }
  }

  @Test
  void recoverySupersedesConfigChangesEvenOfAHigherClass() {
    Proposal safetyScale =
        Fixtures.proposal(
            "optimization-p1-10-2",
            AgentKind.OPTIMIZATION,
            PriorityClass.SAFETY,
            new Action.ScaleTaskManagers(10),
            9);
    Decision d = arbiter.decide(situation(Mode.AUTONOMOUS), List.of(safetyScale, RESTART, TUNE));
    assertEquals(RESTART.id(), d.chosen().id());
    Map<String, RejectionCode> codes = codes(d);
    assertEquals(RejectionCode.CONFLICT, codes.get(safetyScale.id()));
    assertEquals(RejectionCode.CONFLICT, codes.get(TUNE.id()));
    assertTrue(d.rejections().get(0).reason().contains("supersedes"));
  }

  @Test
  void configChangesWaitForAnOpenVerificationButRecoveryDoesNot() {
    Arbiter.Situation s =
        situation(
            Mode.AUTONOMOUS,
            Snapshots.healthy(PIPELINE, TICK),
            true,
            new Action.SetCheckpointInterval(20),
            Set.of());
    Decision d = arbiter.decide(s, List.of(PRESCALE, TUNE));
    assertEquals(Verdict.NO_ACTION, d.verdict());
    assertNull(d.chosen());
    assertTrue(
        d.rejections().stream().allMatch(r -> r.code() == RejectionCode.ACTUATION_IN_PROGRESS));

    Decision withRecovery = arbiter.decide(s, List.of(PRESCALE, RESTART));
    assertEquals(RESTART.id(), withRecovery.chosen().id());

    Arbiter.Situation sameRunning =
        situation(
            Mode.AUTONOMOUS, Snapshots.healthy(PIPELINE, TICK), true, RESTART.action(), Set.of());
    Decision repeat = arbiter.decide(sameRunning, List.of(RESTART));
    assertEquals(Verdict.NO_ACTION, repeat.verdict());
    assertEquals(RejectionCode.ACTUATION_IN_PROGRESS, repeat.rejections().get(0).code());
  }

  @Test
  void aScaleUpReplacesAnOpenVerificationOnlyWhileThePipelineIsShortOfCapacity() {
    TelemetrySnapshot short_ = Snapshots.builder(PIPELINE, TICK).busy(0.97).lag(20_000_000).build();
    Arbiter.Situation s =
        situation(Mode.AUTONOMOUS, short_, true, new Action.Redistribute("node-1"), Set.of());
    Decision d = arbiter.decide(s, List.of(PRESCALE, TUNE));
    assertEquals(PRESCALE.id(), d.chosen().id());
    assertTrue(d.reason().contains("admitted during the open verification"), d.reason());
    assertTrue(
        d.rejections().stream()
            .anyMatch(
                r ->
                    r.proposalId().equals(TUNE.id())
                        && r.code() == RejectionCode.ACTUATION_IN_PROGRESS),
        "a change that is not a pure scale-up still waits");

    Proposal scaleDown =
        Fixtures.proposal(
            "optimization-p1-10-1",
            AgentKind.OPTIMIZATION,
            PriorityClass.OPTIMIZATION,
            new Action.Rescale(Map.of("enrich", 8)),
            0.5);
    assertEquals(
        RejectionCode.ACTUATION_IN_PROGRESS,
        arbiter.decide(s, List.of(scaleDown)).rejections().get(0).code());

    assertTrue(
        Arbiter.scalesUpOnly(
            Snapshots.defaultConfig(), Snapshots.defaultConfig().withTaskManagers(12)));
    assertTrue(!Arbiter.scalesUpOnly(Snapshots.defaultConfig(), Snapshots.defaultConfig()));
  }

  private static Proposal surge(double forecast) {
    return Fixtures.proposal(
        "prediction-p1-10-0",
        AgentKind.PREDICTION,
        PriorityClass.SLA_PROTECTION,
        new Action.Rescale(Map.of("enrich", 24)),
        new ExpectedEffect(0.2, 0, forecast, 120, 2),
        TICK);
  }

  private static final Proposal SCALE_DOWN =
      Fixtures.proposal(
          "optimization-p1-10-0",
          AgentKind.OPTIMIZATION,
          PriorityClass.OPTIMIZATION,
          new Action.Rescale(Map.of("enrich", 8, "parse", 8)),
          4);

  @Test
  void scaleDownIsRefusedWhenTheForecastSurgeWouldOverloadTheSmallerConfig() {
    // Busy 0.55 at 500k/s; halving enrich and the forecast 600k/s -> 0.55 x 1.2 x 2 = 132 %.
    // The prediction's own scale-up has expired, so only the conflict stops the scale-down.
    Proposal expired =
        new Proposal(
            "prediction-p1-10-0",
            PIPELINE,
            AgentKind.PREDICTION,
            PriorityClass.SLA_PROTECTION,
            new Action.Rescale(Map.of("enrich", 24)),
            0.8,
            new ExpectedEffect(0.2, 0, 600_000, 120, 2),
            List.of(),
            "surge",
            TICK - 5,
            TICK - 1);
    Decision d = arbiter.decide(situation(Mode.AUTONOMOUS), List.of(SCALE_DOWN, expired));
    Map<String, RejectionCode> codes = codes(d);
    assertEquals(RejectionCode.EXPIRED, codes.get("prediction-p1-10-0"));
    assertEquals(RejectionCode.CONFLICT, codes.get(SCALE_DOWN.id()));
    assertEquals(Verdict.NO_ACTION, d.verdict());

    Decision free = arbiter.decide(situation(Mode.AUTONOMOUS), List.of(SCALE_DOWN, surge(600_000)));
    assertEquals("prediction-p1-10-0", free.chosen().id());
    Decision.Rejection r = free.rejections().get(0);
    assertEquals(RejectionCode.CONFLICT, r.code());
    assertTrue(r.reason().contains("forecast"), r.reason());
    assertTrue(r.reason().contains("600000/s"), r.reason());
  }

  @Test
  void scaleDownIsKeptWhenTheForecastFitsAndTheReasonSaysWhy() {
    // Busy 0.3: 0.3 x 1.04 x 2 = 62 % < 80 %: the scale-down survives and the reason says why.
    TelemetrySnapshot idle = Snapshots.builder(PIPELINE, TICK).busy(0.3).build();
    Decision d =
        arbiter.decide(
            situation(Mode.AUTONOMOUS, idle, false, null, Set.of()),
            List.of(SCALE_DOWN, surge(520_000)));
    assertEquals("prediction-p1-10-0", d.chosen().id());
    assertEquals(RejectionCode.LOWER_PRIORITY, codes(d).get(SCALE_DOWN.id()));
    assertTrue(d.reason().contains("kept despite the forecast"), d.reason());
  }

  @Test
  void shadowModeNeverApplies() {
    for (List<Proposal> ps : List.of(List.of(RESTART), List.of(TUNE), List.of(PRESCALE, TUNE))) {
      Decision d = arbiter.decide(situation(Mode.SHADOW), ps);
      assertEquals(Verdict.SHADOW, d.verdict());
    }
    assertEquals(Verdict.NO_ACTION, arbiter.decide(situation(Mode.SHADOW), List.of()).verdict());
  }

  static Stream<Arguments> approval() {
    return Stream.of(
        Arguments.of(new Action.Failover(), Risk.HIGH, Verdict.AWAITING_APPROVAL),
        Arguments.of(new Action.FullRestart(null), Risk.HIGH, Verdict.AWAITING_APPROVAL),
        Arguments.of(
            new Action.Rescale(Map.of("enrich", 30)), Risk.HIGH, Verdict.AWAITING_APPROVAL),
        Arguments.of(new Action.Redistribute("node-1"), Risk.MEDIUM, Verdict.APPLY),
        Arguments.of(new Action.Rescale(Map.of("enrich", 20)), Risk.MEDIUM, Verdict.APPLY),
        Arguments.of(new Action.RestartTask("enrich"), Risk.LOW, Verdict.APPLY),
        Arguments.of(new Action.SetNetworkBuffers(48), Risk.LOW, Verdict.APPLY));
  }

  @ParameterizedTest
  @MethodSource("approval")
  void approvalModeHoldsHighRiskOnly(Action action, Risk risk, Verdict verdict) {
    assertEquals(risk, Risk.of(action, Snapshots.defaultConfig(), SETTINGS.arbiter().risk()));
    PriorityClass pc =
        action instanceof Action.RecoveryAction
            ? PriorityClass.RECOVERY
            : PriorityClass.OPTIMIZATION;
    Proposal p = Fixtures.proposal("recovery-p1-10-3", AgentKind.RECOVERY, pc, action, 1);
    assertEquals(verdict, arbiter.decide(situation(Mode.APPROVAL), List.of(p)).verdict());
    Arbiter.Situation approved =
        situation(Mode.APPROVAL, Snapshots.healthy(PIPELINE, TICK), false, null, Set.of(p.id()));
    assertEquals(Verdict.APPLY, arbiter.decide(approved, List.of(p)).verdict());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void everyRejectionCarriesItsAdmissionCode(Mode mode) {
    Proposal drop =
        Fixtures.proposal(
            "optimization-p1-10-5",
            AgentKind.OPTIMIZATION,
            PriorityClass.OPTIMIZATION,
            new Action.SetNetworkBuffers(64),
            new ExpectedEffect(-0.3, 0, 1, 1, 9),
            TICK);
    Proposal tooSmall =
        Fixtures.proposal(
            "optimization-p1-10-6",
            AgentKind.OPTIMIZATION,
            PriorityClass.OPTIMIZATION,
            new Action.Rescale(Map.of("sink", 2)),
            8);
    Decision d = arbiter.decide(situation(mode), List.of(drop, tooSmall, TUNE));
    assertEquals(TUNE.id(), d.chosen().id());
    assertEquals(RejectionCode.THROUGHPUT_DROP, codes(d).get(drop.id()));
    assertEquals(RejectionCode.MIN_PARALLELISM, codes(d).get(tooSmall.id()));
  }

  @Test
  void duplicateIdsAndNullsDoNotCrash() {
    List<Proposal> ps = new ArrayList<>();
    ps.add(null);
    ps.add(TUNE);
    ps.add(TUNE);
    Decision d = arbiter.decide(situation(Mode.AUTONOMOUS), ps);
    assertEquals(TUNE.id(), d.chosen().id());
    assertEquals(RejectionCode.INVALID, d.rejections().get(0).code());
  }

  private static Map<String, RejectionCode> codes(Decision d) {
    return d.rejections().stream()
        .collect(Collectors.toMap(Decision.Rejection::proposalId, Decision.Rejection::code));
  }
}
