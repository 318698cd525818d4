package dev.autopilot.agents.recovery.policy;

import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.Metric;
import dev.autopilot.api.OperatorMetrics;
import dev.autopilot.api.TaskManagerMetrics;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a snapshot plus the detector states into named {@link Symptoms}. Rate-type signals count by
 * their elevation over the learned baseline; ratios with a natural scale (heap, disk, file
 * descriptors, CPU) by absolute ramps; node-local symptoms compare each node's TaskManagers;
 * operator symptoms compare each operator with its own baseline and with the others.
 */
public final class SymptomExtractor {
  private final RecoverySettings settings;
  private final RecoverySettings.SymptomSettings t;

  public SymptomExtractor(RecoverySettings settings) {
    this.settings = settings;
    this.t = settings.symptoms();
  }

  /**
   * Extracts the symptoms of the snapshot the bank was last updated with.
   *
   * @param s the snapshot (already fed to {@code bank})
   * @param bank the detector states
   */
  public Symptoms extract(TelemetrySnapshot s, DetectorBank bank) {
    Map<Symptom, Symptoms.Finding> f = new EnumMap<>(Symptom.class);
    int hold = t.eventHoldTicks();
    long tick = s.tick();

    // ---- job lifecycle
    JobMetrics.JobState state = s.job().state();
    boolean failingNow =
        state == JobMetrics.JobState.RESTARTING
            || state == JobMetrics.JobState.FAILING
            || state == JobMetrics.JobState.FAILED;
    long recentRestarts = bank.eventsWithin(DetectorBank.Counter.RESTARTS, hold);
    put(
        f,
        Symptom.JOB_RESTARTING,
        failingNow || recentRestarts > 0 ? 1 : 0,
        null,
        null,
        "job " + state + ", " + recentRestarts + " restart(s) in the last " + hold + " ticks");
    long loopRestarts =
        bank.eventsWithin(DetectorBank.Counter.RESTARTS, t.restartLoopWindowTicks());
    put(
        f,
        Symptom.RESTART_LOOP,
        t.restartLoop().apply(loopRestarts),
        null,
        null,
        loopRestarts + " restarts in the last " + t.restartLoopWindowTicks() + " ticks");
    long lastChange = Math.max(bank.lastRestartTick(), bank.lastConfigChangeTick());
    boolean recent =
        lastChange != Long.MIN_VALUE && tick - lastChange < t.recentRestartWindowTicks();
    put(
        f,
        Symptom.RECENT_RESTART,
        recent ? 1 : 0,
        null,
        null,
        "restart or configuration change "
            + (recent ? (tick - lastChange) + " ticks ago" : "not recent"));
    put(
        f,
        Symptom.RESTORE_REPEATED,
        bank.restoreRepeated() ? 1 : 0,
        null,
        null,
        "the last restarts restored checkpoint " + s.checkpoints().lastRestoredCheckpointId());
    long taskFailures = bank.eventsWithin(DetectorBank.Counter.TASK_FAILURES, hold);
    put(
        f,
        Symptom.TASK_FAILURES,
        t.taskFailures().apply(taskFailures),
        null,
        null,
        taskFailures + " subtask failure(s) in the last " + hold + " ticks");

    // ---- errors
    elevated(f, bank, Symptom.EXCEPTIONS, Signal.EXCEPTIONS, "exceptions/s");
    elevated(f, bank, Symptom.LOG_ERRORS, Signal.LOG_ERRORS, "ERROR log lines/min");
    elevated(
        f,
        bank,
        Symptom.DESERIALIZATION_ERRORS,
        Signal.DESERIALIZATION_ERRORS,
        "deserialization errors/s");
    elevated(
        f,
        bank,
        Symptom.SERIALIZATION_ERRORS,
        Signal.SERIALIZATION_ERRORS,
        "serialization errors/s");
    long classloading = bank.eventsWithin(DetectorBank.Counter.CLASSLOADING_ERRORS, hold);
    double classStrength =
        Math.max(
            classloading > 0 ? 1 : 0,
            t.elevation().apply(bank.elevation(Signal.CLASSLOADING_ERRORS)));
    put(
        f,
        Symptom.CLASSLOADING_ERRORS,
        classStrength,
        null,
        null,
        classloading
            + " new class-loading error(s), "
            + fmt(bank.value(Signal.CLASSLOADING_ERRORS))
            + " in total");
    double logStrength = f.get(Symptom.LOG_ERRORS).strength();
    long onset = bank.logErrorOnsetTick();
    boolean afterRestart =
        lastChange != Long.MIN_VALUE
            && onset != Long.MIN_VALUE
            && onset >= lastChange
            && onset - lastChange < t.recentRestartWindowTicks();
    put(
        f,
        Symptom.LOG_ERRORS_AFTER_RESTART,
        afterRestart ? logStrength : 0,
        null,
        null,
        "ERROR logs began "
            + (afterRestart
                ? (onset - lastChange) + " tick(s) after a restart"
                : "without a restart before them"));

    // ---- checkpoints
    double cpFraction =
        s.checkpoints().lastDurationMs() / (1000.0 * s.config().checkpointIntervalSeconds());
    double cpSlow =
        Math.max(
            t.checkpointSlow().apply(cpFraction),
            t.elevation().apply(bank.elevation(Signal.CHECKPOINT_DURATION)));
    put(
        f,
        Symptom.CHECKPOINT_SLOW,
        cpSlow,
        null,
        null,
        String.format(
            Locale.ROOT,
            "last checkpoint %.0f ms (%.0f%% of the %d s interval, x%.1f usual)",
            s.checkpoints().lastDurationMs(),
            100 * cpFraction,
            s.config().checkpointIntervalSeconds(),
            bank.elevation(Signal.CHECKPOINT_DURATION)));
    long cpFailures = bank.eventsWithin(DetectorBank.Counter.CHECKPOINT_FAILURES, hold);
    long cpConsecutive = bank.checkpointFailuresSinceCompleted();
    put(
        f,
        Symptom.CHECKPOINT_FAILING,
        t.checkpointFailures().apply(Math.max(cpFailures, cpConsecutive)),
        null,
        null,
        cpFailures
            + " checkpoint failure(s) in the last "
            + hold
            + " ticks, "
            + cpConsecutive
            + " since the last completed checkpoint");
    elevated(
        f,
        bank,
        Symptom.CHECKPOINT_ALIGNMENT_SLOW,
        Signal.CHECKPOINT_ALIGNMENT,
        "ms alignment/start delay");

    // ---- nodes
    Map<String, List<TaskManagerMetrics>> byNode = byNode(s);
    network(f, bank, byNode);
    NodeMax disk = nodeMax(byNode, Metric.DISK_USED_RATIO, false);
    put(
        f,
        Symptom.DISK_FULL,
        t.diskUsed().apply(disk.value),
        null,
        disk.node,
        String.format(Locale.ROOT, "disk used %.0f%% on %s", 100 * disk.value, disk.node));
    elevated(f, bank, Symptom.DISK_STALL, Signal.ROCKSDB_WRITE_STALL, "ms/s RocksDB write stall");
    cpu(f, byNode);
    readiness(f, s, bank, byNode);

    // ---- memory
    NodeMax heap = nodeMax(byNode, Metric.HEAP_USED_RATIO, false);
    double rise = bank.heapRise();
    double slopeEvidence =
        Math.max(
            t.heapRise().apply(rise),
            bank.cusum(Signal.HEAP_SLOPE).warmedUp()
                    && bank.alarmedWithin(Signal.HEAP_SLOPE, settings.detector().alarmMemoryTicks())
                    && rise > 0
                ? 0.5
                : 0);
    put(
        f,
        Symptom.HEAP_CLIMBING,
        t.heapLevel().apply(heap.value) * slopeEvidence,
        null,
        heap.node,
        String.format(
            Locale.ROOT,
            "heap used %.0f%% on %s, +%.1f points over the last %d ticks",
            100 * heap.value,
            heap.node,
            100 * rise,
            t.heapSlopeWindowTicks()));
    put(
        f,
        Symptom.GC_PRESSURE,
        t.gcTimeRatio().apply(bank.value(Signal.GC_TIME_RATIO)),
        null,
        null,
        String.format(
            Locale.ROOT, "GC time %.0f%% of wall time", 100 * bank.value(Signal.GC_TIME_RATIO)));
    long oom = bank.eventsWithin(DetectorBank.Counter.OOM_KILLS, hold);
    put(
        f,
        Symptom.OOM_KILLS,
        oom > 0 ? 1 : 0,
        null,
        heap.node,
        oom + " OOM kill(s) in the last " + hold + " ticks");
    double fd = bank.value(Signal.FILE_DESCRIPTORS_RATIO);
    put(
        f,
        Symptom.FD_EXHAUSTED,
        t.fdRatio().apply(fd),
        null,
        null,
        String.format(Locale.ROOT, "file descriptors at %.0f%% of the limit", 100 * fd));
    put(
        f,
        Symptom.THREADS_HIGH,
        t.threadsRise().apply(bank.elevation(Signal.THREADS)),
        null,
        null,
        String.format(Locale.ROOT, "threads x%.1f usual", bank.elevation(Signal.THREADS)));
    int configured = s.config().taskManagers();
    int running = s.job().runningTaskManagers();
    double missing = configured <= 0 ? 0 : Math.max(0, configured - running) / (double) configured;
    put(
        f,
        Symptom.TM_MISSING,
        t.tmMissing().apply(missing),
        null,
        bank.suspectedNode(),
        running + " of " + configured + " TaskManagers running");

    // ---- flow
    double throughputBase =
        Math.max(bank.baseline(Signal.THROUGHPUT), settings.floor(Signal.THROUGHPUT));
    double tpRatio = bank.value(Signal.THROUGHPUT) / throughputBase;
    put(
        f,
        Symptom.THROUGHPUT_DROP,
        t.throughputDrop().apply(1 - tpRatio),
        null,
        null,
        String.format(
            Locale.ROOT,
            "throughput %.0f/s, %.0f%% of its recent level %.0f/s",
            bank.value(Signal.THROUGHPUT),
            100 * tpRatio,
            throughputBase));
    double latencyRatio = bank.elevation(Signal.LATENCY_P99);
    put(
        f,
        Symptom.LATENCY_HIGH,
        t.latencyRise().apply(latencyRatio),
        null,
        null,
        String.format(
            Locale.ROOT,
            "p99 %.0f ms, x%.1f its recent level",
            bank.value(Signal.LATENCY_P99),
            latencyRatio));
    double dtSeconds =
        bank.previous() == null
            ? 10
            : Math.max(1, (s.eventTimeMillis() - bank.previous().eventTimeMillis()) / 1000.0);
    double consumed =
        Math.max(settings.floor(Signal.LAG_GROWTH), s.job().throughputPerSecond() * dtSeconds);
    double growth = bank.value(Signal.LAG_GROWTH);
    put(
        f,
        Symptom.LAG_GROWING,
        t.lagGrowth().apply(growth / consumed),
        null,
        null,
        String.format(
            Locale.ROOT, "consumer lag %.0f, %+.0f this tick", s.job().consumerLag(), growth));
    put(
        f,
        Symptom.BACKPRESSURE_HIGH,
        t.backpressure().apply(bank.value(Signal.BACKPRESSURE)),
        null,
        null,
        String.format(
            Locale.ROOT,
            "backpressured %.0f%% of the time",
            100 * bank.value(Signal.BACKPRESSURE)));
    double ext =
        Math.max(
            t.elevation().apply(bank.elevation(Signal.EXT_ERRORS)),
            Math.max(
                t.elevation().apply(bank.elevation(Signal.EXT_TIMEOUTS)),
                t.elevation().apply(bank.elevation(Signal.EXT_LATENCY))));
    operators(f, s, bank, ext);
    return new Symptoms(tick, f);
  }

