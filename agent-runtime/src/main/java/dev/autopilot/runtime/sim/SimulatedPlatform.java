package dev.autopilot.runtime.sim;

import dev.autopilot.agents.optimization.cost.SpotPolicy;
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

  /** Planned spot withdrawals: tick to a uniform draw that picks the node. */
  private final Map<Long, Double> withdrawalPlan = new LinkedHashMap<>();

  private final List<SpotWithdrawal> withdrawals = new ArrayList<>();
  private long tick;
  private int injected;

  /** A platform whose pipelines all count as latency-tolerant (their SLAs are not given). */
  public SimulatedPlatform(SimSettings settings, Scenario scenario) {
    this(settings, scenario, Map.of());
  }

  /**
   * @param p99BoundsMs the SLA p99 bound of each pipeline, ms, which decides whether it may run
   *     TaskManagers on spot ({@link SpotPolicy#latencyTolerant}); a pipeline left out counts as
   *     tolerant
   */
  public SimulatedPlatform(
      SimSettings settings, Scenario scenario, Map<String, Double> p99BoundsMs) {
    this.settings = settings;
    this.scenario = scenario;
    SplittableRandom root = new SplittableRandom(scenario.seed());
    this.clusterRnd = new SplittableRandom(root.nextLong());
    PipelineConfig initial = settings.initialConfig();
    SpotPolicy spot = new SpotPolicy(settings.costSettings());
    Map<String, Boolean> tolerant = new LinkedHashMap<>();
    int spotPods = 0;
    for (String id : scenario.pipelineIds()) {
      boolean t = spot.latencyTolerant(p99BoundsMs.getOrDefault(id, Double.POSITIVE_INFINITY));
      tolerant.put(id, t);
      spotPods += spot.spotTaskManagers(initial.taskManagers(), t);
    }
    int allPods = initial.taskManagers() * scenario.pipelineIds().size();
    this.cluster =
        new Cluster(
            settings,
            spotPods,
            allPods - spotPods,
            initial.taskManagerCpu(),
            initial.taskManagerMemoryGb());
    int count = scenario.pipelineIds().size();
    for (String id : scenario.pipelineIds()) {
      long seed = root.nextLong();
      models.put(
          id,
          new PipelineModel(
              id, settings, cluster, scenario.workload(), seed, count, tolerant.get(id)));
      telemetry.put(id, new TelemetrySynthesizer(settings, seed ^ 0x2545F4914F6CDD1DL));
    }
    planWithdrawals();
    this.tick = 0;
    step();
  }

  /**
   * The spot withdrawals of the run: a Poisson process at {@code spot-withdrawals-per-day}, from
   * its own seed (derived from the scenario's, so the other random streams stay as they were).
   */
  private void planWithdrawals() {
    double rate = settings.cluster().spotWithdrawalsPerDay();
    if (rate <= 0) {
      return;
    }
    SplittableRandom rnd = new SplittableRandom(scenario.seed() ^ 0x5DEECE66DL);
    double meanGapSec = 86_400.0 / rate;
    double endSec = scenario.ticks(settings) * (double) settings.tickSeconds();
    double at = -Math.log(1 - rnd.nextDouble()) * meanGapSec;
    while (at < endSec) {
      long t = Math.max(1, (long) Math.ceil(at / settings.tickSeconds()));
      withdrawalPlan.putIfAbsent(t, rnd.nextDouble());
      at += -Math.log(1 - rnd.nextDouble()) * meanGapSec;
    }
  }

  /** Announces a planned reclaim: one spot node that is up, picked by the plan's draw. */
  private void withdrawSpot(double draw) {
    double now = tick * (double) settings.tickSeconds();
    List<Cluster.Node> candidates = new ArrayList<>();
    for (Cluster.Node n : cluster.nodes()) {
      if (n.spot && !n.withdrawn() && !n.cordoned && !n.notReady && n.readyAtSec <= now) {
        candidates.add(n);
      }
    }
    if (candidates.isEmpty()) {
      return;
    }
    withdraw(candidates.get((int) Math.min(candidates.size() - 1, draw * candidates.size())), now);
  }

  private SpotWithdrawal withdraw(Cluster.Node node, double now) {
    double reclaimAt = now + settings.cluster().spotWithdrawalNoticeSeconds();
    cluster.withdraw(node, reclaimAt);
    int moved = 0;
    for (PipelineModel m : models.values()) {
      moved += m.withdrawSpot(node.id, now, reclaimAt);
    }
    SpotWithdrawal w = new SpotWithdrawal(tick, node.id, reclaimAt, moved);
    withdrawals.add(w);
    return w;
  }

  /**
   * The provider announces the reclaim of a spot node now (as the planned withdrawals do). For
   * tests and demonstrations.
   *
   * @throws PlatformException REJECTED when the node is unknown, not spot, or already reclaimed
   */
  public synchronized SpotWithdrawal withdrawSpotNode(String nodeId) {
    Cluster.Node node = cluster.node(nodeId);
    if (node == null || !node.spot || node.withdrawn()) {
      throw new PlatformException(
          PlatformException.Kind.REJECTED, "no spot node '" + nodeId + "' to withdraw");
    }
    return withdraw(node, tick * (double) settings.tickSeconds());
  }

  private void step() {
    cluster.reconcile(tick * (double) settings.tickSeconds(), clusterRnd);
    Double draw = withdrawalPlan.get(tick);
    if (draw != null) {
      withdrawSpot(draw);
    }
    for (FaultSchedule.PlannedFault f : scenario.faults().at(tick)) {
      PipelineModel m = models.get(f.pipelineId());
      if (m == null) {
        continue;
      }
      try {
        if (f.nodes() > 1) {
          m.injectAcross(f.id(), f.mode(), f.nodes(), f.cascade(), tick);
        } else {
          m.inject(f.id(), f.mode(), f.target(), f.cascade(), null, tick);
        }
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
      throw new PlatformException(
          PlatformException.Kind.REJECTED, "recover needs an action id and an action");
    }
    ActuationResult result = m.recover(actionId, action);
    if (result.outcome() == ActuationResult.Outcome.APPLIED
        && action instanceof Action.DrainNode d) {
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
   * Like {@link #inject(String, FailureMode, String)}, and the fault spawns its cascade child (for
   * the modes that have one).
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
        r.memoryUtilisation,
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

  /** The node pool now: utilisation, fragmentation, nodes and pods by market. */
  public synchronized ClusterStats clusterStats() {
    int spotNodes = 0;
    int pods = 0;
    int spotPods = 0;
    for (Cluster.Node n : cluster.nodes()) {
      if (n.spot) {
        spotNodes++;
      }
      pods += n.pods.size();
      if (n.spot) {
        spotPods += n.pods.size();
      }
    }
    return new ClusterStats(
        cluster.utilisation(),
        cluster.fragmentation(),
        cluster.nodes().size(),
        spotNodes,
        pods,
        spotPods);
  }

  /** What the pipeline has cost so far, by part. */
  public synchronized CostBreakdown costBreakdown(String pipelineId) {
    double[] p = model(pipelineId).costParts;
    return new CostBreakdown(
        p[CostModel.Part.COMPUTE_ON_DEMAND.ordinal()],
        p[CostModel.Part.COMPUTE_SPOT.ordinal()],
        p[CostModel.Part.STORAGE_SSD.ordinal()],
        p[CostModel.Part.STORAGE_BLOCK.ordinal()],
        p[CostModel.Part.STORAGE_OBJECT.ordinal()],
        p[CostModel.Part.NETWORK.ordinal()]);
  }

  /** The spot withdrawals announced so far, in order. */
  public synchronized List<SpotWithdrawal> spotWithdrawals() {
    return List.copyOf(withdrawals);
  }

  /** Ids of the nodes hosting the pipeline's pods, spot ones only (running or starting). */
  public synchronized List<String> spotNodesOf(String pipelineId) {
    List<String> out = new ArrayList<>();
    for (Cluster.Pod p : model(pipelineId).pods) {
      if (p.node != null && p.node.spot && !out.contains(p.node.id)) {
        out.add(p.node.id);
      }
    }
    out.sort(null);
    return out;
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
