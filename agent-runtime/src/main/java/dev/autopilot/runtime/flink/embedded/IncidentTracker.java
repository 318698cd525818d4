package dev.autopilot.runtime.flink.embedded;

import dev.autopilot.api.Action;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.JobMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Measures detection and recovery of the faults injected into the embedded cluster, from what the
 * control loop saw and did at each tick (pure: fed observations, no clock of its own).
 *
 * <p><b>Detection</b> of a fault is the first closed tick at or after its injection in which the
 * recovery agent proposes a recovery action, or raises its anomaly flag (its fused verdict; a flag
 * that was already up at the injection counts only once it has dropped and risen again); for a
 * demand surge, which is not a fault, the first tick with a proposal (of any agent) that raises
 * some operator's parallelism. MTTD is from the injection to the wall-clock time of that tick's
 * observation.
 *
 * <p><b>Recovery</b>: a tick is healthy when the job is RUNNING, at least the TaskManagers
 * provisioned for the running configuration run, and the source backlog is at most {@code
 * healthyBacklogSeconds} of the demanded rate (the backlog has drained). The fault is recovered at
 * the first tick of the first run of {@code healthyTicks} consecutive healthy ticks that starts
 * after the fault had made a tick unhealthy (for a fault nothing but its removal ends, an exception
 * storm or a broken checkpoint storage, the run must also start after the injector cleared it:
 * between two restarts of a storm the job may look healthy for a few ticks); MTTR is from the
 * injection to that tick. A fault that never made a tick unhealthy within its observation window is
 * reported as not degrading (no MTTR). An incident is observed until it recovers or the next fault
 * is injected, whichever comes first.
 */
public final class IncidentTracker {

  /**
   * What the loop saw and did at one tick.
   *
   * @param wallMillis wall-clock time of the observation
   * @param state job state
   * @param runningTaskManagers TaskManagers running
   * @param expectedTaskManagers TaskManagers provisioned for the running configuration
   * @param backlog records waiting at the source
   * @param demandRate demanded records per second
   * @param parallelism per-operator parallelism running
   * @param recoveryAnomaly whether the recovery agent's fused verdict flags an anomaly
   * @param topCause the recovery agent's top-ranked cause, or null
   * @param proposals every proposal of the tick (agent and action)
   * @param decided the action decided and applied this tick, or null
   */
  public record Observation(
      long wallMillis,
      JobMetrics.JobState state,
      int runningTaskManagers,
      int expectedTaskManagers,
      double backlog,
      double demandRate,
      Map<String, Integer> parallelism,
      boolean recoveryAnomaly,
      String topCause,
      List<ProposalSeen> proposals,
      String decided) {
    public Observation {
      parallelism = parallelism == null ? Map.of() : Map.copyOf(parallelism);
      proposals = proposals == null ? List.of() : List.copyOf(proposals);
    }
  }

  /** One proposal of a tick: who and what. */
  public record ProposalSeen(AgentKind agent, Action action) {}

  /**
   * The measured incident of one injected fault.
   *
   * @param fault the fault
   * @param injection what the injector did
   * @param injectedAtMillis wall-clock time of the injection
   * @param clearedAtMillis when the injector cleared it (-1: not cleared yet, or clears itself)
   * @param detectedAtMillis detection time, -1 if not detected
   * @param detectedBy what detected it (anomaly flag, the proposal), null if not detected
   * @param diagnosis the recovery agent's top cause at detection (or the first later one)
   * @param degraded whether any tick after the injection was unhealthy
   * @param recoveredAtMillis recovery time, -1 if not recovered (or not degraded)
   * @param actions the actions decided between injection and recovery
   * @param maxParallelism highest parallelism of any operator seen after the injection
   */
  public record Incident(
      EmbeddedFault fault,
      String injection,
      long injectedAtMillis,
      long clearedAtMillis,
      long detectedAtMillis,
      String detectedBy,
      String diagnosis,
      boolean degraded,
      long recoveredAtMillis,
      List<String> actions,
      int maxParallelism) {

    /** Time to detect, seconds; NaN when not detected. */
    public double mttdSeconds() {
      return detectedAtMillis < 0 ? Double.NaN : (detectedAtMillis - injectedAtMillis) / 1000.0;
    }

    /** Time to recover, seconds; NaN when not recovered or never degraded. */
    public double mttrSeconds() {
      return recoveredAtMillis < 0 ? Double.NaN : (recoveredAtMillis - injectedAtMillis) / 1000.0;
    }

    public boolean detected() {
      return detectedAtMillis >= 0;
    }

    public boolean recovered() {
      return recoveredAtMillis >= 0;
    }
  }

  private final double healthyBacklogSeconds;
  private final int healthyTicks;
  private final List<Tracked> tracked = new ArrayList<>();
  private boolean anomalyUp;

  /**
   * @param healthyBacklogSeconds largest healthy backlog, in seconds of demand
   * @param healthyTicks consecutive healthy ticks that make a recovery
   */
  public IncidentTracker(double healthyBacklogSeconds, int healthyTicks) {
    if (!(healthyBacklogSeconds >= 0) || healthyTicks < 1) {
      throw new IllegalArgumentException("healthy backlog must be >= 0 s, healthy ticks >= 1");
    }
    this.healthyBacklogSeconds = healthyBacklogSeconds;
    this.healthyTicks = healthyTicks;
  }

