package dev.autopilot.agents.recovery.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.AgentProtocol.OutcomeKind;
import dev.autopilot.api.CheckpointMetrics;
import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.Metric;
import dev.autopilot.api.OperatorMetrics;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.SnapshotValidator;
import dev.autopilot.api.TaskManagerMetrics;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Valid but wild telemetry never breaks the policy, and its proposals stay well-formed. */
class RecoveryPolicyFuzzTest {
  private static final SlaSpec SLA = new SlaSpec(800_000, 500, 0.05);

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void wildButValidTelemetryKeepsTheLifecycleConsistent(long seed) {
    RecoverySettings settings = Signatures.settings();
    RecoveryPolicy policy = new RecoveryPolicy(settings);
    Random rnd = new Random(seed);
    Incident incident = null;
    long opened = 0;
    int proposals = 0;
    for (long tick = 0; tick < 1500; tick++) {
      TelemetrySnapshot s =
          tick < 25 ? Signatures.healthy(tick, rnd) : wild(Signatures.healthy(tick, rnd), rnd);
      assertTrue(SnapshotValidator.validate(s, Set.of(Signatures.PIPELINE), tick - 1).isEmpty());
      RecoveryPolicy.TickResult r = policy.evaluate(s, SLA, incident, opened);
      assertTrue(r.proposals().size() <= 1);
      for (RecoveryPolicy.Change c : r.changes()) {
        if (c instanceof RecoveryPolicy.Opened o) {
          assertEquals(null, incident, "opened while one is open");
          incident = o.incident();
          opened++;
        } else if (c instanceof RecoveryPolicy.Proposed p) {
          assertTrue(incident.pending() == null, "proposed while awaiting an outcome");
          check(p.proposal(), tick);
          proposals++;
          incident =
              incident.withProposal(
                  new Incident.Pending(
                      p.proposal().id(), tick, p.rung().index(), p.rung().action()));
        } else if (c instanceof RecoveryPolicy.Escalated e) {
          incident = incident.escalated(e.toRung(), e.exhausted(), tick);
        } else if (c instanceof RecoveryPolicy.Closed) {
          incident = null;
        }
      }
      if (incident != null && incident.pending() != null && rnd.nextInt(5) == 0) {
        OutcomeKind kind = OutcomeKind.values()[rnd.nextInt(OutcomeKind.values().length)];
        for (RecoveryPolicy.Change c :
            policy.outcome(incident.pending().proposalId(), kind, tick, "fuzz", incident)) {
          if (c instanceof RecoveryPolicy.OutcomeSeen o) {
            incident = incident.withOutcome(o.proposalId(), o.outcome(), tick);
          } else if (c instanceof RecoveryPolicy.Escalated e) {
            incident = incident.escalated(e.toRung(), e.exhausted(), tick);
          }
        }
      }
    }
    assertTrue(opened > 0 && proposals > 0, "the wild telemetry should trigger incidents");
  }

  private static void check(Proposal p, long tick) {
    assertTrue(p.confidence() > 0 && p.confidence() <= 1, "confidence " + p.confidence());
    assertEquals(tick, p.tick());
    assertTrue(p.expiryTick() > tick);
    assertTrue(Double.isFinite(p.expectedEffect().throughputChange()));
    assertTrue(Double.isFinite(p.expectedEffect().latencyChange()));
    assertTrue(Double.isFinite(p.expectedEffect().netBenefit()));
    assertTrue(
        p.action()
            .targetConfig(Signatures.healthy(0, new Random(0)).config())
            .structuralErrors()
            .isEmpty(),
        "proposed an impossible configuration: " + p.action().describe());
    assertTrue(!p.evidence().isEmpty() && p.cause() != null);
  }

  /**
   * Bends a healthy snapshot at random: metrics, operators, job, checkpoints, lost TaskManagers.
   */
  private static TelemetrySnapshot wild(TelemetrySnapshot s, Random rnd) {
    List<TaskManagerMetrics> tms = new ArrayList<>();
    for (TaskManagerMetrics tm : s.taskManagers()) {
      if (rnd.nextInt(20) == 0) {
        continue;
      }
      double[] v = tm.values().clone();
      for (int i = 0; i < 10; i++) {
        int m = rnd.nextInt(Metric.COUNT);
        v[m] =
            Metric.all().get(m).unit() == Metric.Unit.RATIO
                ? rnd.nextDouble()
                : rnd.nextDouble() * Math.pow(10, rnd.nextInt(7));
      }
      tms.add(new TaskManagerMetrics(tm.taskManagerId(), tm.nodeId(), v, tm.absent()));
    }
    if (tms.isEmpty()) {
      tms.add(s.taskManagers().get(0));
    }
    List<OperatorMetrics> ops = new ArrayList<>();
    for (OperatorMetrics op : s.operators()) {
      if (rnd.nextInt(4) == 0) {
        double busy = rnd.nextDouble();
        double bp = rnd.nextDouble() * (1 - busy);
        ops.add(
            new OperatorMetrics(
                op.operatorId(),
                op.parallelism(),
                rnd.nextDouble() * 1e6,
                rnd.nextDouble() * 1e6,
                busy * 1000,
                bp * 1000,
                (1 - busy - bp) * 1000,
                rnd.nextDouble() * 1e6,
                op.stateSizeBytes()));
      } else {
        ops.add(op);
      }
    }
    JobMetrics j = s.job();
    JobMetrics.JobState state =
        rnd.nextInt(6) == 0
            ? JobMetrics.JobState.values()[rnd.nextInt(JobMetrics.JobState.values().length)]
            : JobMetrics.JobState.RUNNING;
    JobMetrics job =
        new JobMetrics(
            state,
            rnd.nextDouble() * 1e6,
            rnd.nextDouble() * 5_000,
            rnd.nextDouble() * 1e7,
            rnd.nextInt(5),
            rnd.nextInt(9));
    CheckpointMetrics c = s.checkpoints();
    CheckpointMetrics cp =
        new CheckpointMetrics(
            rnd.nextDouble() * 60_000,
            c.lastSizeBytes(),
            c.completedTotal(),
            rnd.nextInt(4),
            c.inProgress(),
            rnd.nextInt(3) - 1);
    return new TelemetrySnapshot(
        s.pipelineId(), s.tick(), s.eventTimeMillis(), tms, ops, cp, job, s.config());
  }
}