  // ------------------------------------------------------------------ parts

  private void elevated(
      Map<Symptom, Symptoms.Finding> f,
      DetectorBank bank,
      Symptom symptom,
      Signal signal,
      String unit) {
    double e = bank.elevation(signal);
    put(
        f,
        symptom,
        t.elevation().apply(e),
        null,
        null,
        String.format(Locale.ROOT, "%s %s, x%.1f usual", fmt(bank.value(signal)), unit, e));
  }

  private void network(
      Map<Symptom, Symptoms.Finding> f,
      DetectorBank bank,
      Map<String, List<TaskManagerMetrics>> byNode) {
    Metric[] metrics = {Metric.NET_LATENCY, Metric.NET_RETRANSMITS, Metric.NET_CONNECTION_FAILURES};
    Signal[] signals = {Signal.NET_LATENCY, Signal.NET_RETRANSMITS, Signal.NET_CONNECTION_FAILURES};
    double[] refs = new double[metrics.length];
    for (int i = 0; i < metrics.length; i++) {
      List<Double> perNode = new ArrayList<>();
      for (List<TaskManagerMetrics> tms : byNode.values()) {
        perNode.add(maxOf(tms, metrics[i]));
      }
      double ref = median(perNode);
      if (bank.ewma(signals[i]).warmedUp()) {
        ref = Math.min(ref, bank.baseline(signals[i]));
      }
      refs[i] = Math.max(ref, settings.floor(signals[i]));
    }
    String bestNode = null;
    double best = 0;
    String detail = "network normal";
    for (Map.Entry<String, List<TaskManagerMetrics>> e : byNode.entrySet()) {
      double[] strengths = new double[metrics.length];
      double[] ratios = new double[metrics.length];
      for (int i = 0; i < metrics.length; i++) {
        ratios[i] = maxOf(e.getValue(), metrics[i]) / refs[i];
        strengths[i] = t.elevation().apply(ratios[i]);
      }
      double[] sorted = strengths.clone();
      java.util.Arrays.sort(sorted);
      double strength = (sorted[sorted.length - 1] + sorted[sorted.length - 2]) / 2;
      if (strength > best) {
        best = strength;
        bestNode = e.getKey();
        detail =
            String.format(
                Locale.ROOT,
                "on %s: net latency x%.1f, retransmits x%.1f, connection failures x%.1f",
                e.getKey(),
                ratios[0],
                ratios[1],
                ratios[2]);
      }
    }
    put(f, Symptom.NET_DEGRADED, best, null, bestNode, detail);
  }

