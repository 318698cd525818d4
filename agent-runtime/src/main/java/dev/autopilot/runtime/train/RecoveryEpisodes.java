package dev.autopilot.runtime.train;

import dev.autopilot.agents.recovery.policy.Incident;
import dev.autopilot.agents.recovery.policy.RecoveryActionChooser;
import dev.autopilot.agents.recovery.policy.RecoveryPolicy;
import dev.autopilot.agents.recovery.policy.RecoverySettings;
import dev.autopilot.api.Action;
import dev.autopilot.api.ActuationResult;
import dev.autopilot.api.AgentProtocol;
import dev.autopilot.api.FailureMode;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.runtime.sim.Fault;
import dev.autopilot.runtime.sim.FaultSchedule;
import dev.autopilot.runtime.sim.GeneratedWorkload;
import dev.autopilot.runtime.sim.Scenario;
import dev.autopilot.runtime.sim.SimSettings;
import dev.autopilot.runtime.sim.SimulatedPlatform;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Recovery episodes in the simulator, one injected fault each: a fresh one-pipeline platform runs
 * healthy for a warm-up, the fault is injected, and the recovery agent's own policy ({@link
 * RecoveryPolicy}: detectors, symptoms, rule-table diagnosis, incident lifecycle) runs with the
 * chooser under test. Its proposals are executed directly through the platform's recover (or apply,
 * for configuration changes); an executed action is reported VERIFIED once the platform says it
 * settled, a rejected one FAILED, and the policy escalates as it does in the agent when the
 * incident persists. The episode ends when the fault is resolved (ground truth) or at the horizon.
 *
 * <p>The diagnosis is the rule table's, so it is sometimes wrong: the chooser acts on what the
 * agent would believe, not on the true cause.
 */
final class RecoveryEpisodes {

  /**
   * Episode settings.
   *
   * @param warmupTicks healthy ticks before the fault (detectors learn their baselines)
   * @param warmupJitterTicks extra random warm-up ticks, so faults hit at different moments
   * @param boundTicks a fault repaired by an action within this many ticks of its injection counts
   *     as auto-recovered
   * @param horizonTicks the episode ends this many ticks after the injection at the latest
   */
  record Settings(int warmupTicks, int warmupJitterTicks, int boundTicks, int horizonTicks) {
    static Settings defaults() {
      // 10 min warm-up (+ up to 5 min), bound 30 min, horizon 45 min at 10 s per tick
      return new Settings(60, 30, 180, 270);
    }
  }

  /**
   * One executed action.
   *
   * @param tick tick it was proposed and executed
   * @param action the action
   * @param rejected whether the platform rejected it
   * @param settleTicks ticks until it completed (0 when rejected)
   */
  record Attempt(long tick, Action action, boolean rejected, int settleTicks) {}

  /**
   * How one episode went.
   *
   * @param mode the injected fault's true mode
   * @param seed the episode seed
   * @param injectedTick tick the fault took effect
   * @param firstIncidentTick tick the first incident opened after the injection, or -1
   * @param firstDiagnosis the cause diagnosed at that incident, or null
   * @param resolvedTick tick the fault was resolved, or -1
   * @param resolvedBy the resolving action's description, "self-healed", or null
   * @param endTick the last tick run
   * @param attempts actions executed after the injection, in order
   * @param falseAlarmActions actions executed before the injection (false alarms)
   */
  record Result(
      FailureMode mode,
      long seed,
      long injectedTick,
      long firstIncidentTick,
      FailureMode firstDiagnosis,
      long resolvedTick,
      String resolvedBy,
      long endTick,
      List<Attempt> attempts,
      int falseAlarmActions) {

    boolean resolvedByAction() {
      return resolvedTick >= 0 && resolvedBy != null && !"self-healed".equals(resolvedBy);
    }

    /** Repaired by an action within the bound. */
    boolean autoRecovered(Settings s) {
      return resolvedByAction() && resolvedTick - injectedTick <= s.boundTicks();
    }

    /** Actions that did not repair the fault. */
    int failedAttempts() {
      return attempts.size() - (resolvedByAction() ? 1 : 0);
    }
  }

  private final SimSettings sim;
  private final RecoverySettings recovery;
  private final SlaSpec sla;
  private final Settings settings;

  RecoveryEpisodes(SimSettings sim, RecoverySettings recovery, SlaSpec sla, Settings settings) {
    this.sim = sim;
    this.recovery = recovery;
    this.sla = sla;
    this.settings = settings;
  }

  Settings settings() {
    return settings;
  }

