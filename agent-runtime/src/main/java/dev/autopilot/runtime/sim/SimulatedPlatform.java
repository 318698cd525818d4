package dev.autopilot.runtime.sim;

import dev.autopilot.api.Action;
import dev.autopilot.api.ActuationResult;
import dev.autopilot.api.FailureMode;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.Platform;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The digital twin (DESIGN.md section 5): a deterministic, analytic model of Flink pipelines on a
 * Kubernetes node pool, behind the {@link Platform} port, plus the ground truth the benchmark
 * scores against. Time moves only through {@link #advance()} (one tick of event time); there is no
 * wall clock. All methods are synchronized, so several actor systems in one JVM may share one
 * instance.
 */
public final class SimulatedPlatform implements Platform {

  private final SimSettings settings;
  private final Scenario scenario;
  private final Cluster cluster;
  private final SplittableRandom clusterRnd;
  private final Map<String, PipelineModel> models = new LinkedHashMap<>();
  private final Map<String, TelemetrySynthesizer> telemetry = new LinkedHashMap<>();
  private long tick;
  private int injected;

  public SimulatedPlatform(SimSettings settings, Scenario scenario) {
    this.settings = settings;
    this.scenario = scenario;
    SplittableRandom root = new SplittableRandom(scenario.seed());
    this.clusterRnd = new SplittableRandom(root.nextLong());
    PipelineConfig initial = settings.initialConfig();
    this.cluster =
        new Cluster(
            settings,
            initial.taskManagers() * scenario.pipelineIds().size(),
            initial.taskManagerCpu(),
            initial.taskManagerMemoryGb());
    int count = scenario.pipelineIds().size();
    for (String id : scenario.pipelineIds()) {
      long seed = root.nextLong();
      models.put(id, new PipelineModel(id, settings, cluster, scenario.workload(), seed, count));
      telemetry.put(id, new TelemetrySynthesizer(settings, seed ^ 0x2545F4914F6CDD1DL));
    }
    this.tick = 0;
    step();
  }

  private void step() {
    cluster.reconcile(tick * (double) settings.tickSeconds(), clusterRnd);
    for (FaultSchedule.PlannedFault f : scenario.faults().at(tick)) {
      PipelineModel m = models.get(f.pipelineId());
      if (m == null) {
        continue;
      }
      try {
        m.inject(f.id(), f.mode(), f.target(), f.cascade(), null, tick);
      } catch (PlatformException e) {
        // the planned target no longer exists (for example the pipeline runs on no node): the
        // fault is not injected and does not appear in the ground truth
      }
    }
    for (PipelineModel m : models.values()) {
      m.step(tick);
    }
  }

  /** Moves every pipeline one tick forward. */
  public synchronized void advance() {
    tick++;
    step();
  }

  /** The current tick (0 right after construction). */
  public synchronized long currentTick() {
    return tick;
  }

  public SimSettings settings() {
    return settings;
  }

  public Scenario scenario() {
    return scenario;
  }

  @Override
  public synchronized Set<String> pipelines() {
    return new LinkedHashSet<>(models.keySet());
  }

  @Override
  public synchronized TelemetrySnapshot observe(String pipelineId) {
    return telemetry.get(pipelineId).snapshot(model(pipelineId));
  }

  @Override
  public synchronized ActuationResult apply(String pipelineId, PipelineConfig desired) {
    PipelineModel m = model(pipelineId);
    if (desired == null) {
      throw new PlatformException(PlatformException.Kind.REJECTED, "no configuration given");
    }
    return m.apply(desired);
  }

  @Override
  public synchronized ActuationResult recover(
      String pipelineId, String actionId, Action.RecoveryAction action) {
    PipelineModel m = model(pipelineId);
    if (actionId == null || actionId.isBlank() || action == null) {
      throw new PlatformException(PlatformException.Kind.REJECTED, "recover needs an action id and an action");
    }
    ActuationResult result = m.recover(actionId, action);
    if (result.outcome() == ActuationResult.Outcome.APPLIED && action instanceof Action.DrainNode d) {
      for (PipelineModel other : models.values()) {
        if (other != m) {
          other.evacuate(d.nodeId(), tick * (double) settings.tickSeconds());
        }
      }
    }
    return result;
  }

  /** Apply and recover calls that actually acted on the pipeline (not UNCHANGED or DUPLICATE). */
  public synchronized int applications(String pipelineId) {
    return model(pipelineId).applications;
  }

  /**
   * Injects a fault now (it shows from the next tick). For tests and demonstrations.
   *
   * @param target operator id, node id, or null to let the platform pick one
   * @return the fault id
   */
  public synchronized String inject(String pipelineId, FailureMode mode, String target) {
    PipelineModel m = model(pipelineId);
    injected++;
    String id = "inj-" + injected;
    m.inject(id, mode, target, false, null, tick + 1);
    return id;
  }

  /**
   * Like {@link #inject(String, FailureMode, String)}, and the fault spawns its cascade child
   * (for the modes that have one).
   */
  public synchronized String injectCascade(String pipelineId, FailureMode mode, String target) {
    PipelineModel m = model(pipelineId);
    injected++;
    String id = "inj-" + injected;
    m.inject(id, mode, target, true, null, tick + 1);
    return id;
  }

  /** Ground truth of one pipeline at the current tick (for the benchmark scorer only). */
  public synchronized GroundTruth truth(String pipelineId) {
    PipelineModel m = model(pipelineId);
    TickResult r = m.out;
    List<Fault> active = new ArrayList<>();
    List<Fault> resolved = new ArrayList<>();
    for (Fault f : m.faultRecords()) {
      (f.active() ? active : resolved).add(f);
    }
    return new GroundTruth(
        pipelineId,
        tick,
        r.offered,
        r.processed,
        m.lag(),
        r.latencyP99Ms,
        r.capacity,
        r.cpuUtilisation,
        m.costSoFar,
        m.eventsProcessed,
        active,
        resolved,
        m.spec);
  }

  /** Every fault injected so far, all pipelines (ground truth). */
  public synchronized List<Fault> faults() {
    List<Fault> out = new ArrayList<>();
    for (PipelineModel m : models.values()) {
      out.addAll(m.faultRecords());
    }
    return out;
  }

  /** Ids of the nodes that currently host the pipeline's running TaskManagers. */
  public synchronized List<String> nodesOf(String pipelineId) {
    return model(pipelineId).nodesHostingPods();
  }

  /** Provisioned nodes of the cluster (ready or still provisioning, cordoned included). */
  public synchronized int nodeCount() {
    return cluster.nodes().size();
  }

  private PipelineModel model(String pipelineId) {
    PipelineModel m = pipelineId == null ? null : models.get(pipelineId);
    if (m == null) {
      throw new PlatformException(
          PlatformException.Kind.UNKNOWN_PIPELINE, "unknown pipeline '" + pipelineId + "'");
    }
    return m;
  }
}
