package dev.autopilot.runtime.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The Kubernetes node pool shared by all pipelines: nodes (on-demand or spot) with allocatable
 * cores and memory, TaskManager pods bound to them, a scheduler that places a pod on the least
 * allocated node with room, and a cluster autoscaler that provisions a node (3-5 min) when a pod
 * fits nowhere and removes nodes that stay empty. Times are seconds of event time.
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
  }

  /** A TaskManager pod and the state of its JVM. */
  static final class Pod {
    final String id;
    final String pipelineId;
    final double cpu;
    final double memoryGb;
    Node node;
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

    Pod(String id, String pipelineId, double cpu, double memoryGb) {
      this.id = id;
      this.pipelineId = pipelineId;
      this.cpu = cpu;
      this.memoryGb = memoryGb;
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
  private final List<Node> nodes = new ArrayList<>();
  private final List<Pod> pending = new ArrayList<>();
  private int nodeSeq;
  private int spotCount;

  SimSettings.ClusterSettings settings() {
    return settings;
  }

  Cluster(SimSettings settings, int initialPods, double podCpu, double podMemoryGb) {
    this.settings = settings.cluster();
    this.tm = settings.taskManager();
    int perNode = podsPerNode(podCpu, podMemoryGb);
    int needed = (int) Math.ceil(initialPods / (double) Math.max(1, perNode)) + this.settings.spareNodes();
    int count = Math.min(this.settings.maxNodes(), Math.max(this.settings.minNodes(), needed));
    for (int i = 0; i < count; i++) {
      addNode(0);
    }
  }

  /** Pods of the given shape that fit on an empty node. */
  int podsPerNode(double podCpu, double podMemoryGb) {
    return (int)
        Math.min(
            Math.floor(allocatableCores() / podCpu + 1e-9),
            Math.floor(allocatableMemoryGb() / podMemoryGb + 1e-9));
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

  private Node addNode(double readyAtSec) {
    nodeSeq++;
    int index = nodes.size();
    boolean spot =
        index >= settings.onDemandBaseNodes()
            && spotCount < Math.floor(settings.spotShare() * (index + 1 - settings.onDemandBaseNodes()) + 1e-9);
    if (spot) {
      spotCount++;
    }
    Node n = new Node(String.format("node-%02d", nodeSeq), spot, readyAtSec);
    nodes.add(n);
    return n;
  }

  /**
   * Schedules a new pod: binds it to the least allocated ready (or provisioning) node with room,
   * avoiding the given nodes; provisions a node when none has room; leaves it pending at the cluster
   * limit. Its ready time is the node's ready time plus the pod start time.
   */
  void schedule(Pod pod, double nowSec, Set<String> avoid, SplittableRandom rnd) {
    Node best = null;
    double bestFree = -1;
    for (Node n : nodes) {
      if (n.cordoned || n.notReady || avoid.contains(n.id)) {
        continue;
      }
      double freeCores = allocatableCores() - n.allocatedCores();
      double freeMem = allocatableMemoryGb() - n.allocatedMemoryGb();
      if (freeCores + 1e-9 >= pod.cpu && freeMem + 1e-9 >= pod.memoryGb && freeCores > bestFree) {
        best = n;
        bestFree = freeCores;
      }
    }
    if (best == null && activeNodeCount() < settings.maxNodes()) {
      best = addNode(nowSec + settings.nodeProvisionSeconds().draw(rnd));
    }
    if (best == null) {
      if (!pending.contains(pod)) {
        pending.add(pod);
      }
      return;
    }
    pending.remove(pod);
    pod.node = best;
    best.pods.add(pod);
    double start = Math.max(nowSec, best.readyAtSec);
    pod.startedAtSec = start;
    pod.readyAtSec = start + tm.podStartSeconds().draw(rnd);
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
      boolean idle = n.pods.isEmpty() && nowSec - n.idleSinceSec >= settings.idleNodeRemovalSeconds();
      boolean broken = n.cordoned || n.notReady;
      if (idle && (broken || keep > settings.minNodes())) {
        removable.add(n);
        if (!broken) {
          keep--;
        }
      }
    }
    for (Node n : removable) {
      nodes.remove(n);
      if (n.spot) {
        spotCount--;
      }
    }
  }

  int activeNodeCount() {
    int c = 0;
    for (Node n : nodes) {
      if (!n.cordoned && !n.notReady) {
        c++;
      }
    }
    return c;
  }
}
