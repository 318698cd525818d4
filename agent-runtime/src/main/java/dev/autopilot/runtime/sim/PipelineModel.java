package dev.autopilot.runtime.sim;

import dev.autopilot.agents.optimization.cost.Market;
import dev.autopilot.agents.optimization.cost.SpotPolicy;
import dev.autopilot.api.Action;
import dev.autopilot.api.ActuationResult;
import dev.autopilot.api.FailureMode;
import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.PlatformException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * The fluid model of one pipeline: an 8-operator job on TaskManager pods, advanced one tick at a
 * time. Each tick it computes each operator's capacity (thread limit and the CPU of the
 * TaskManagers its subtasks share, under slot sharing), pushes the offered load through a tandem
 * of finite input buffers (a full buffer throttles its upstream, down to the source, where consumer
 * lag grows), and derives busy/backpressured/idle time, p99 latency, keyed state, checkpoints,
 * heap and GC, and cost. Faults bend these quantities; actions schedule restarts, pod starts and
 * the repairs they bring.
 */
final class PipelineModel {

  private static final double MB = 1024.0 * 1024.0;

  /** Something due at a given event time (end of a restart, a config switch). */
  private record Pending(double dueSec, long seq, Runnable effect) {}

  final String id;
  private final SimSettings s;
  private final Cluster cluster;
  private final SpotPolicy spotPolicy;
  /** May run TaskManagers on spot ({@link SpotPolicy#latencyTolerant}). */
  final boolean latencyTolerant;
  private final Workload workload;
  private final SplittableRandom rnd;
  private final int pipelineCount;
  private final int n;
  private final double dt;
  /** Per-record cost of each operator in this tick, µs: the configured cost x the workload's. */
  private final double[] cost;
  private final double[] baseCost;
  /** Operators keyed by the records' key (the data-skew candidates), in operator order. */
  private final boolean[] keyed;
  private final double[] sel;
  private final double[] inShare;
  private final List<String> opIds;

  PipelineConfig spec;
  PipelineConfig running;
  final List<Cluster.Pod> pods = new ArrayList<>();
  private int podSeq;
  private final Set<String> avoidNodes = new HashSet<>();

  long tick = -1;
  private double lag;
  private final double[] queue;
  private final double[] state;
  private final List<double[]> downWindows = new ArrayList<>();
  private final List<Pending> pendings = new ArrayList<>();
  private long pendingSeq;
  long restartsTotal;

  long cpCompleted;
  long cpFailed;
  long cpLastId;
  double cpLastDurationMs;
  double cpLastSizeBytes;
  long lastRestoredId = -1;
  int cpInProgress;
  double cpAlignmentMs;
  double cpStartDelayMs;
  double cpSyncMs;
  double cpAsyncMs;
  double cpPersistedBytes;
  private double nextCheckpointSec;
  /** Completed checkpoints, newest last: {id, consumedTotal}. */
  private final List<double[]> checkpoints = new ArrayList<>();

  private double consumedTotal;
  double eventsProcessed;
  double costSoFar;
  /** The parts of {@link #costSoFar}, dollars: {@link CostModel.Part} order. */
  final double[] costParts = new double[CostModel.Part.values().length];
  /** Spot withdrawals that moved TaskManagers of this pipeline to on-demand nodes. */
  int spotMigrations;
  final List<ActiveFault> faults = new ArrayList<>();
  private int childSeq;
  final Set<String> actionIds = new HashSet<>();
  int applications;

  TickResult out;

  /** Effects of the active faults, rebuilt each tick. */
  private final FaultEffects fx;

  PipelineModel(
      String id,
      SimSettings settings,
      Cluster cluster,
      Workload workload,
      long seed,
      int pipelineCount,
      boolean latencyTolerant) {
    this.id = id;
    this.s = settings;
    this.cluster = cluster;
    this.spotPolicy = new SpotPolicy(settings.costSettings());
    this.latencyTolerant = latencyTolerant;
    this.workload = workload;
    this.rnd = new SplittableRandom(seed);
    this.pipelineCount = pipelineCount;
    this.n = settings.operators().size();
    this.dt = settings.tickSeconds();
    this.opIds = settings.operatorIds();
    cost = new double[n];
    baseCost = new double[n];
    keyed = new boolean[n];
    List<String> keyedOps = FaultCatalogue.entry(FailureMode.DATA_SKEW).candidateTargets();
    sel = new double[n];
    inShare = new double[n];
    double share = 1;
    for (int i = 0; i < n; i++) {
      SimSettings.OperatorSpec op = settings.operators().get(i);
      cost[i] = op.costMicros();
      baseCost[i] = op.costMicros();
      keyed[i] = keyedOps.contains(op.id());
      sel[i] = op.selectivity();
      inShare[i] = share;
      share *= op.selectivity();
    }
    queue = new double[n];
    state = new double[n];
    fx = new FaultEffects(settings, faults, opIds);
    spec = settings.initialConfig();
    running = spec;
    for (int i = 0; i < spec.taskManagers(); i++) {
      Cluster.Pod p = newPod(spec);
      cluster.schedule(p, 0, avoidNodes, rnd);
      p.readyAtSec = 0; // the job is already deployed when the run starts
      p.startedAtSec = -3600;
    }
    nextCheckpointSec = spec.checkpointIntervalSeconds();
    // the job has been running before the run starts: keyed state is at its steady state
    double offered0 = workload.offeredRate(0);
    for (int i = 0; i < n; i++) {
      SimSettings.OperatorSpec op = settings.operators().get(i);
      state[i] = offered0 * inShare[i] * op.stateBytesPerRecord() * op.stateRetentionSeconds();
    }
    checkpoints.add(new double[] {0, 0});
    out = new TickResult(n);
  }

  /** A new TaskManager pod, on spot while the pipeline has fewer spot pods than its share. */
  private Cluster.Pod newPod(PipelineConfig c) {
    int spotNow = 0;
    for (Cluster.Pod p : pods) {
      if (p.spot && !p.lost && !p.reclaimed) {
        spotNow++;
      }
    }
    return newPod(c, spotPolicy.marketForNewPod(latencyTolerant, spotNow, c.taskManagers()));
  }

  private Cluster.Pod newPod(PipelineConfig c, Market market) {
    podSeq++;
    Cluster.Pod p =
        new Cluster.Pod(
            id + "-tm-" + podSeq,
            id,
            c.taskManagerCpu(),
            c.taskManagerMemoryGb(),
            s.taskManager().diskGb(),
            s.taskManager().networkGbps(),
            market == Market.SPOT);
    pods.add(p);
    return p;
  }

  List<String> operatorIds() {
    return opIds;
  }

  double nowSec() {
    return tick * dt;
  }

  // ------------------------------------------------------------------------------------ step

  /** Per-tick scratch: placement, capacities and flows of one tick. */
  private static final class Flow {
    double active;
    List<Cluster.Pod> run;
    int slots;
    int tms;
    int[] p;
    /** Subtasks of operator i on running TaskManager k. */
    double[][] onTm;
    double[] tmCpu;
    double[] tmSpeed;
    double[] threads;
    double xCpu;
    double[] capThread;
    double[] cap;
    boolean[] cpuBound;
    double capacity;
    double[] limit;
    double[] y;
    boolean[] blocked;
    double[] util;
    double rho;
  }

