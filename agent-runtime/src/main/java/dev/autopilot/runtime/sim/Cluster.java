package dev.autopilot.runtime.sim;

import dev.autopilot.agents.optimization.cost.Market;
import dev.autopilot.agents.optimization.placement.Fragmentation;
import dev.autopilot.agents.optimization.placement.NodeState;
import dev.autopilot.agents.optimization.placement.Placement;
import dev.autopilot.agents.optimization.placement.Placer;
import dev.autopilot.agents.optimization.placement.PodRequest;
import dev.autopilot.agents.optimization.placement.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The Kubernetes node pool shared by all pipelines: nodes (on-demand or spot) with allocatable
 * cores, memory, local disk and network bandwidth, TaskManager pods bound to them, a scheduler that
 * places a pod with the configured {@link Placer} (Tetris alignment or first-fit decreasing) on a
 * node of the pod's market, and a cluster autoscaler that provisions a node of that market (3-5
 * min) when a pod fits nowhere and removes nodes that stay empty, or that the provider reclaimed.
 * Times are seconds of event time.
 */
final class Cluster {

  /** A node of the pool. */
  static final class Node {
    final String id;
    final boolean spot;
    final double readyAtSec;
    boolean cordoned;
    /** Set by an infrastructure failure: the node is NotReady for good. */
    boolean notReady;
    /** When the provider reclaims this spot node (infinite unless a withdrawal was announced). */
    double withdrawAtSec = Double.POSITIVE_INFINITY;
    double idleSinceSec;
    final List<Pod> pods = new ArrayList<>();

    Node(String id, boolean spot, double readyAtSec) {
      this.id = id;
      this.spot = spot;
      this.readyAtSec = readyAtSec;
      this.idleSinceSec = readyAtSec;
    }

    double allocatedCores() {
      double c = 0;
      for (Pod p : pods) {
        c += p.cpu;
      }
      return c;
    }

    double allocatedMemoryGb() {
      double m = 0;
      for (Pod p : pods) {
        m += p.memoryGb;
      }
      return m;
    }

    /** Announced for reclaim by the provider: takes no new pods. */
    boolean withdrawn() {
      return withdrawAtSec < Double.POSITIVE_INFINITY;
    }
  }

  /** A TaskManager pod and the state of its JVM. */
  static final class Pod {
    final String id;
    final String pipelineId;
    final double cpu;
    final double memoryGb;
    final double diskGb;
    final double networkGbps;
    /** Runs on a spot node (else on-demand). */
    final boolean spot;
    Node node;
    /** Its spot node is being reclaimed: a replacement is on the way and this pod goes first. */
    boolean reclaimed;
    double readyAtSec = Double.POSITIVE_INFINITY;
    double startedAtSec;
    /** The pod's node died: it no longer runs. */
    boolean lost;
    /** Crash-looping for lack of file descriptors: it does not run. */
    boolean exhausted;

    // JVM and counters
    double leakedBytes;
    long oomKills;
    long podRestarts;
    long tasksFailed;
    long taskRestarts;
    long gcFullTotal;
    long gcCycles;
    long checkpointFailures;
    long classloadingErrors;
    long commitFailures;
    double gcRatio;
    double heapRatio;
    double threadsPeak;

    Pod(
        String id,
        String pipelineId,
        double cpu,
        double memoryGb,
        double diskGb,
        double networkGbps,
        boolean spot) {
      this.id = id;
      this.pipelineId = pipelineId;
      this.cpu = cpu;
      this.memoryGb = memoryGb;
      this.diskGb = diskGb;
      this.networkGbps = networkGbps;
      this.spot = spot;
    }

    Resources demand() {
      return new Resources(cpu, memoryGb, diskGb, networkGbps);
    }

    Market market() {
      return spot ? Market.SPOT : Market.ON_DEMAND;
    }

    boolean running(double nowSec) {
      return node != null && nowSec >= readyAtSec && !lost && !exhausted;
    }

    /** Registered with the JobManager (running, or its node just went NotReady). */
    boolean reported(double nowSec) {
      return node != null && nowSec >= readyAtSec && !lost && !exhausted;
    }
  }

  private final SimSettings.ClusterSettings settings;
  private final SimSettings.TaskManagerSettings tm;
  private final Placer placer;
  private final List<Node> nodes = new ArrayList<>();
  private final List<Pod> pending = new ArrayList<>();
  private int nodeSeq;