  private void cpu(Map<Symptom, Symptoms.Finding> f, Map<String, List<TaskManagerMetrics>> byNode) {
    int saturated = 0;
    double sum = 0;
    String hottest = null;
    double hottestLoad = -1;
    for (Map.Entry<String, List<TaskManagerMetrics>> e : byNode.entrySet()) {
      double load = meanOf(e.getValue(), Metric.CPU_LOAD);
      double strength = t.cpuLoad().apply(load);
      sum += strength;
      if (strength >= 0.5) {
        saturated++;
      }
      if (load > hottestLoad) {
        hottestLoad = load;
        hottest = e.getKey();
      }
    }
    int nodes = Math.max(1, byNode.size());
    double fraction = saturated / (double) nodes;
    boolean clusterWide = fraction >= t.cpuClusterWideFraction();
    double nodeStrength = t.cpuLoad().apply(hottestLoad);
    put(
        f,
        Symptom.CPU_SATURATED_CLUSTER,
        clusterWide ? sum / nodes : 0,
        null,
        null,
        String.format(Locale.ROOT, "CPU saturated on %d of %d nodes", saturated, nodes));
    put(
        f,
        Symptom.CPU_SATURATED,
        clusterWide ? 0 : nodeStrength,
        null,
        hottest,
        String.format(
            Locale.ROOT,
            "CPU load %.0f%% on %s, saturated on %d of %d nodes",
            100 * Math.max(0, hottestLoad),
            hottest,
            saturated,
            nodes));
    double throttled = hottest == null ? 0 : meanOf(byNode.get(hottest), Metric.CPU_THROTTLED);
    put(
        f,
        Symptom.CPU_THROTTLED,
        t.cpuThrottled().apply(throttled),
        null,
        hottest,
        String.format(
            Locale.ROOT, "CPU throttled %.0f%% of periods on %s", 100 * throttled, hottest));
  }

