package dev.autopilot.agents.recovery.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.Diagnostics;
import dev.autopilot.api.FailureMode;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The policy with learned models plugged into its seams (scripted fakes stand in for them). */
class RecoveryPolicyModelsTest {
  private static final SlaSpec SLA = new SlaSpec(800_000, 500, 0.05);

  /** Votes anomalous from a given tick on, and counts observations and closes. */
  static final class ScriptedEnsemble implements AnomalyModel {
    final long anomalousFrom;
    int observed;
    boolean closed;

    ScriptedEnsemble(long anomalousFrom) {
      this.anomalousFrom = anomalousFrom;
    }

    @Override
    public Verdict observe(TelemetrySnapshot s) {
      observed++;
      boolean a = s.tick() >= anomalousFrom;
      return new Verdict(
          List.of(
              new Diagnostics.DetectorVote("iforest", a ? 0.9 : 0.1, a),
              new Diagnostics.DetectorVote("autoencoder", a ? 0.8 : 0.1, a),
              new Diagnostics.DetectorVote("lstm", 0.2, false)),
          a,
          a ? 0.75 : 0.1);
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  /** Names a fixed cause whenever any symptom is present. */
  record ScriptedCauses(FailureMode mode) implements CauseModel {
    @Override
    public List<Diagnostics.CauseEstimate> rank(
        Symptoms symptoms, DetectorBank bank, TelemetrySnapshot s) {
      if (symptoms.present(0.3).isEmpty()) {
        return List.of();
      }
      return List.of(
          new Diagnostics.CauseEstimate(mode, 0.8),
          new Diagnostics.CauseEstimate(FailureMode.CPU_SATURATION, 0.15),
          new Diagnostics.CauseEstimate(FailureMode.DATA_SKEW, 0.05));
    }

    @Override
    public String describe() {
      return "scripted-net";
    }
  }

  @Test
  void theCauseModelNamesTheIncidentAndEvidenceCarriesVotesAndTopThree() {
    ScriptedEnsemble ensemble = new ScriptedEnsemble(30);
    RecoveryPolicy policy =
        new RecoveryPolicy(
            Signatures.settings(),
            new RecoveryModels(
                () -> ensemble, new ScriptedCauses(FailureMode.OPERATOR_BUG), null, null, "v7"));
    Random rnd = new Random(5);
    Incident incident = null;
    long opened = 0;
    Proposal proposal = null;
    RecoveryPolicy.TickResult last = null;
    int faultTick = 0;
    for (long tick = 0; tick < 45 && proposal == null; tick++) {
      TelemetrySnapshot s =
          tick < 30
              ? Signatures.healthy(tick, rnd)
              : Signatures.fault(FailureMode.TASK_CRASH, tick, faultTick++, rnd);
      last = policy.evaluate(s, SLA, incident, opened);
      for (RecoveryPolicy.Change c : last.changes()) {
        if (c instanceof RecoveryPolicy.Opened o) {
          incident = o.incident();
          opened++;
        }
      }
      if (!last.proposals().isEmpty()) {
        proposal = last.proposals().get(0);
      }
      if (tick < 30) {
        assertFalse(last.diagnostics().anomaly(), "healthy tick " + tick);
      }
    }
    assertTrue(proposal != null, "no proposal");
    assertEquals(FailureMode.OPERATOR_BUG, incident.cause(), "the learned model names the cause");
    assertEquals("OPERATOR_BUG (0.80)", incident.diagnosis().get(0));
    Diagnostics d = last.diagnostics();
    assertTrue(d.anomaly());
    assertEquals(
        List.of("cusum-ewma", "iforest", "autoencoder", "lstm"),
        d.votes().stream().map(Diagnostics.DetectorVote::detector).toList());
    assertEquals(FailureMode.OPERATOR_BUG, d.causes().get(0).mode());
    List<String> evidence = new ArrayList<>(proposal.evidence());
    assertTrue(
        evidence.stream()
            .anyMatch(
                e ->
                    e.equals(
                        "scripted-net top-3 causes now: OPERATOR_BUG 0.800, CPU_SATURATION 0.150,"
                            + " DATA_SKEW 0.050")),
        evidence.toString());
    assertTrue(
        evidence.stream()
            .anyMatch(
                e ->
                    e.startsWith("detector votes (models v7): cusum-ewma ")
                        && e.contains(
                            "iforest 0.90 ANOMALY, autoencoder 0.80 ANOMALY, lstm 0.20 normal;"
                                + " fused 0.75 ANOMALY")),
        evidence.toString());
    assertEquals(last.diagnostics().votes().size(), 4);
    policy.close();
    assertTrue(ensemble.closed);
    assertEquals(ensemble.observed, 30 + faultTick);
  }

  /** Always anomalous, as a model out of its training distribution, and says so. */
  static final class SaturatedEnsemble implements AnomalyModel {
    @Override
    public Verdict observe(TelemetrySnapshot s) {
      return new Verdict(
          List.of(
              new Diagnostics.DetectorVote("iforest", 1.0, true),
              new Diagnostics.DetectorVote("autoencoder", 1.0, true),
              new Diagnostics.DetectorVote("lstm", 0.9, true)),
          true,
          0.99,
          "ensemble out of distribution: 15 of 15 warm-up ticks scored >= 0.95");
    }

    @Override
    public void close() {}
  }

  @Test
  void anEnsembleOutOfDistributionIsIgnoredAndTheBankDecides() {
    RecoveryPolicy policy =
        new RecoveryPolicy(
            Signatures.settings(),
            new RecoveryModels(SaturatedEnsemble::new, null, null, null, "v7"));
    Random rnd = new Random(5);
    RecoveryPolicy.TickResult r = null;
    for (long tick = 0; tick < 40; tick++) {
      r = policy.evaluate(Signatures.healthy(tick, rnd), SLA, null, 0);
      assertTrue(r.proposals().isEmpty(), "healthy tick " + tick);
      assertTrue(r.changes().isEmpty(), "healthy tick " + tick);
    }
    Diagnostics d = r.diagnostics();
    assertFalse(d.anomaly(), "the saturated ensemble does not flag a healthy pipeline");
    assertEquals(
        List.of(
            "cusum-ewma",
            "iforest (ignored)",
            "autoencoder (ignored)",
            "lstm (ignored)",
            "ensemble out of distribution: 15 of 15 warm-up ticks scored >= 0.95"),
        d.votes().stream().map(Diagnostics.DetectorVote::detector).toList());
    assertTrue(d.votes().stream().noneMatch(v -> v.vote() && !v.detector().equals("cusum-ewma")));
  }

  @Test
  void withoutModelsTheRuleTableRanksAndTheBankVotes() {
    RecoveryPolicy policy = new RecoveryPolicy(Signatures.settings());
    Random rnd = new Random(5);
    RecoveryPolicy.TickResult r = null;
    for (long tick = 0; tick < 30; tick++) {
      r = policy.evaluate(Signatures.healthy(tick, rnd), SLA, null, 0);
    }
    assertEquals(1, r.diagnostics().votes().size());
    assertEquals("cusum-ewma", r.diagnostics().votes().get(0).detector());
    int ft = 0;
    for (long tick = 30; tick < 34; tick++) {
      r = policy.evaluate(Signatures.fault(FailureMode.TASK_CRASH, tick, ft++, rnd), SLA, null, 0);
    }
    assertEquals(FailureMode.TASK_CRASH, r.diagnostics().causes().get(0).mode());
    double sum = r.diagnostics().causes().stream().mapToDouble(c -> c.posterior()).sum();
    assertTrue(sum <= 1 + 1e-9 && sum > 0, "shares " + sum);
  }
}