  SimSettings.ClusterSettings settings() {
    return settings;
  }

  /**
   * The pool at the start of a run: enough spot nodes for the initial spot pods, enough on-demand
   * nodes for the initial on-demand pods plus the spare nodes, and at least {@code min-nodes} (the
   * extra ones on-demand), all ready.
   */
  Cluster(
      SimSettings settings,
      int initialSpotPods,
      int initialOnDemandPods,
      double podCpu,
      double podMemoryGb) {
    this.settings = settings.cluster();
    this.tm = settings.taskManager();
    this.placer = new Placer(this.settings.placement());
    int perNode = Math.max(1, podsPerNode(podCpu, podMemoryGb));
    int spotNodes = (int) Math.ceil(initialSpotPods / (double) perNode);
    int onDemandNodes =
        (int) Math.ceil(initialOnDemandPods / (double) perNode) + this.settings.spareNodes();
    onDemandNodes = Math.max(onDemandNodes, this.settings.minNodes() - spotNodes);
    spotNodes = Math.min(spotNodes, this.settings.maxNodes());
    onDemandNodes = Math.min(onDemandNodes, this.settings.maxNodes() - spotNodes);
    for (int i = 0; i < onDemandNodes; i++) {
      addNode(0, false);
    }
    for (int i = 0; i < spotNodes; i++) {
      addNode(0, true);
    }
  }

  /** Pods of the given shape (and the TaskManagers' disk and network) that fit on an empty node. */
  int podsPerNode(double podCpu, double podMemoryGb) {
    Resources node = settings.allocatable();
    Resources pod = new Resources(podCpu, podMemoryGb, tm.diskGb(), tm.networkGbps());
    double fit = Double.POSITIVE_INFINITY;
    for (int r = 0; r < Resources.DIMENSIONS; r++) {
      if (pod.get(r) > 0) {
        fit = Math.min(fit, Math.floor(node.get(r) / pod.get(r) + 1e-9));
      }
    }
    return (int) Math.min(fit, Integer.MAX_VALUE);
  }

  double allocatableCores() {
    return settings.nodeCores() - settings.reservedCores();
  }

  double allocatableMemoryGb() {
    return settings.nodeMemoryGb() - settings.reservedMemoryGb();
  }

  List<Node> nodes() {
    return nodes;
  }

  Node node(String id) {
    for (Node n : nodes) {
      if (n.id.equals(id)) {
        return n;
      }
    }
    return null;
  }

  private Node addNode(double readyAtSec, boolean spot) {
    nodeSeq++;
    Node n = new Node(String.format("node-%02d", nodeSeq), spot, readyAtSec);
    nodes.add(n);
    return n;
  }

  /** Whether a node may take new pods of this market. */
  private static boolean schedulable(Node n, boolean spot, Set<String> avoid) {
    return n.spot == spot && !n.cordoned && !n.notReady && !n.withdrawn() && !avoid.contains(n.id);
  }

  private NodeState state(Node n) {
    List<Resources> pods = new ArrayList<>(n.pods.size());
    for (Pod p : n.pods) {
      pods.add(p.demand());
    }
    return new NodeState(n.id, settings.allocatable(), pods);
  }

  /**
   * Schedules a new pod: binds it to the node of its market the placer picks among the ready (or
   * provisioning) nodes with room, avoiding the given nodes; provisions a node of that market when
   * none has room; leaves it pending at the cluster limit. Its ready time is the node's ready time
   * plus the pod start time.
   */
  void schedule(Pod pod, double nowSec, Set<String> avoid, SplittableRandom rnd) {
    List<Node> candidates = new ArrayList<>();
    List<NodeState> states = new ArrayList<>();
    for (Node n : nodes) {
      if (schedulable(n, pod.spot, avoid)) {
        candidates.add(n);
        states.add(state(n));
      }
    }
    OptionalInt chosen = placer.choose(pod.demand(), states);
    Node best = chosen.isPresent() ? candidates.get(chosen.getAsInt()) : null;
    if (best == null
        && activeNodeCount() < settings.maxNodes()
        && pod.demand().fitsIn(settings.allocatable())) {
      best = addNode(nowSec + settings.nodeProvisionSeconds().draw(rnd), pod.spot);
    }
    if (best == null) {
      if (!pending.contains(pod)) {
        pending.add(pod);
      }
      return;
    }
    bind(pod, best, nowSec, rnd);
  }