  /** Advances the model to the given tick (the interval ending at {@code tick * dt}). */
  void step(long t) {
    tick = t;
    double now = t * dt;
    runPendings(now);
    faultLifecycle(t, now);
    TickResult r = new TickResult(n);
    double offered = workload.offeredRate(t);
    r.offered = offered;
    double costFactor = workload.costFactor(t);
    double hotKey = workload.hotKeyShare(t);
    for (int i = 0; i < n; i++) {
      cost[i] = baseCost[i] * costFactor;
      fx.keyShare[i] = keyed[i] ? hotKey : 0;
    }
    lag += offered * dt;
    restartsTotal += fx.compute(t);
    if (fx.restoredCheckpointId >= 0) {
      lastRestoredId = fx.restoredCheckpointId;
    }

    Flow f = layout(now, t, activeFraction(now) * fx.loopActive);
    r.capacity = f.capacity;
    r.activeFraction = f.active;
    pushThroughBuffers(f);
    lag = Math.max(0, lag - f.y[0] * dt);
    consumedTotal += f.y[0] * dt;
    r.throughput = f.y[0];
    r.processed = f.y[n - 1];
    eventsProcessed += f.y[n - 1] * dt;
    busyAndBackpressure(f, r, offered, t);
    double stateTotal = updateState(r);

    double queueMs = 0;
    for (int i = 1; i < n; i++) {
      queueMs += Math.min(60_000, queue[i] / Math.max(Math.max(f.y[i], 0.01 * offered), 1) * 1000);
    }
    checkpoint(now, r, stateTotal, f.tms, queueMs, f.active);
    double gcP99 = taskManagerViews(f, r, stateTotal, now, t);
    double heapUsed = 0;
    double heapMax = 0;
    double bytesOut = 0;
    for (TickResult.TmView v : r.taskManagers) {
      heapUsed += v.heapUsed;
      heapMax += v.heapMax;
      bytesOut += v.bytesOut;
    }
    r.memoryUtilisation = heapMax <= 0 ? 0 : Math.min(1, heapUsed / heapMax);

    // p99: floor + congestion near saturation + time in buffers + backlog age + GC pauses +
    // checkpoint alignment (when it takes more than 1 % of the interval) + fault terms
    double congestion = s.latency().congestionMs() * f.rho / (1 - f.rho);
    double backlogMs = lag / Math.max(offered, 1) * 1000;
    double alignShare = cpAlignmentMs / 1000.0 / Math.max(1, running.checkpointIntervalSeconds());
    double alignMs = cpAlignmentMs * Math.min(1, alignShare / 0.01);
    r.latencyP99Ms =
        s.latency().baseMs() + congestion + queueMs + backlogMs + gcP99 + alignMs + fx.latencyMs(t);
    r.runningTaskManagers = f.run.size();
    r.jobState = jobState(now, f.active);
    if (r.jobState == JobMetrics.JobState.RUNNING && r.taskManagers.isEmpty()) {
      // no TaskManager is registered (every pod pending or gone): like Flink, the job waits for
      // resources instead of running on none
      r.jobState = JobMetrics.JobState.RESTARTING;
    }

    CostModel.nodeCost(cluster, id, dt, pipelineCount, costParts);
    CostModel.storageCost(s, stateTotal, t * dt, dt, costParts);
    CostModel.networkCost(s, bytesOut, dt, costParts);
    double total = 0;
    for (double part : costParts) {
      total += part;
    }
    costSoFar = total;
    out = r;
  }

  /**
   * Places the subtasks on the running TaskManagers and computes each operator's capacity: the
   * smaller of its thread bound and the CPU bound of the TaskManagers it shares, times its speed.
   */
  private Flow layout(double now, long t, double active) {
    Flow f = new Flow();
    f.run = new ArrayList<>();
    for (Cluster.Pod pod : pods) {
      if (pod.running(now)) {
        f.run.add(pod);
      }
    }
    f.slots = f.run.size() * running.slotsPerTaskManager();
    f.active = f.slots == 0 ? 0 : active;
    f.p = new int[n];
    int maxP = 1;
    for (int i = 0; i < n; i++) {
      f.p[i] = Math.max(1, Math.min(running.parallelismOf(opIds.get(i)), Math.max(1, f.slots)));
      maxP = Math.max(maxP, f.p[i]);
    }
    int tms = Math.max(1, f.run.size());
    f.tms = tms;
    // subtask m of op i -> slot floor(m * S / p_i); the S used slots are spread evenly over the
    // TaskManagers in contiguous blocks (slot j -> TaskManager floor(j * tms / S)); the hot
    // subtask of a skewed operator is subtask 0, on TaskManager 0
    f.onTm = new double[n][tms];
    for (int i = 0; i < n; i++) {
      for (int m = 0; m < f.p[i]; m++) {
        int slot = (int) ((long) m * maxP / f.p[i]);
        f.onTm[i][(int) ((long) slot * tms / maxP)] += 1;
      }
    }
    f.tmCpu = new double[tms];
    f.tmSpeed = new double[tms];
    f.threads = new double[tms];
    double[] demandPerX = new double[tms];
    for (int k = 0; k < tms; k++) {
      Cluster.Pod pod = f.run.isEmpty() ? null : f.run.get(k);
      double cores = pod == null ? running.taskManagerCpu() : pod.cpu;
      f.tmCpu[k] = cores * fx.nodeCpuShare(pod, t) * (1 - (pod == null ? 0 : pod.gcRatio));
      f.tmSpeed[k] = fx.nodeSpeed(pod, t);
      for (int i = 0; i < n; i++) {
        f.threads[k] += f.onTm[i][k];
        demandPerX[k] += f.onTm[i][k] * inShare[i] * cost[i] / 1e6 / f.p[i];
        double h = fx.effectiveHot(i, f.p[i], t);
        if (h > 0 && k == 0) {
          demandPerX[k] += (h - 1.0 / f.p[i]) * inShare[i] * cost[i] / 1e6;
        }
      }
    }
    f.xCpu = Double.POSITIVE_INFINITY;
    for (int k = 0; k < tms; k++) {
      if (demandPerX[k] > 0) {
        f.xCpu = Math.min(f.xCpu, f.tmCpu[k] / demandPerX[k]);
      }
    }
    f.capThread = new double[n];
    f.cap = new double[n];
    f.cpuBound = new boolean[n];
    double capacity = Double.POSITIVE_INFINITY;
    double heaviest = 0;
    for (int i = 0; i < n; i++) {
      heaviest = Math.max(heaviest, inShare[i] * cost[i]);
    }
    for (int i = 0; i < n; i++) {
      double minSpeed = 1;
      for (int k = 0; k < tms; k++) {
        if (f.onTm[i][k] > 0) {
          minSpeed = Math.min(minSpeed, f.tmSpeed[k]);
        }
      }
      double h = fx.effectiveHot(i, f.p[i], t);
      double skew = h > 0 ? Math.max(1, h * f.p[i]) : 1;
      double speed = fx.opSpeed[i] * fx.jobSpeed * minSpeed * (fx.stuck[i] ? 0 : 1);
      f.capThread[i] =
          inShare[i] <= 0 ? Double.POSITIVE_INFINITY : f.p[i] * 1e6 / (inShare[i] * cost[i] * skew);
      // Under CPU contention the heaviest operator saturates first; lighter ones keep a little
      // headroom, so queues build in front of the heaviest and backpressure spreads upstream.
      double headroom = 1 + 0.05 * (1 - inShare[i] * cost[i] / heaviest);
      f.cpuBound[i] = f.capThread[i] >= f.xCpu * headroom;
      double c = Math.min(f.capThread[i], f.xCpu * headroom) * speed;
      f.cap[i] = c * f.active;
      capacity = Math.min(capacity, c);
    }
    f.capacity = f.slots == 0 ? 0 : Math.min(capacity, f.xCpu * fx.jobSpeed);
    return f;
  }

