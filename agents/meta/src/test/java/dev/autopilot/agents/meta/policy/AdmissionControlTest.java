package dev.autopilot.agents.meta.policy;

import static dev.autopilot.agents.meta.policy.Fixtures.PIPELINE;
import static dev.autopilot.agents.meta.policy.Fixtures.SETTINGS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.Action;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.Decision.RejectionCode;
import dev.autopilot.api.ExpectedEffect;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.PriorityClass;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.testing.Snapshots;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AdmissionControlTest {
  private static final long TICK = 100;
  private static final PipelineConfig CURRENT = Snapshots.defaultConfig();
  private final AdmissionControl admission = new AdmissionControl(SETTINGS.arbiter().admission());

  private static Proposal config(Action a, ExpectedEffect e) {
    return Fixtures.proposal(
        "optimization-p1-100-0", AgentKind.OPTIMIZATION, PriorityClass.OPTIMIZATION, a, e, TICK);
  }

  private static Proposal config(Action a) {
    return config(a, Fixtures.effect(0, 0, 1));
  }

  private static Action reconfigure(PipelineConfig target) {
    return new Action.Reconfigure(target, "test");
  }

  /** name, proposal at the limit (admitted), proposal just past it, the expected code. */
  static Stream<Arguments> limits() {
    return Stream.of(
        Arguments.of(
            "throughput drop",
            config(new Action.SetNetworkBuffers(48), Fixtures.effect(-0.10, 0, 1)),
            config(new Action.SetNetworkBuffers(48), Fixtures.effect(-0.1001, 0, 1)),
            RejectionCode.THROUGHPUT_DROP),
        Arguments.of(
            "latency rise",
            config(new Action.SetNetworkBuffers(48), Fixtures.effect(0, 0.20, 1)),
            config(new Action.SetNetworkBuffers(48), Fixtures.effect(0, 0.2001, 1)),
            RejectionCode.LATENCY_RISE),
        Arguments.of(
            "min parallelism",
            config(new Action.Rescale(Map.of("parse", 4))),
            config(new Action.Rescale(Map.of("parse", 3))),
            RejectionCode.MIN_PARALLELISM),
        Arguments.of(
            "parallelism range",
            config(reconfigure(CURRENT.withParallelism(Map.of("parse", 256)).withTaskManagers(64))),
            config(reconfigure(CURRENT.withParallelism(Map.of("parse", 257)).withTaskManagers(65))),
            RejectionCode.OUT_OF_TESTED_RANGE),
        Arguments.of(
            "buffers low",
            config(new Action.SetNetworkBuffers(16)),
            config(new Action.SetNetworkBuffers(15)),
            RejectionCode.OUT_OF_TESTED_RANGE),
        Arguments.of(
            "buffers high",
            config(new Action.SetNetworkBuffers(128)),
            config(new Action.SetNetworkBuffers(129)),
            RejectionCode.OUT_OF_TESTED_RANGE),
        Arguments.of(
            "checkpoint interval low",
            config(new Action.SetCheckpointInterval(5)),
            config(new Action.SetCheckpointInterval(4)),
            RejectionCode.OUT_OF_TESTED_RANGE),
        Arguments.of(
            "checkpoint interval high",
            config(new Action.SetCheckpointInterval(60)),
            config(new Action.SetCheckpointInterval(61)),
            RejectionCode.OUT_OF_TESTED_RANGE),
        Arguments.of(
            "memory low",
            config(new Action.SetResources(4, 4)),
            config(new Action.SetResources(4, 3.9)),
            RejectionCode.OUT_OF_TESTED_RANGE),
        Arguments.of(
            "memory high",
            config(new Action.SetResources(3, 16)),
            config(new Action.SetResources(3, 16.1)),
            RejectionCode.OUT_OF_TESTED_RANGE),
        Arguments.of(
            "cpu low",
            config(new Action.SetResources(2, 16)),
            config(new Action.SetResources(1.9, 16)),
            RejectionCode.OUT_OF_TESTED_RANGE),
        Arguments.of(
            "cpu high",
            config(new Action.SetResources(8, 16)),
            config(new Action.SetResources(8.1, 16)),
            RejectionCode.OUT_OF_TESTED_RANGE),
        Arguments.of(
            "taskmanager count",
            config(reconfigure(CURRENT.withTaskManagers(240).withResources(2, 4))),
            config(reconfigure(CURRENT.withTaskManagers(241).withResources(2, 4))),
            RejectionCode.OUT_OF_TESTED_RANGE),
        // 80 % of 30 x 32 = 768 cores: 192 TaskManagers x 4 cores at the limit.
        Arguments.of(
            "cpu capacity",
            config(reconfigure(CURRENT.withTaskManagers(192).withResources(4, 8))),
            config(reconfigure(CURRENT.withTaskManagers(193).withResources(4, 8))),
            RejectionCode.CAPACITY),
        // 80 % of 30 x 128 GB = 3072 GB: 192 TaskManagers x 16 GB at the limit, 2 cores each.
        Arguments.of(
            "memory capacity",
            config(reconfigure(CURRENT.withTaskManagers(192).withResources(2, 16))),
            config(reconfigure(CURRENT.withTaskManagers(193).withResources(2, 16))),
            RejectionCode.CAPACITY));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("limits")
  void acceptsAtLimitAndRejectsJustPast(
      String name, Proposal atLimit, Proposal pastLimit, RejectionCode code) {
    AdmissionControl.Context ctx = ctx(AdmissionControl.NO_CHANGE);
    assertEquals(Optional.empty(), admission.check(atLimit, ctx), name + " at the limit");
    Optional<AdmissionControl.Refusal> refusal = admission.check(pastLimit, ctx);
    assertTrue(refusal.isPresent(), name + " past the limit");
    assertEquals(code, refusal.get().code(), refusal.get().reason());
    assertFalse(refusal.get().reason().isBlank());
  }

  @Test
  void cooldownHoldsConfigChangesButNotRecovery() {
    long cooldown = SETTINGS.arbiter().admission().cooldownTicks();
    Proposal change = config(new Action.SetNetworkBuffers(48));
    assertEquals(Optional.empty(), admission.check(change, ctx(TICK - cooldown)));
    Optional<AdmissionControl.Refusal> held = admission.check(change, ctx(TICK - cooldown + 1));
    assertEquals(RejectionCode.COOLDOWN, held.orElseThrow().code());

    Proposal restart =
        Fixtures.proposal(
            "recovery-p1-100-0",
            AgentKind.RECOVERY,
            PriorityClass.RECOVERY,
            new Action.RestartTask("parse"),
            Fixtures.effect(0, 0, 1),
            TICK);
    assertEquals(Optional.empty(), admission.check(restart, ctx(TICK - 1)));
  }

  @Test
  void expiryAcceptsTheExpiryTickAndRejectsTheNext() {
    Proposal p = config(new Action.SetNetworkBuffers(48)); // made at TICK, expires TICK + 5
    assertEquals(Optional.empty(), admission.check(p, ctxAt(TICK + 5)));
    assertEquals(RejectionCode.EXPIRED, admission.check(p, ctxAt(TICK + 6)).orElseThrow().code());
  }

  static Stream<Arguments> invalid() {
    Map<String, Integer> oneOp = Map.of("source", 16);
    return Stream.of(
        Arguments.of("unknown operator", config(new Action.Rescale(Map.of("nope", 8)))),
        Arguments.of(
            "not enough slots", config(reconfigure(CURRENT.withParallelism(Map.of("parse", 64))))),
        Arguments.of("no-op change", config(new Action.SetNetworkBuffers(32))),
        Arguments.of(
            "wrong pipeline",
            new Proposal(
                "x",
                "other",
                AgentKind.OPTIMIZATION,
                PriorityClass.OPTIMIZATION,
                new Action.SetNetworkBuffers(48),
                0.5,
                Fixtures.effect(0, 0, 1),
                List.of(),
                "c",
                TICK,
                TICK + 5)),
        Arguments.of(
            "missing effect",
            new Proposal(
                "x",
                PIPELINE,
                AgentKind.OPTIMIZATION,
                PriorityClass.OPTIMIZATION,
                new Action.SetNetworkBuffers(48),
                0.5,
                null,
                List.of(),
                "c",
                TICK,
                TICK + 5)),
        Arguments.of(
            "not a proposing agent",
            Fixtures.proposal(
                "meta-p1-100-0",
                AgentKind.META,
                PriorityClass.SAFETY,
                new Action.SetNetworkBuffers(48),
                Fixtures.effect(0, 0, 1),
                TICK)),
        Arguments.of(
            "NaN effect",
            config(new Action.SetNetworkBuffers(48), Fixtures.effect(Double.NaN, 0, 1))),
        Arguments.of(
            "reconfigure without a target (found by ProposalFuzzTest: it threw)",
            config(new Action.Reconfigure(null, "x"))),
        Arguments.of(
            "zero TaskManagers",
            config(reconfigure(new PipelineConfig(oneOp, 32, 30, 0, 4, 16, 4)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void structurallyInvalidProposalsAreRejected(String name, Proposal p) {
    Optional<AdmissionControl.Refusal> refusal =
        admission.check(p, ctx(AdmissionControl.NO_CHANGE));
    assertEquals(RejectionCode.INVALID, refusal.orElseThrow().code(), name);
  }

  private static AdmissionControl.Context ctx(long lastChangeTick) {
    return new AdmissionControl.Context(PIPELINE, TICK, CURRENT, lastChangeTick);
  }

  private static AdmissionControl.Context ctxAt(long tick) {
    return new AdmissionControl.Context(PIPELINE, tick, CURRENT, AdmissionControl.NO_CHANGE);
  }

  // ------------------------------------------------------------- repairs measured against the SLA

  private static final SlaSpec SLA = new SlaSpec(800_000, 500, 0.05);

  private static AdmissionControl.Context withSla(double offered) {
    return new AdmissionControl.Context(
        "p1", TICK, CURRENT, AdmissionControl.NO_CHANGE, SLA, offered);
  }

  private static Proposal repair(double thrChange, double latChange, double thr, double p99) {
    return Fixtures.proposal(
        "recovery-p1-100-0",
        AgentKind.RECOVERY,
        PriorityClass.RECOVERY,
        new Action.RedeployOperator("filter", 16),
        new ExpectedEffect(thrChange, latChange, thr, p99, 1),
        TICK);
  }

  @Test
  void aRepairThatRestoresTheSlaIsNotRefusedForARiseFromABrokenPresent() {
    // A job dropping records shows 73 ms; the repair brings back the healthy 100 ms (+37 %).
    assertTrue(admission.check(repair(0, 0.37, 900_000, 100), withSla(900_000)).isEmpty());
    // A job catching up consumes 1.6M/s; the repair predicts the demand level (-44 %).
    assertTrue(admission.check(repair(-0.44, 0, 900_000, 100), withSla(900_000)).isEmpty());
  }

  @Test
  void aRepairPredictedOutsideTheSlaKeepsTheRelativeLimits() {
    assertEquals(
        RejectionCode.LATENCY_RISE,
        admission.check(repair(0, 0.37, 900_000, 650), withSla(900_000)).orElseThrow().code());
    assertEquals(
        RejectionCode.THROUGHPUT_DROP,
        admission.check(repair(-0.44, 0, 600_000, 100), withSla(900_000)).orElseThrow().code());
  }

  @Test
  void withoutAnSlaOrForAConfigChangeTheRelativeLimitsApply() {
    Proposal p = repair(0, 0.37, 900_000, 100);
    assertEquals(
        RejectionCode.LATENCY_RISE,
        admission
            .check(p, new AdmissionControl.Context("p1", TICK, CURRENT, AdmissionControl.NO_CHANGE))
            .orElseThrow()
            .code());
    Proposal scaleDown =
        config(new Action.SetNetworkBuffers(48), new ExpectedEffect(0, 0.37, 900_000, 100, 1));
    assertEquals(
        RejectionCode.LATENCY_RISE,
        admission.check(scaleDown, withSla(900_000)).orElseThrow().code());
  }
}