  private void readiness(
      Map<Symptom, Symptoms.Finding> f,
      TelemetrySnapshot s,
      DetectorBank bank,
      Map<String, List<TaskManagerMetrics>> byNode) {
    String notReady = null;
    for (Map.Entry<String, List<TaskManagerMetrics>> e : byNode.entrySet()) {
      for (TaskManagerMetrics tm : e.getValue()) {
        if (!tm.isAbsent(Metric.NODE_READY) && tm.get(Metric.NODE_READY) < 0.5) {
          notReady = e.getKey();
        }
      }
    }
    if (notReady != null) {
      put(f, Symptom.NODE_NOT_READY, 1, null, notReady, "node " + notReady + " is NotReady");
      return;
    }
    String suspected = bank.suspectedNode();
    boolean vanished =
        suspected != null
            && (!byNode.containsKey(suspected)
                || s.job().runningTaskManagers() < s.config().taskManagers());
    put(
        f,
        Symptom.NODE_NOT_READY,
        vanished ? 0.8 : 0,
        null,
        suspected,
        vanished
            ? "node " + suspected + " was NotReady and its TaskManagers are gone"
            : "all nodes Ready");
  }

  private void operators(
      Map<Symptom, Symptoms.Finding> f, TelemetrySnapshot s, DetectorBank bank, double ext) {
    List<OperatorMetrics> ops = s.operators();
    int warmup = settings.detector().warmupTicks();
    double pool = Math.max(s.max(Metric.IN_POOL_USAGE), s.max(Metric.OUT_POOL_USAGE));
    double poolStrength = t.poolUsage().apply(pool);

    // stuck operator: upstream backpressured, buffers full, the operator neither busy nor
    // backpressured
    double stuckBest = 0;
    String stuckOp = null;
    for (int i = 1; i < ops.size(); i++) {
      OperatorMetrics op = ops.get(i);
      OperatorMetrics up = ops.get(i - 1);
      double strength =
          t.stuckBusy().apply(op.busyRatio())
              * t.upstreamBackpressure().apply(up.backPressuredRatio())
              * (1 - t.backpressure().apply(op.backPressuredRatio()))
              * poolStrength;
      if (strength > 0 && strength >= stuckBest) {
        stuckBest = strength;
        stuckOp = op.operatorId();
      }
    }
    put(
        f,
        Symptom.BUFFERS_FULL_STUCK,
        stuckBest,
        stuckOp,
        null,
        stuckOp == null
            ? "no stuck operator"
            : String.format(
                Locale.ROOT,
                "%s busy %.0f ms/s with upstream backpressured and buffer pools %.0f%% full",
                stuckOp,
                s.operator(stuckOp).busyTimeMsPerSecond(),
                100 * pool));

    // hot operator with a normal input share (skew)
    double hotBest = 0;
    String hotOp = null;
    for (OperatorMetrics op : ops) {
      List<Double> others = new ArrayList<>();
      for (OperatorMetrics o : ops) {
        if (o != op) {
          others.add(o.busyRatio());
        }
      }
      double margin = op.busyRatio() - median(others);
      double shareOk = 1;
      DetectorBank.OperatorBaseline b = bank.operator(op.operatorId());
      double sourceIn = s.source().recordsInPerSecond();
      if (b != null && b.samples() >= warmup && b.share() > 0 && sourceIn > 0) {
        double shareRatio = op.recordsInPerSecond() / sourceIn / b.share();
        shareOk = shareRatio <= t.hotMaxInputShare() ? 1 : 0;
      }
      double strength = t.hotBusy().apply(op.busyRatio()) * t.hotMargin().apply(margin) * shareOk;
      if (strength > hotBest) {
        hotBest = strength;
        hotOp = op.operatorId();
      }
    }
    put(
        f,
        Symptom.HOT_OPERATOR,
        hotBest,
        hotOp,
        null,
        hotOp == null
            ? "no hot operator"
            : String.format(
                Locale.ROOT,
                "%s busy %.0f ms/s while the others' median is %.0f ms/s",
                hotOp,
                s.operator(hotOp).busyTimeMsPerSecond(),
                1000 * medianBusyExcept(ops, hotOp)));

    // records dropped: selectivity far below the operator's baseline
    double dropBest = 0;
    String dropOp = null;
    String dropDetail = "no operator drops records";
    for (OperatorMetrics op : ops) {
      DetectorBank.OperatorBaseline b = bank.operator(op.operatorId());
      if (b == null
          || b.samples() < warmup
          || !(b.selectivity() > 0)
          || op.recordsInPerSecond() <= 0) {
        continue;
      }
      double ratio = op.recordsOutPerSecond() / op.recordsInPerSecond() / b.selectivity();
      double strength = t.recordsDropped().apply(1 - ratio);
      if (strength > dropBest) {
        dropBest = strength;
        dropOp = op.operatorId();
        dropDetail =
            String.format(
                Locale.ROOT,
                "%s emits %.0f/s for %.0f/s in (%.0f%% of its usual selectivity)",
                op.operatorId(),
                op.recordsOutPerSecond(),
                op.recordsInPerSecond(),
                100 * ratio);
      }
    }
    put(f, Symptom.RECORDS_DROPPED, dropBest, dropOp, null, dropDetail);

    // input drop of one operator relative to the others (its subtasks down)
    List<Double> ratios = new ArrayList<>();
    Map<String, Double> ratioOf = new LinkedHashMap<>();
    for (int i = 1; i < ops.size(); i++) {
      OperatorMetrics op = ops.get(i);
      DetectorBank.OperatorBaseline b = bank.operator(op.operatorId());
      if (b == null || b.samples() < warmup || !(b.inRate() > 0)) {
        continue;
      }
      double r = op.recordsInPerSecond() / b.inRate();
      ratios.add(r);
      ratioOf.put(op.operatorId(), r);
    }
    double med = median(ratios);
    double inBest = 0;
    String inOp = null;
    for (Map.Entry<String, Double> e : ratioOf.entrySet()) {
      double strength = med <= 0 ? 0 : t.inputDrop().apply(1 - e.getValue() / med);
      if (strength > inBest) {
        inBest = strength;
        inOp = e.getKey();
      }
    }
    put(
        f,
        Symptom.OPERATOR_INPUT_DROP,
        inBest,
        inOp,
        null,
        inOp == null
            ? "no operator lost its input"
            : String.format(
                Locale.ROOT,
                "%s receives %.0f%% of its usual input while the others receive %.0f%%",
                inOp,
                100 * ratioOf.get(inOp),
                100 * med));

    // external dependency: point at the operator that lost output, else the busiest non-source one
    String extOp = dropOp;
    if (extOp == null) {
      double busiest = -1;
      for (int i = 1; i < ops.size(); i++) {
        if (ops.get(i).busyRatio() > busiest) {
          busiest = ops.get(i).busyRatio();
          extOp = ops.get(i).operatorId();
        }
      }
    }
    put(
        f,
        Symptom.EXTERNAL_ERRORS,
        ext,
        extOp,
        null,
        String.format(
            Locale.ROOT,
            "external errors x%.1f, timeouts x%.1f, latency x%.1f usual",
            bank.elevation(Signal.EXT_ERRORS),
            bank.elevation(Signal.EXT_TIMEOUTS),
            bank.elevation(Signal.EXT_LATENCY)));
  }