  /**
   * Schedules several new pods at once (a rescale, a migration): the placer places the batch on the
   * nodes of each market (largest pods first); the pods that fit nowhere are scheduled one by one,
   * which provisions nodes for them.
   */
  void scheduleAll(List<Pod> pods, double nowSec, Set<String> avoid, SplittableRandom rnd) {
    List<Pod> rest = new ArrayList<>();
    for (boolean spot : new boolean[] {false, true}) {
      List<Pod> market = pods.stream().filter(p -> p.spot == spot).toList();
      if (market.isEmpty()) {
        continue;
      }
      List<Node> candidates = new ArrayList<>();
      List<NodeState> states = new ArrayList<>();
      for (Node n : nodes) {
        if (schedulable(n, spot, avoid)) {
          candidates.add(n);
          states.add(state(n));
        }
      }
      List<PodRequest> requests =
          market.stream().map(p -> new PodRequest(p.id, p.demand())).toList();
      Placement placement = placer.placeAll(requests, states);
      for (Pod p : market) {
        String nodeId = placement.assignments().get(p.id);
        if (nodeId == null) {
          rest.add(p);
          continue;
        }
        for (Node n : candidates) {
          if (n.id.equals(nodeId)) {
            bind(p, n, nowSec, rnd);
            break;
          }
        }
      }
    }
    for (Pod p : rest) {
      schedule(p, nowSec, avoid, rnd);
    }
  }

  private void bind(Pod pod, Node node, double nowSec, SplittableRandom rnd) {
    pending.remove(pod);
    pod.node = node;
    node.pods.add(pod);
    double start = Math.max(nowSec, node.readyAtSec);
    pod.startedAtSec = start;
    pod.readyAtSec = start + tm.podStartSeconds().draw(rnd);
  }

  /**
   * Announces the reclaim of a spot node: it takes no new pod, and goes at {@code withdrawAtSec}
   * (the cluster removes it once its pods are gone).
   */
  void withdraw(Node node, double withdrawAtSec) {
    node.withdrawAtSec = withdrawAtSec;
  }

  /** The nodes that are up (not cordoned, NotReady or reclaimed), as the placer sees them. */
  List<NodeState> activeStates() {
    List<NodeState> out = new ArrayList<>();
    for (Node n : nodes) {
      if (!n.cordoned && !n.notReady && !n.withdrawn()) {
        out.add(state(n));
      }
    }
    return out;
  }

  /** {@link Fragmentation#of} the nodes that are up. */
  double fragmentation() {
    return Fragmentation.of(activeStates());
  }

  /** {@link Fragmentation#utilisation} (dominant resource) of the nodes that are up. */
  double utilisation() {
    return Fragmentation.utilisation(activeStates());
  }

  /** Removes a pod from its node (or from the pending queue). */
  void release(Pod pod, double nowSec) {
    pending.remove(pod);
    if (pod.node != null) {
      pod.node.pods.remove(pod);
      if (pod.node.pods.isEmpty()) {
        pod.node.idleSinceSec = nowSec;
      }
      pod.node = null;
    }
  }

  /** Retries pending pods, and removes nodes that stayed empty long enough. */
  void reconcile(double nowSec, SplittableRandom rnd) {
    for (Pod p : new ArrayList<>(pending)) {
      schedule(p, nowSec, Set.of(), rnd);
    }
    List<Node> removable = new ArrayList<>();
    int keep = activeNodeCount();
    for (Node n : nodes) {
      if (n.withdrawn() && nowSec >= n.withdrawAtSec) {
        // reclaimed by the provider: gone, whatever still ran on it
        for (Pod p : n.pods) {
          p.lost = true;
        }
        removable.add(n);
        continue;
      }
      boolean idle = n.pods.isEmpty() && nowSec - n.idleSinceSec >= settings.idleNodeRemovalSeconds();
      boolean broken = n.cordoned || n.notReady || n.withdrawn();
      if (idle && (broken || keep > settings.minNodes())) {
        removable.add(n);
        if (!broken) {
          keep--;
        }
      }
    }
    nodes.removeAll(removable);
  }

  int activeNodeCount() {
    int c = 0;
    for (Node n : nodes) {
      if (!n.cordoned && !n.notReady && !n.withdrawn()) {
        c++;
      }
    }
    return c;
  }
}