  /** Runs one episode; the same seed and mode give the same platform, load and fault. */
  Result run(long seed, FailureMode mode, RecoveryActionChooser chooser) {
    String pid = "p1";
    long ticks = sim.ticksPerDay();
    Scenario scenario =
        new Scenario(
            seed,
            1,
            List.of(pid),
            new GeneratedWorkload(
                sim.workload(), seed, ticks, sim.tickSeconds(), sim.startEpochMillis()),
            FaultSchedule.none());
    SimulatedPlatform platform = new SimulatedPlatform(sim, scenario);
    RecoveryPolicy policy = new RecoveryPolicy(recovery, chooser);
    SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
    int warmup = settings.warmupTicks() + rnd.nextInt(settings.warmupJitterTicks() + 1);

    Loop loop = new Loop(platform, policy, pid);
    for (int t = 0; t < warmup; t++) {
      loop.tick();
      platform.advance();
    }
    String faultId = platform.inject(pid, mode, null);
    long injectedTick = platform.currentTick() + 1;
    int falseAlarms = loop.attempts.size();
    loop.attempts.clear();
    loop.firstIncidentTick = -1;
    loop.firstDiagnosis = null;
    long resolvedTick = -1;
    String resolvedBy = null;
    long end = injectedTick + settings.horizonTicks();
    while (platform.currentTick() < end) {
      platform.advance();
      loop.tick();
      Fault f = find(platform, pid, faultId);
      if (f != null && !f.active()) {
        resolvedTick = f.resolvedTick();
        resolvedBy = f.resolvedBy();
        break;
      }
    }
    return new Result(
        mode,
        seed,
        injectedTick,
        loop.firstIncidentTick,
        loop.firstDiagnosis,
        resolvedTick,
        resolvedBy,
        platform.currentTick(),
        List.copyOf(loop.attempts),
        falseAlarms);
  }

  private static Fault find(SimulatedPlatform platform, String pid, String id) {
    var truth = platform.truth(pid);
    for (Fault f : truth.activeFaults()) {
      if (f.id().equals(id)) {
        return f;
      }
    }
    for (Fault f : truth.resolvedFaults()) {
      if (f.id().equals(id)) {
        return f;
      }
    }
    return null;
  }

  /** The agent's side of one pipeline: the policy, its incident, and the pending verification. */
  private final class Loop {
    final SimulatedPlatform platform;
    final RecoveryPolicy policy;
    final String pid;
    final List<Attempt> attempts = new ArrayList<>();
    Incident incident;
    long opened;
    String pendingId;
    long dueTick = -1;
    AgentProtocol.OutcomeKind dueKind;
    String dueDetail;
    long firstIncidentTick = -1;
    FailureMode firstDiagnosis;

    Loop(SimulatedPlatform platform, RecoveryPolicy policy, String pid) {
      this.platform = platform;
      this.policy = policy;
      this.pid = pid;
    }

    void tick() {
      TelemetrySnapshot s = platform.observe(pid);
      long tick = s.tick();
      if (pendingId != null && tick >= dueTick) {
        fold(policy.outcome(pendingId, dueKind, tick, dueDetail, incident), tick);
        pendingId = null;
      }
      RecoveryPolicy.TickResult r = policy.evaluate(s, sla, incident, opened);
      fold(r.changes(), tick);
      for (Proposal p : r.proposals()) {
        execute(p, s, tick);
      }
    }

    private void fold(List<RecoveryPolicy.Change> changes, long tick) {
      for (RecoveryPolicy.Change c : changes) {
        if (c instanceof RecoveryPolicy.Opened o) {
          incident = o.incident();
          opened++;
          if (firstIncidentTick < 0) {
            firstIncidentTick = tick;
            firstDiagnosis = o.incident().cause();
          }
        } else if (c instanceof RecoveryPolicy.Proposed p) {
          incident =
              incident.withProposal(
                  new Incident.Pending(
                      p.proposal().id(), tick, p.rung().index(), p.proposal().action()));
        } else if (c instanceof RecoveryPolicy.OutcomeSeen o) {
          incident = incident.withOutcome(o.proposalId(), o.outcome(), o.tick());
        } else if (c instanceof RecoveryPolicy.Escalated e) {
          incident = incident.escalated(e.toRung(), e.exhausted(), tick);
        } else if (c instanceof RecoveryPolicy.Closed) {
          incident = null;
        }
      }
    }

    private void execute(Proposal p, TelemetrySnapshot s, long tick) {
      Action a = p.action();
      try {
        ActuationResult res =
            a instanceof Action.RecoveryAction ra
                ? platform.recover(pid, p.id(), ra)
                : platform.apply(pid, a.targetConfig(s.config()));
        int settle = Math.max(1, res.settleTicks());
        attempts.add(new Attempt(tick, a, false, settle));
        pendingId = p.id();
        dueTick = tick + settle;
        dueKind = AgentProtocol.OutcomeKind.VERIFIED;
        dueDetail = res.detail();
      } catch (PlatformException e) {
        attempts.add(new Attempt(tick, a, true, 0));
        pendingId = p.id();
        dueTick = tick + 1;
        dueKind = AgentProtocol.OutcomeKind.FAILED;
        dueDetail = e.getMessage();
      }
    }
  }
}