  /**
   * The tandem of finite input buffers: a forward pass pushes the readable backlog through the
   * capacities, a backward pass throttles every operator whose downstream buffer would overflow
   * (down to the source), and the buffers keep what went in but not out.
   */
  private void pushThroughBuffers(Flow f) {
    double bufferBytes = running.networkBufferMb() * MB * f.tms / Math.max(1, n - 1);
    f.limit = new double[n];
    for (int i = 1; i < n; i++) {
      double recBytes = s.operators().get(i - 1).recordBytes();
      f.limit[i] = inShare[i] <= 0 ? 0 : bufferBytes / recBytes / inShare[i];
    }
    double[] a = new double[n];
    double[] y = new double[n];
    f.y = y;
    f.blocked = new boolean[n];
    a[0] = lag / dt;
    y[0] = Math.min(a[0], f.cap[0]);
    for (int i = 1; i < n; i++) {
      a[i] = y[i - 1] * (1 - fx.opDrop[i - 1]);
      y[i] = Math.min(a[i] + queue[i] / dt, f.cap[i]);
    }
    for (int i = n - 1; i >= 1; i--) {
      double maxIn = y[i] + Math.max(0, f.limit[i] - queue[i]) / dt;
      if (a[i] > maxIn + 1e-9) {
        a[i] = maxIn;
        double keep = 1 - fx.opDrop[i - 1];
        y[i - 1] = keep <= 1e-9 ? y[i - 1] : Math.min(y[i - 1], maxIn / keep);
        f.blocked[i - 1] = true;
      }
    }
    // forward again with the throttled rates (throttling only lowers inflows)
    for (int i = 1; i < n; i++) {
      a[i] = Math.min(a[i], y[i - 1] * (1 - fx.opDrop[i - 1]));
      y[i] = Math.min(y[i], a[i] + queue[i] / dt);
      queue[i] = Math.max(0, Math.min(f.limit[i], queue[i] + (a[i] - y[i]) * dt));
    }
  }

  /** TaskManager utilisation, the bottleneck utilisation, and per-operator rates and times. */
  private void busyAndBackpressure(Flow f, TickResult r, double offered, long t) {
    double[] y = f.y;
    f.util = new double[f.tms];
    double cpuUsed = 0;
    double cpuTotal = 0;
    for (int k = 0; k < f.tms; k++) {
      double used = 0;
      for (int i = 0; i < n; i++) {
        used += f.onTm[i][k] * y[i] * inShare[i] * cost[i] / 1e6 / f.p[i];
        double h = fx.effectiveHot(i, f.p[i], t);
        if (h > 0 && k == 0) {
          used += (h - 1.0 / f.p[i]) * y[i] * inShare[i] * cost[i] / 1e6;
        }
      }
      f.util[k] = f.tmCpu[k] <= 0 ? 1 : Math.min(1, used / f.tmCpu[k]);
      cpuUsed += used;
      cpuTotal += f.run.isEmpty() ? 0 : f.run.get(k).cpu;
    }
    r.cpuUtilisation = cpuTotal <= 0 ? 0 : Math.min(1, cpuUsed / cpuTotal);
    double rho = 0;
    for (int k = 0; k < f.tms; k++) {
      rho = Math.max(rho, f.util[k]);
    }
    for (int i = 0; i < n; i++) {
      if (f.cap[i] > 0 && !f.cpuBound[i]) {
        rho = Math.max(rho, y[i] / f.cap[i]);
      }
    }
    f.rho = Math.min(rho, s.latency().maxUtilisation());
    r.utilisation = f.rho;
    for (int i = 0; i < n; i++) {
      r.parallelism[i] = f.p[i];
      r.recordsIn[i] = y[i] * inShare[i];
      r.recordsOut[i] = y[i] * inShare[i] * sel[i] * (1 - fx.opDrop[i]);
      r.pending[i] =
          i == 0 ? lag + offered * s.latency().sourceFetchSeconds() : queue[i] * inShare[i];
      if (f.active <= 0) {
        r.busy[i] = 0;
        r.backPressured[i] = 0;
        r.idle[i] = 1;
        continue;
      }
      // The busiest thread of a TaskManager is busy w / share(U); the others in proportion to
      // their work, so under CPU saturation the heaviest operator is the busy one and the lighter
      // upstream ones are backpressured.
      int k = worstTm(f.onTm[i], f.util);
      double share = threadShare(f.util[k], f.threads[k], f.tmCpu[k]);
      double wMax = 1e-12;
      for (int j = 0; j < n; j++) {
        if (f.onTm[j][k] > 0) {
          wMax = Math.max(wMax, threadWork(j, f.p[j], y[j], f.tmSpeed[k], t));
        }
      }
      double w = threadWork(i, f.p[i], y[i], f.tmSpeed[k], t);
      double bMax = Math.min(1, wMax / Math.max(1e-9, share * f.active));
      double b = fx.stuck[i] ? 0 : bMax * w / wMax;
      if (!fx.stuck[i] && f.cap[i] > 0 && (!f.cpuBound[i] || fx.opSpeed[i] < 0.999)) {
        // limited by its own threads (or slowed by a fault): busy is the use of its own capacity
        b = Math.max(b, Math.min(1, y[i] / f.cap[i]));
      }
      double bp;
      if (fx.stuck[i]) {
        bp = 1;
      } else if (f.blocked[i]) {
        bp = 1 - b;
      } else {
        double fill = i + 1 < n && f.limit[i + 1] > 0 ? queue[i + 1] / f.limit[i + 1] : 0;
        bp = (1 - b) * clamp((fill - 0.8) / 0.2, 0, 1);
      }
      r.busy[i] = b;
      r.backPressured[i] = bp;
      r.idle[i] = Math.max(0, 1 - b - bp);
    }
  }

  /** Keyed state: grows with the records written, decays with its retention. Returns the total. */
  private double updateState(TickResult r) {
    double total = 0;
    for (int i = 0; i < n; i++) {
      SimSettings.OperatorSpec op = s.operators().get(i);
      if (op.stateRetentionSeconds() > 0) {
        state[i] += (r.recordsIn[i] * op.stateBytesPerRecord() - state[i] / op.stateRetentionSeconds()) * dt;
        state[i] = Math.max(0, state[i]);
      }
      r.stateBytes[i] = state[i];
      total += state[i];
    }
    return total;
  }

  /** Builds the view of every reported TaskManager and updates its JVM; returns the GC pause p99. */
  private double taskManagerViews(Flow f, TickResult r, double stateTotal, double now, long t) {
    double gcP99 = 0;
    for (Cluster.Pod pod : pods) {
      if (!pod.reported(now)) {
        continue;
      }
      TickResult.TmView v = new TickResult.TmView();
      v.pod = pod;
      v.cores = pod.cpu;
      int idx = pod.running(now) ? f.run.indexOf(pod) : -1;
      if (idx >= 0) {
        fillTmView(v, idx, f.onTm, f.p, f.util, f.tmCpu, f.threads, f.limit, r, f.tms, t);
      } else {
        v.threads = s.taskManager().baseThreads();
      }
      jvm(v, pod, t, now);
      gcP99 = Math.max(gcP99, v.gcPauseP99);
      r.taskManagers.add(v);
    }
    return gcP99;
  }

  /** Core-seconds per second one (the hottest) subtask of an operator works, slowed by its node. */
  private double threadWork(int i, int p, double y, double tmSpeed, long t) {
    double h = fx.effectiveHot(i, p, t);
    double share = h > 0 ? h : 1.0 / p;
    return y * inShare[i] * share * cost[i] / 1e6 / Math.max(1e-3, fx.opSpeed[i] * fx.jobSpeed * tmSpeed);
  }