  // ------------------------------------------------------------------ helpers

  private static void put(
      Map<Symptom, Symptoms.Finding> f,
      Symptom s,
      double strength,
      String op,
      String node,
      String detail) {
    f.put(s, new Symptoms.Finding(s, Math.max(0, Math.min(1, strength)), op, node, detail));
  }

  private static Map<String, List<TaskManagerMetrics>> byNode(TelemetrySnapshot s) {
    Map<String, List<TaskManagerMetrics>> out = new LinkedHashMap<>();
    for (TaskManagerMetrics tm : s.taskManagers()) {
      out.computeIfAbsent(tm.nodeId(), n -> new ArrayList<>()).add(tm);
    }
    return out;
  }

  private record NodeMax(String node, double value) {}

  private static NodeMax nodeMax(
      Map<String, List<TaskManagerMetrics>> byNode, Metric m, boolean mean) {
    String node = null;
    double best = 0;
    for (Map.Entry<String, List<TaskManagerMetrics>> e : byNode.entrySet()) {
      double v = mean ? meanOf(e.getValue(), m) : maxOf(e.getValue(), m);
      if (node == null || v > best) {
        best = v;
        node = e.getKey();
      }
    }
    return new NodeMax(node, best);
  }

  private static double maxOf(List<TaskManagerMetrics> tms, Metric m) {
    double max = 0;
    for (TaskManagerMetrics tm : tms) {
      if (!tm.isAbsent(m)) {
        max = Math.max(max, tm.get(m));
      }
    }
    return max;
  }

  private static double meanOf(List<TaskManagerMetrics> tms, Metric m) {
    double sum = 0;
    int n = 0;
    for (TaskManagerMetrics tm : tms) {
      if (!tm.isAbsent(m)) {
        sum += tm.get(m);
        n++;
      }
    }
    return n == 0 ? 0 : sum / n;
  }

  private static double medianBusyExcept(List<OperatorMetrics> ops, String except) {
    List<Double> v = new ArrayList<>();
    for (OperatorMetrics o : ops) {
      if (!o.operatorId().equals(except)) {
        v.add(o.busyRatio());
      }
    }
    return median(v);
  }

  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.2f", v);
  }
}