  /** Records an injection; later observations are attributed to it until the next one. */
  public synchronized void injected(EmbeddedFault fault, String what, long atMillis) {
    Tracked t = new Tracked(fault, what, atMillis);
    t.anomalyUp = anomalyUp;
    tracked.add(t);
  }

  /** Records that the latest incident of this fault was cleared by the injector. */
  public synchronized void cleared(EmbeddedFault fault, long atMillis) {
    for (int i = tracked.size() - 1; i >= 0; i--) {
      if (tracked.get(i).fault == fault) {
        tracked.get(i).clearedAt = atMillis;
        return;
      }
    }
  }

  /** Whether a tick is healthy (see the class comment). */
  public boolean healthy(Observation o) {
    return o.state() == JobMetrics.JobState.RUNNING
        && o.runningTaskManagers() >= o.expectedTaskManagers()
        && o.backlog() <= healthyBacklogSeconds * Math.max(1.0, o.demandRate());
  }

  /** Feeds one tick to the incidents that are still open (not yet recovered). */
  public synchronized void observe(Observation o) {
    boolean healthy = healthy(o);
    anomalyUp = o.recoveryAnomaly();
    for (int i = 0; i < tracked.size(); i++) {
      Tracked t = tracked.get(i);
      boolean superseded =
          i + 1 < tracked.size() && tracked.get(i + 1).injectedAt <= o.wallMillis();
      if (o.wallMillis() < t.injectedAt || t.recoveredAt >= 0 || superseded) {
        continue;
      }
      boolean anomalyRose = o.recoveryAnomaly() && !t.anomalyUp;
      t.anomalyUp = o.recoveryAnomaly();
      t.maxParallelism =
          Math.max(
              t.maxParallelism,
              o.parallelism().values().stream().mapToInt(Integer::intValue).max().orElse(0));
      if (t.detectedAt < 0) {
        String by = detection(t.fault, o, anomalyRose);
        if (by != null) {
          t.detectedAt = o.wallMillis();
          t.detectedBy = by;
        }
      }
      if (t.diagnosis == null && t.detectedAt >= 0 && o.topCause() != null) {
        t.diagnosis = o.topCause();
      }
      if (o.decided() != null) {
        t.actions.add(o.decided());
      }
      if (!healthy) {
        t.degraded = true;
        t.streak = 0;
        t.streakStart = -1;
      } else if (t.degraded && (!t.fault.needsClearing() || t.clearedAt >= 0)) {
        if (t.streak++ == 0) {
          t.streakStart = o.wallMillis();
        }
        if (t.streak >= healthyTicks) {
          t.recoveredAt = t.streakStart;
        }
      }
    }
  }

  private static String detection(EmbeddedFault fault, Observation o, boolean anomalyRose) {
    if (fault == EmbeddedFault.DEMAND_SURGE) {
      for (ProposalSeen p : o.proposals()) {
        if (raisesParallelism(p.action(), o.parallelism())) {
          return p.agent().name().toLowerCase(java.util.Locale.ROOT)
              + " proposed "
              + p.action().describe();
        }
      }
      return null;
    }
    for (ProposalSeen p : o.proposals()) {
      if (p.agent() == AgentKind.RECOVERY) {
        return "recovery proposed " + p.action().describe();
      }
    }
    return anomalyRose ? "recovery flagged an anomaly" : null;
  }

  private static boolean raisesParallelism(Action a, Map<String, Integer> current) {
    Map<String, Integer> target = Map.of();
    if (a instanceof Action.Rescale r) {
      target = r.parallelism();
    } else if (a instanceof Action.RedeployOperator r) {
      target = Map.of(r.operatorId(), r.parallelism());
    } else if (a instanceof Action.Reconfigure r) {
      target = r.target().parallelism();
    }
    for (Map.Entry<String, Integer> e : target.entrySet()) {
      Integer now = current.get(e.getKey());
      if (now != null && e.getValue() > now) {
        return true;
      }
    }
    return false;
  }

  /** The incidents so far, in injection order. */
  public synchronized List<Incident> incidents() {
    return tracked.stream().map(Tracked::snapshot).toList();
  }

  private static final class Tracked {
    final EmbeddedFault fault;
    final String injection;
    final long injectedAt;
    long clearedAt = -1;
    long detectedAt = -1;
    String detectedBy;
    String diagnosis;
    boolean degraded;
    long recoveredAt = -1;
    int streak;
    long streakStart = -1;
    int maxParallelism;
    boolean anomalyUp;
    final List<String> actions = new ArrayList<>();

    Tracked(EmbeddedFault fault, String injection, long injectedAt) {
      this.fault = fault;
      this.injection = injection;
      this.injectedAt = injectedAt;
    }

    Incident snapshot() {
      return new Incident(
          fault,
          injection,
          injectedAt,
          clearedAt,
          detectedAt,
          detectedBy,
          diagnosis,
          degraded,
          recoveredAt,
          List.copyOf(actions),
          maxParallelism);
    }
  }
}