  private int worstTm(double[] onTm, double[] util) {
    int best = 0;
    double u = -1;
    for (int k = 0; k < onTm.length; k++) {
      if (onTm[k] > 0 && util[k] > u) {
        u = util[k];
        best = k;
      }
    }
    return best;
  }

  /** CPU share a busy thread gets on a TaskManager at utilisation u with more threads than cores. */
  private static double threadShare(double u, double threads, double cores) {
    if (cores <= 0) {
      return 1e-3;
    }
    if (threads <= cores) {
      return 1;
    }
    return 1 / (1 + u * u * (threads / cores - 1));
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  private double activeFraction(double now) {
    double from = now - dt;
    double down = 0;
    for (double[] w : downWindows) {
      double lo = Math.max(from, w[0]);
      double hi = Math.min(now, w[1]);
      if (hi > lo) {
        down += hi - lo;
      }
    }
    downWindows.removeIf(w -> w[1] < from - dt);
    return clamp(1 - down / dt, 0, 1);
  }

  private boolean down(double now) {
    for (double[] w : downWindows) {
      if (now >= w[0] && now < w[1]) {
        return true;
      }
    }
    return false;
  }

  private JobMetrics.JobState jobState(double now, double active) {
    if (fx.loopState != null) {
      return fx.loopState;
    }
    if (down(now) || (active <= 0 && !downWindows.isEmpty())) {
      return JobMetrics.JobState.RESTARTING;
    }
    return JobMetrics.JobState.RUNNING;
  }

  // ------------------------------------------------------------------------------ checkpoints

  private void checkpoint(double now, TickResult r, double stateTotal, int tms, double queueMs, double active) {
    cpInProgress = 0;
    int interval = running.checkpointIntervalSeconds();
    if (active <= 0 || fx.checkpointsBlocked) {
      nextCheckpointSec = Math.max(nextCheckpointSec, now + interval);
      return;
    }
    while (nextCheckpointSec <= now) {
      double sync = stateTotal / (s.taskManager().snapshotMbPerSecond() * MB * tms) * 1000;
      double written = 0;
      for (int i = 0; i < n; i++) {
        written += r.recordsIn[i] * s.operators().get(i).stateBytesPerRecord() * interval;
      }
      double inFlight = 0;
      for (int i = 1; i < n; i++) {
        inFlight += queue[i] * inShare[i] * s.operators().get(i - 1).recordBytes();
      }
      double upload = s.taskManager().uploadMbPerSecond() * MB * tms * fx.uploadFactor();
      double async = (written + inFlight) / upload * 1000;
      double startDelay = queueMs * 0.8;
      double alignment = queueMs * 0.5;
      double timeoutMs = s.checkpoint().timeoutSeconds() * 1000;
      double forced = fx.forcedCheckpointSeverity(tick);
      boolean fail = false;
      if (forced > 0) {
        startDelay = Math.max(startDelay, timeoutMs * 0.35 * forced);
        alignment = Math.max(alignment, timeoutMs * 0.5 * forced);
        fail = rnd.nextDouble() < fx.sig().checkpointFailureProbability() * forced;
      }
      if (fx.diskFailureSeverity(tick) > 0 && rnd.nextDouble() < fx.sig().checkpointFailureProbability() * fx.diskFailureSeverity(tick)) {
        fail = true;
      }
      double duration = s.checkpoint().baseMs() + startDelay + alignment + sync + async;
      if (forced > 0) {
        duration = Math.max(duration, timeoutMs * (0.85 + 0.15 * rnd.nextDouble()) * forced);
      }
      if (duration >= timeoutMs) {
        duration = timeoutMs;
        fail = true;
      }
      cpAlignmentMs = alignment;
      cpStartDelayMs = startDelay;
      cpSyncMs = sync;
      cpAsyncMs = async;
      cpLastDurationMs = duration;
      if (fail) {
        cpFailed++;
        for (Cluster.Pod pod : pods) {
          if (pod.running(now)) {
            pod.checkpointFailures++;
          }
        }
      } else {
        cpCompleted++;
        cpLastId++;
        cpLastSizeBytes = stateTotal;
        cpPersistedBytes = written + inFlight;
        checkpoints.add(new double[] {cpLastId, consumedTotal});
        if (checkpoints.size() > 10) {
          checkpoints.remove(0);
        }
      }
      if (nextCheckpointSec + duration / 1000 > now) {
        cpInProgress = 1;
      }
      nextCheckpointSec += Math.max(interval, duration / 1000);
    }
  }

  // ------------------------------------------------------------------------------ TaskManagers

  private void fillTmView(
      TickResult.TmView v, int k, double[][] onTm, int[] p, double[] util, double[] tmCpu,
      double[] threads, double[] limit, TickResult r, int tms, long t) {
    Cluster.Pod pod = v.pod;
    v.subtasks = threads[k];
    v.threads = s.taskManager().baseThreads() + threads[k] * s.taskManager().threadsPerSubtask();
    int maxP = 0;
    for (int i = 0; i < n; i++) {
      maxP = Math.max(maxP, p[i]);
    }
    int slotsPerTm = running.slotsPerTaskManager();
    int usedSlots = 0;
    for (int slot = 0; slot < maxP; slot++) {
      if ((int) ((long) slot * tms / maxP) == k) {
        usedSlots++;
      }
    }
    v.slotsUsed = Math.min(slotsPerTm, usedSlots);
    double busyW = 0;
    double bpW = 0;
    double inPool = 0;
    double outPool = 0;
    for (int i = 0; i < n; i++) {
      double shareOfOp = onTm[i][k] / p[i];
      if (shareOfOp <= 0) {
        continue;
      }
      v.recordsIn += r.recordsIn[i] * shareOfOp;
      v.recordsOut += r.recordsOut[i] * shareOfOp;
      v.bytesIn += r.recordsIn[i] * shareOfOp * (i == 0 ? s.operators().get(0).recordBytes() : s.operators().get(i - 1).recordBytes());
      v.bytesOut += r.recordsOut[i] * shareOfOp * s.operators().get(i).recordBytes();
      v.allocRate += r.recordsIn[i] * shareOfOp * s.operators().get(i).allocBytesPerRecord();
      busyW += r.busy[i] * onTm[i][k];
      bpW += r.backPressured[i] * onTm[i][k];
      if (i > 0 && limit[i] > 0) {
        inPool = Math.max(inPool, queue[i] / limit[i]);
      }
      if (i + 1 < n && limit[i + 1] > 0) {
        outPool = Math.max(outPool, queue[i + 1] / limit[i + 1]);
      }
      v.stateBytes += r.stateBytes[i] * shareOfOp;
      SimSettings.OperatorSpec op = s.operators().get(i);
      v.stateGrowth += r.recordsIn[i] * shareOfOp * op.stateBytesPerRecord();
      if (i == 0) {
        v.sourceShare = shareOfOp;
      }
      if ("enrich".equals(op.id())) {
        v.extRequests += r.recordsIn[i] * shareOfOp * fx.sig().externalCallsPerRecord();
      }
    }
    v.busy = threads[k] > 0 ? busyW / threads[k] : 0;
    v.backPressured = threads[k] > 0 ? bpW / threads[k] : 0;
    v.inPool = Math.min(1, 0.05 + inPool);
    v.outPool = Math.min(1, 0.05 + outPool);
    v.cpuLoad = Math.min(1, util[k] * tmCpu[k] / pod.cpu + pod.gcRatio);
    v.sourceLag = r.pending[0] * v.sourceShare;
    v.netLatencyMs = s.taskManager().netLatencyMs();
    v.diskUsedRatio = Math.min(0.95, 0.08 + v.stateBytes / (s.taskManager().diskGb() * 1e9));
    v.extLatencyMs = v.extRequests > 0 ? 4 : 0;
    v.fdRatio = (s.taskManager().baseFileDescriptors() + v.subtasks * 40) / s.taskManager().fileDescriptorLimit();
    fx.applyTmSignatures(v, t);
  }

  private void jvm(TickResult.TmView v, Cluster.Pod pod, long t, double now) {
    SimSettings.TaskManagerSettings tm = s.taskManager();
    double heapMax = pod.memoryGb * 1e9 * tm.heapFraction();
    double young = heapMax * tm.youngGenFraction();
    if (fx.leaking()) {
      pod.leakedBytes += fx.leakRate() * dt;
    }
    double live = heapMax * tm.heapBaseRatio() + pod.leakedBytes + v.recordsIn * 2_000 * 0.05;
    double occupancy = live / heapMax;
    if (occupancy >= tm.oomRatio()) {
      oomKill(pod, t, now);
      live = heapMax * tm.heapBaseRatio();
      occupancy = live / heapMax;
    }
    double youngCount = v.allocRate / Math.max(1, young * 0.8);
    double youngTime = youngCount * tm.youngPauseMs() * (1 + occupancy);
    double onset = tm.oldGcOnsetRatio();
    double x = clamp((occupancy - onset) / Math.max(1e-6, tm.oomRatio() - onset), 0, 1);
    double oldTime = tm.oldGcMaxMsPerSecond() * x * x;
    double oldPause = 150 + 1500 * x;
    double oldCount = oldTime > 0 ? oldTime / oldPause : 0;
    pod.gcRatio = clamp((youngTime + oldTime) / 1000, 0, 0.9);
    pod.heapRatio = Math.min(1, (live + young * 0.5) / heapMax);
    pod.gcCycles += Math.round(youngCount * dt);
    if (oldCount > 0) {
      pod.gcFullTotal += Math.max(1, Math.round(oldCount * dt));
    }
    pod.threadsPeak = Math.max(pod.threadsPeak, v.threads);
    v.heapMax = heapMax;
    v.heapUsed = pod.heapRatio * heapMax;
    v.oldGen = live;
    v.youngGen = young * 0.5;
    v.gcYoungCount = youngCount;
    v.gcYoungTimeMs = youngTime;
    v.gcOldCount = oldCount;
    v.gcOldTimeMs = oldTime;
    v.gcPauseP99 = oldCount * dt >= 0.5 ? oldPause : tm.youngPauseMs() * (1 + occupancy);
    v.gcPauseMax = Math.max(v.gcPauseP99, oldTime > 0 ? oldPause : tm.youngPauseMs() * 1.5 * (1 + occupancy));
  }

  private void oomKill(Cluster.Pod pod, long t, double now) {
    pod.oomKills++;
    pod.podRestarts++;
    pod.leakedBytes = 0;
    pod.tasksFailed += 4;
    restartJob(now, s.actions().taskRestartSeconds().draw(rnd), true);
    for (ActiveFault f : List.copyOf(faults)) {
      if (f.active() && f.mode == FailureMode.MEMORY_LEAK && fx.leaking()) {
        boolean crashActive = false;
        for (ActiveFault c : faults) {
          if (c.active() && f.id.equals(c.parentId)) {
            crashActive = true;
          }
        }
        if (!crashActive) {
          injectChild(f, FailureMode.TASK_CRASH, f.target, t);
        }
      }
    }
  }

  // ------------------------------------------------------------------------------ faults

  /** Injects a fault now; returns it. A null target is picked from the catalogue's candidates. */
  ActiveFault inject(String faultId, FailureMode mode, String target, boolean cascade, String parentId, long t) {
    String chosen = target == null ? pickTarget(mode) : target;
    validateTarget(mode, chosen);
    ActiveFault f = new ActiveFault(faultId, id, mode, chosen, t, parentId, cascade);
    SimSettings.FaultSettings fs = s.faults();
    double now = t * dt;
    f.intervalAtInjection = spec.checkpointIntervalSeconds();
    if (FaultCatalogue.entry(mode).targetKind() == FaultCatalogue.TargetKind.OPERATOR) {
      f.parallelismAtInjection = spec.parallelismOf(chosen);
    }
    switch (mode) {
      case NETWORK_PARTITION -> f.healTick = t + Math.round(fs.networkHealMinutes().draw(rnd) * 60 / dt);
      case EXTERNAL_DEPENDENCY_FAILURE -> f.healTick = t + Math.round(fs.externalHealMinutes().draw(rnd) * 60 / dt);
      case MEMORY_LEAK -> {
        double heapMax = spec.taskManagerMemoryGb() * 1e9 * s.taskManager().heapFraction();
        double fill = fs.leakFillMinutes().draw(rnd) * 60;
        f.leakBytesPerSecond = heapMax * (s.taskManager().oomRatio() - s.taskManager().heapBaseRatio() - 0.05) / fill;
      }
      case STATE_CORRUPTION -> f.corruptCheckpointId = Math.max(1, cpLastId);
      case DATA_SKEW -> {
        double capNow = Double.isFinite(out.capacity) && out.capacity > 0 ? out.capacity : 1e6;
        int i = opIds.indexOf(chosen);
        double h = 1e6 / (inShare[i] * cost[i] * fs.skewCapacityShare() * capNow);
        f.hotShare = clamp(h, 1.0 / spec.parallelismOf(chosen), 1);
      }
      case CONFIGURATION_ERROR -> {
        f.badBufferMb = fs.misconfigBufferMb();
        spec = spec.withNetworkBufferMb(f.badBufferMb);
        running = running.withNetworkBufferMb(f.badBufferMb);
        restartJob(now, s.actions().jobRestartSeconds().draw(rnd), false);
        for (Cluster.Pod p : pods) {
          p.tasksFailed += 1;
        }
      }
      case INFRASTRUCTURE_FAILURE -> {
        Cluster.Node node = cluster.node(chosen);
        if (node != null) {
          node.notReady = true;
        }
      }
      default -> {}
    }
    if (cascade && FaultCatalogue.entry(mode).cascadesTo() != null && mode != FailureMode.MEMORY_LEAK) {
      f.childTick = t + Math.round(fs.cascadeDelayTicks().draw(rnd));
    }
    faults.add(f);
    return f;
  }

  /**
   * Injects one node fault on {@code count} distinct nodes at once (a network partition isolating
   * several nodes): the nodes hosting the pipeline's TaskManagers first, in a seeded random order,
   * then other nodes of the pool when it runs on fewer. The first fault keeps the id, the others
   * are {@code <id>-n2}, {@code <id>-n3}...; they share the first one's self-healing time, since
   * they are one event.
   */
  List<ActiveFault> injectAcross(String faultId, FailureMode mode, int count, boolean cascade, long t) {
    if (FaultCatalogue.entry(mode).targetKind() != FaultCatalogue.TargetKind.NODE) {
      throw new PlatformException(
          PlatformException.Kind.REJECTED, mode + " does not strike nodes");
    }
    List<String> hosting = new ArrayList<>(nodesHostingPods());
    shuffle(hosting);
    List<String> others = new ArrayList<>();
    for (Cluster.Node node : cluster.nodes()) {
      if (!hosting.contains(node.id) && !node.notReady && node.readyAtSec <= Math.max(0, nowSec())) {
        others.add(node.id);
      }
    }
    others.sort(Comparator.naturalOrder());
    shuffle(others);
    List<String> chosen = new ArrayList<>(hosting);
    chosen.addAll(others);
    if (chosen.size() < count) {
      throw new PlatformException(
          PlatformException.Kind.REJECTED,
          "cannot strike " + count + " nodes, the pool has " + chosen.size());
    }
    List<ActiveFault> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = i == 0 ? faultId : faultId + "-n" + (i + 1);
      ActiveFault f = inject(id, mode, chosen.get(i), cascade, null, t);
      if (i > 0) {
        f.healTick = out.get(0).healTick;
      }
      out.add(f);
    }
    return out;
  }

  private void shuffle(List<String> list) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      String tmp = list.get(i);
      list.set(i, list.get(j));
      list.set(j, tmp);
    }
  }

  private void injectChild(ActiveFault parent, FailureMode mode, String target, long t) {
    childSeq++;
    String childId = parent.id + "-c" + (childSeq > 1 ? childSeq : "");
    inject(childId, mode, target, false, parent.id, t);
  }

  private String pickTarget(FailureMode mode) {
    FaultCatalogue.Entry e = FaultCatalogue.entry(mode);
    return switch (e.targetKind()) {
      case OPERATOR -> e.candidateTargets().get(rnd.nextInt(e.candidateTargets().size()));
      case JOB -> "job";
      case NODE -> {
        List<String> nodes = nodesHostingPods();
        if (mode == FailureMode.RESOURCE_EXHAUSTION) {
          // a node where some TaskManagers survive, so the signature stays visible
          List<String> crowded = new ArrayList<>();
          for (String node : nodes) {
            if (podsOn(node) >= 2) {
              crowded.add(node);
            }
          }
          if (!crowded.isEmpty()) {
            nodes = crowded;
          }
        }
        if (nodes.isEmpty()) {
          throw new PlatformException(PlatformException.Kind.REJECTED, "pipeline " + id + " runs on no node");
        }
        yield nodes.get(rnd.nextInt(nodes.size()));
      }
    };
  }

  private void validateTarget(FailureMode mode, String target) {
    FaultCatalogue.Entry e = FaultCatalogue.entry(mode);
    switch (e.targetKind()) {
      case OPERATOR -> {
        if (!opIds.contains(target)) {
          throw new PlatformException(PlatformException.Kind.REJECTED, "unknown operator " + target);
        }
      }
      case NODE -> {
        if (cluster.node(target) == null) {
          throw new PlatformException(PlatformException.Kind.REJECTED, "unknown node " + target);
        }
      }
      case JOB -> {}
    }
  }

  private int podsOn(String nodeId) {
    int c = 0;
    double now = Math.max(0, nowSec());
    for (Cluster.Pod p : pods) {
      if (p.node != null && p.node.id.equals(nodeId) && p.running(now)) {
        c++;
      }
    }
    return c;
  }

  List<String> nodesHostingPods() {
    List<String> out = new ArrayList<>();
    double now = Math.max(0, nowSec());
    for (Cluster.Pod p : pods) {
      if (p.node != null && p.running(now) && !out.contains(p.node.id)) {
        out.add(p.node.id);
      }
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  private void faultLifecycle(long t, double now) {
    for (ActiveFault f : List.copyOf(faults)) {
      if (!f.active()) {
        continue;
      }
      if (f.healTick >= 0 && t >= f.healTick) {
        f.resolve(t, "self-healed");
        continue;
      }
      if (f.childTick >= 0 && t >= f.childTick && !f.childSpawned) {
        f.childSpawned = true;
        FailureMode child = FaultCatalogue.entry(f.mode).cascadesTo();
        String target = "job";
        if (child == FailureMode.RESOURCE_EXHAUSTION) {
          List<String> nodes = nodesHostingPods();
          nodes.remove(f.target);
          target = nodes.isEmpty() ? null : nodes.get(rnd.nextInt(nodes.size()));
        }
        if (target != null) {
          injectChild(f, child, target, t);
        }
      }
      if (f.mode == FailureMode.INFRASTRUCTURE_FAILURE && !f.podsLost && t - f.injectedTick >= s.faults().nodeLossTicks()) {
        f.podsLost = true;
        boolean any = false;
        for (Cluster.Pod p : pods) {
          if (p.node != null && p.node.id.equals(f.target)) {
            p.lost = true;
            any = true;
          }
        }
        if (any) {
          restartJob(now, s.actions().jobRestartSeconds().draw(rnd) + restoreSeconds(), true);
        }
      }
      if (f.mode == FailureMode.RESOURCE_EXHAUSTION && f.severity(t, s.faults().rampTicks()) >= 1) {
        List<Cluster.Pod> onNode = new ArrayList<>();
        for (Cluster.Pod p : pods) {
          if (p.node != null && p.node.id.equals(f.target) && p.running(now)) {
            onNode.add(p);
          }
        }
        long exhausted = pods.stream().filter(p -> p.exhausted && p.node != null && p.node.id.equals(f.target)).count();
        if (exhausted == 0 && !onNode.isEmpty()) {
          int kill = Math.max(1, onNode.size() / 2);
          for (int i = 0; i < kill; i++) {
            onNode.get(i).exhausted = true;
            onNode.get(i).podRestarts++;
          }
          restartJob(now, s.actions().jobRestartSeconds().draw(rnd) + restoreSeconds(), true);
        }
      }
    }
  }

  // ------------------------------------------------------------------------------ actions

  private void runPendings(double now) {
    pendings.sort(Comparator.comparingDouble(Pending::dueSec).thenComparingLong(Pending::seq));
    while (!pendings.isEmpty() && pendings.get(0).dueSec() <= now + 1e-9) {
      Pending p = pendings.remove(0);
      p.effect().run();
    }
  }

  private void schedule(double dueSec, Runnable effect) {
    pendings.add(new Pending(dueSec, pendingSeq++, effect));
  }

  private double restoreSeconds() {
    double total = 0;
    for (double v : state) {
      total += v;
    }
    int tms = Math.max(1, (int) pods.stream().filter(p -> p.node != null && !p.lost).count());
    return total / (s.taskManager().restoreMbPerSecond() * MB * tms);
  }

  /**
   * Restarts the job at {@code at} for {@code seconds}: no processing meanwhile; the sources rewind
   * to the latest completed checkpoint (its data is replayed, so lag grows by it).
   */
  private double restartJob(double at, double seconds, boolean rewind) {
    downWindows.add(new double[] {at, at + seconds});
    restartsTotal++;
    if (rewind && !checkpoints.isEmpty()) {
      double[] last = checkpoints.get(checkpoints.size() - 1);
      lag += Math.max(0, consumedTotal - last[1]);
      consumedTotal = last[1];
      lastRestoredId = (long) last[0];
      Arrays.fill(queue, 0);
    }
    return at + seconds;
  }

  private int settleTicks(double now, double doneSec) {
    return (int) Math.max(1, Math.ceil((doneSec - now) / dt - 1e-9));
  }

  private void resolveAt(double dueSec, FaultCatalogue.Remedy remedy) {
    schedule(
        dueSec,
        () -> {
          for (ActiveFault f : faults) {
            if (f.active() && FaultCatalogue.fixes(f, remedy)) {
              f.resolve(tick, remedy.action().describe());
              onResolved(f);
            }
          }
        });
  }

  /** Side effects of a repair that the physics needs (freed heap, pods that come back). */
  private void onResolved(ActiveFault f) {
    switch (f.mode) {
      case MEMORY_LEAK -> pods.forEach(p -> p.leakedBytes = 0);
      case RESOURCE_EXHAUSTION -> pods.forEach(p -> p.exhausted = false);
      default -> {}
    }
  }

  /** Replaces the pods matching the predicate with new ones; returns when the last is ready. */
  private double replacePods(Predicate<Cluster.Pod> which, PipelineConfig shape, double now, Set<String> avoid) {
    List<Cluster.Pod> added = new ArrayList<>();
    for (Cluster.Pod p : List.copyOf(pods)) {
      if (which.test(p)) {
        cluster.release(p, now);
        pods.remove(p);
        added.add(newPod(shape));
      }
    }
    cluster.scheduleAll(added, now, avoid, rnd);
    return readyAt(added, now);
  }

  /** When the last of the pods is ready (an hour from now for one left pending). */
  private static double readyAt(List<Cluster.Pod> added, double now) {
    double ready = now;
    for (Cluster.Pod q : added) {
      ready = Math.max(ready, q.node == null ? now + 3600 : q.readyAtSec);
    }
    return ready;
  }

  /** Brings the pod set to the shape and count of the configuration; returns when it is ready. */
  private double reconcilePods(PipelineConfig target, double now) {
    boolean reshape = target.taskManagerCpu() != running.taskManagerCpu()
        || target.taskManagerMemoryGb() != running.taskManagerMemoryGb();
    double ready = replacePods(p -> reshape || p.lost || p.exhausted, target, now, avoidNodes);
    List<Cluster.Pod> added = new ArrayList<>();
    for (int i = pods.size(); i < target.taskManagers(); i++) {
      added.add(newPod(target));
    }
    cluster.scheduleAll(added, now, avoidNodes, rnd);
    return Math.max(ready, readyAt(added, now));
  }

  /** Removes pods down to {@code count}: pods on a reclaimed spot node first, then the newest. */
  private void trimPods(int count, double now) {
    for (Cluster.Pod p : List.copyOf(pods)) {
      if (pods.size() <= count) {
        return;
      }
      if (p.reclaimed) {
        pods.remove(p);
        cluster.release(p, now);
      }
    }
    while (pods.size() > count) {
      Cluster.Pod last = pods.remove(pods.size() - 1);
      cluster.release(last, now);
    }
  }

  ActuationResult apply(PipelineConfig desired) {
    List<String> errors = new ArrayList<>(desired.structuralErrors());
    if (!desired.parallelism().keySet().equals(new HashSet<>(opIds))) {
      Set<String> unknown = new HashSet<>(desired.parallelism().keySet());
      unknown.removeAll(opIds);
      Set<String> missing = new HashSet<>(opIds);
      missing.removeAll(desired.parallelism().keySet());
      errors.add("operators must be exactly " + opIds + (unknown.isEmpty() ? "" : "; unknown: " + unknown)
          + (missing.isEmpty() ? "" : "; missing: " + missing));
    }
    errors.addAll(capacityErrors(desired));
    if (!errors.isEmpty()) {
      throw new PlatformException(PlatformException.Kind.REJECTED, "configuration rejected: " + String.join("; ", errors));
    }
    if (desired.equals(spec)) {
      return ActuationResult.unchanged("pipeline " + id + " already runs " + desired.summary());
    }
    double now = nowSec();
    PipelineConfig before = spec;
    spec = desired;
    applications++;
    FaultCatalogue.Remedy remedy = new FaultCatalogue.Remedy(new Action.Reconfigure(desired, "apply"), before, desired);
    boolean podsChange = desired.taskManagers() != before.taskManagers()
        || desired.taskManagerCpu() != before.taskManagerCpu()
        || desired.taskManagerMemoryGb() != before.taskManagerMemoryGb()
        || desired.slotsPerTaskManager() != before.slotsPerTaskManager();
    boolean restart = podsChange
        || !desired.parallelism().equals(before.parallelism())
        || desired.networkBufferMb() != before.networkBufferMb();
    if (!restart) {
      running = new PipelineConfig(running.parallelism(), running.networkBufferMb(),
          desired.checkpointIntervalSeconds(), running.taskManagers(), running.taskManagerCpu(),
          running.taskManagerMemoryGb(), running.slotsPerTaskManager());
      resolveAt(now, remedy);
      return ActuationResult.applied("checkpoint interval set to " + desired.checkpointIntervalSeconds() + " s", 1);
    }
    double ready = podsChange ? reconcilePods(desired, now) : now;
    double restartSec = s.actions().jobRestartSeconds().draw(rnd) + restoreSeconds();
    double done = ready + restartSec;
    schedule(
        ready,
        () -> {
          trimPods(spec.taskManagers(), ready);
          running = spec;
          restartJob(ready, restartSec, true);
        });
    resolveAt(done, remedy);
    return ActuationResult.applied(
        "reconciling to " + desired.summary() + (ready > now ? "; TaskManagers ready in " + Math.round(ready - now) + " s" : "")
            + "; restart from checkpoint " + Math.round(restartSec) + " s",
        settleTicks(now, done));
  }

  private List<String> capacityErrors(PipelineConfig c) {
    List<String> errors = new ArrayList<>();
    int perNode = cluster.podsPerNode(c.taskManagerCpu(), c.taskManagerMemoryGb());
    if (perNode < 1) {
      errors.add("a TaskManager of " + c.taskManagerCpu() + " cores / " + c.taskManagerMemoryGb() + " GB fits on no node");
    } else if (c.taskManagers() > perNode * s.cluster().maxNodes()) {
      errors.add(c.taskManagers() + " TaskManagers exceed the cluster (" + perNode * s.cluster().maxNodes() + " at most)");
    }
    return errors;
  }

  ActuationResult recover(String actionId, Action.RecoveryAction action) {
    if (actionIds.contains(actionId)) {
      return ActuationResult.duplicate("action " + actionId + " was already executed");
    }
    double now = nowSec();
    PipelineConfig before = spec;
    double done;
    String detail;
    if (action instanceof Action.RestartTask r) {
      requireOperator(r.operatorId());
      double sec = s.actions().taskRestartSeconds().draw(rnd);
      done = restartJob(now, sec, true);
      pods.forEach(p -> p.taskRestarts++);
      detail = "tasks of " + r.operatorId() + " restart in " + Math.round(sec) + " s";
    } else if (action instanceof Action.ExpandBuffers e) {
      if (e.toMb() <= 0) {
        throw rejected("buffer size must be > 0 MB, was " + e.toMb());
      }
      double sec = s.actions().taskRestartSeconds().draw(rnd);
      spec = spec.withNetworkBufferMb(e.toMb());
      running = running.withNetworkBufferMb(e.toMb());
      done = restartJob(now, sec, true);
      detail = "network buffers " + e.toMb() + " MB, tasks restart in " + Math.round(sec) + " s";
    } else if (action instanceof Action.Reconnect c) {
      double sec = s.actions().reconnectSeconds().draw(rnd);
      done = now + sec;
      detail = "reconnecting " + c.target() + " in " + Math.round(sec) + " s";
    } else if (action instanceof Action.RedeployOperator d) {
      requireOperator(d.operatorId());
      if (d.parallelism() < 1) {
        throw rejected("parallelism must be >= 1, was " + d.parallelism());
      }
      PipelineConfig target = spec.withParallelism(Map.of(d.operatorId(), d.parallelism()));
      int tms = (int) Math.ceil(target.requiredSlots() / (double) target.slotsPerTaskManager());
      target = target.withTaskManagers(Math.max(target.taskManagers(), tms));
      List<String> errors = capacityErrors(target);
      if (!errors.isEmpty()) {
        throw rejected(String.join("; ", errors));
      }
      spec = target;
      double ready = reconcilePods(target, now);
      double sec = s.actions().jobRestartSeconds().draw(rnd) + restoreSeconds();
      PipelineConfig t2 = target;
      schedule(ready, () -> {
        running = t2;
        restartJob(ready, sec, true);
      });
      done = ready + sec;
      detail = "redeploying " + d.operatorId() + " at parallelism " + d.parallelism();
    } else if (action instanceof Action.RestoreCheckpoint c) {
      if (c.checkpointsBack() < 0) {
        throw rejected("checkpointsBack must be >= 0, was " + c.checkpointsBack());
      }
      double sec = s.actions().jobRestartSeconds().draw(rnd) + restoreSeconds();
      int index = checkpoints.size() - 1 - c.checkpointsBack();
      double[] cp = checkpoints.isEmpty() ? null : checkpoints.get(Math.max(0, index));
      downWindows.add(new double[] {now, now + sec});
      restartsTotal++;
      if (cp != null) {
        lag += Math.max(0, consumedTotal - cp[1]);
        consumedTotal = cp[1];
        lastRestoredId = (long) cp[0];
        while (checkpoints.size() > Math.max(1, index + 1)) {
          checkpoints.remove(checkpoints.size() - 1);
        }
      }
      Arrays.fill(queue, 0);
      done = now + sec;
      detail = "restoring checkpoint " + (cp == null ? "none" : (long) cp[0]) + " (" + c.checkpointsBack() + " back)";
    } else if (action instanceof Action.Redistribute r) {
      if (r.fromNode() != null && cluster.node(r.fromNode()) == null) {
        throw rejected("unknown node " + r.fromNode());
      }
      if (r.fromNode() != null) {
        avoidNodes.add(r.fromNode());
      }
      double ready = replacePods(p -> p.lost || p.exhausted || (p.node != null && p.node.id.equals(r.fromNode())),
          spec, now, avoidNodes);
      double sec = s.actions().jobRestartSeconds().draw(rnd) + restoreSeconds();
      schedule(ready, () -> restartJob(ready, sec, true));
      done = ready + sec;
      detail = "redistributing subtasks" + (r.fromNode() == null ? "" : " away from " + r.fromNode());
    } else if (action instanceof Action.FullRestart f) {
      PipelineConfig target = f.config() == null ? spec : f.config();
      List<String> errors = new ArrayList<>(target.structuralErrors());
      if (!target.parallelism().keySet().equals(new HashSet<>(opIds))) {
        errors.add("operators must be exactly " + opIds);
      }
      errors.addAll(capacityErrors(target));
      if (!errors.isEmpty()) {
        throw rejected(String.join("; ", errors));
      }
      spec = target;
      double ready = replacePods(p -> true, target, now, avoidNodes);
      trimPods(target.taskManagers(), now);
      List<Cluster.Pod> added = new ArrayList<>();
      for (int i = pods.size(); i < target.taskManagers(); i++) {
        added.add(newPod(target));
      }
      cluster.scheduleAll(added, now, avoidNodes, rnd);
      ready = Math.max(ready, readyAt(added, now));
      running = target;
      double sec = s.actions().fullRestartSeconds().draw(rnd) + restoreSeconds();
      double end = Math.max(now + sec, ready + restoreSeconds());
      restartJob(now, end - now, true);
      done = end;
      detail = "full restart with " + target.summary();
    } else if (action instanceof Action.DrainNode d) {
      Cluster.Node node = cluster.node(d.nodeId());
      if (node == null) {
        throw rejected("unknown node " + d.nodeId());
      }
      node.cordoned = true;
      done = evacuate(d.nodeId(), now);
      detail = "cordoned and drained " + d.nodeId();
    } else if (action instanceof Action.Failover f) {
      Set<String> avoid = new HashSet<>(avoidNodes);
      for (Cluster.Pod p : pods) {
        if (p.node != null) {
          avoid.add(p.node.id);
        }
      }
      double ready = replacePods(p -> true, spec, now, avoid);
      double sec = s.actions().failoverSeconds().draw(rnd) + restoreSeconds();
      double end = Math.max(now + sec, ready);
      restartJob(now, end - now, true);
      done = end;
      detail = "failing over to standby resources";
    } else {
      throw rejected("unsupported action " + action);
    }
    actionIds.add(actionId);
    applications++;
    resolveAt(done, new FaultCatalogue.Remedy(action, before, spec));
    return ActuationResult.applied(detail, settleTicks(now, done));
  }

  /**
   * Moves this pipeline's pods off a cordoned node and restarts the job once they are ready;
   * returns the end of that restart (now when no pod was there).
   */
  double evacuate(String nodeId, double now) {
    boolean any = pods.stream().anyMatch(p -> p.node != null && p.node.id.equals(nodeId));
    if (!any) {
      return now;
    }
    double ready = replacePods(p -> p.node != null && p.node.id.equals(nodeId), spec, now, avoidNodes);
    double sec = s.actions().jobRestartSeconds().draw(rnd) + restoreSeconds();
    schedule(ready, () -> restartJob(ready, sec, true));
    return ready + sec;
  }

  /**
   * The provider announced the reclaim of spot node {@code nodeId} at {@code reclaimAtSec}: this
   * pipeline's TaskManagers there migrate to on-demand nodes as the {@link SpotPolicy} decides
   * (replacements start now; the old pods stop when the replacements are ready or the node goes;
   * the job restarts from its checkpoint on the replacements). Returns the number of pods moved.
   */
  int withdrawSpot(String nodeId, double now, double reclaimAtSec) {
    List<Cluster.Pod> affected = new ArrayList<>();
    for (Cluster.Pod p : pods) {
      if (p.node != null && p.node.id.equals(nodeId) && !p.reclaimed) {
        affected.add(p);
      }
    }
    if (affected.isEmpty()) {
      return 0;
    }
    List<Cluster.Pod> replacements = new ArrayList<>();
    for (Cluster.Pod p : affected) {
      p.reclaimed = true;
      replacements.add(newPod(spec, Market.ON_DEMAND));
    }
    cluster.scheduleAll(replacements, now, avoidNodes, rnd);
    double ready = readyAt(replacements, now);
    double restartSec = s.actions().jobRestartSeconds().draw(rnd) + restoreSeconds();
    SpotPolicy.Migration m = spotPolicy.onWithdrawal(now, reclaimAtSec, ready, restartSec);
    schedule(
        m.releaseOldAtSec(),
        () -> {
          for (Cluster.Pod p : affected) {
            if (pods.remove(p)) {
              cluster.release(p, m.releaseOldAtSec());
            }
          }
        });
    double downFrom = m.seamless() ? m.restartAtSec() : m.releaseOldAtSec();
    schedule(downFrom, () -> restartJob(downFrom, m.downtimeSeconds(), true));
    spotMigrations++;
    return affected.size();
  }

  private void requireOperator(String op) {
    if (!opIds.contains(op)) {
      throw rejected("unknown operator " + op);
    }
  }

  private PlatformException rejected(String why) {
    return new PlatformException(PlatformException.Kind.REJECTED, why);
  }

  // ------------------------------------------------------------------------------ views

  List<Fault> faultRecords() {
    List<Fault> out = new ArrayList<>();
    for (ActiveFault f : faults) {
      out.add(f.toRecord());
    }
    return out;
  }

  double lag() {
    return lag;
  }
}
