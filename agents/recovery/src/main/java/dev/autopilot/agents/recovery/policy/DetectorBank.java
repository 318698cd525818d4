package dev.autopilot.agents.recovery.policy;

import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.Metric;
import dev.autopilot.api.OperatorMetrics;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.TaskManagerMetrics;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The recovery agent's working memory over telemetry: one {@link Cusum} and one {@link Ewma} per
 * {@link Signal}, the previous snapshot (for counter deltas), short event histories (restarts,
 * failures, OOM kills), the heap history for the leak slope, per-operator baselines (input share,
 * selectivity, input rate) and the last node seen NotReady.
 *
 * <p>This memory is transient: it is not journaled, and after a restart of the agent it is rebuilt
 * from the telemetry that follows (detectors warm up again). Mutable; one instance per pipeline.
 */
public final class DetectorBank {

  /** Counters whose increments are remembered for a while (see {@code event-hold-ticks}). */
  public enum Counter {
    TASK_FAILURES,
    CHECKPOINT_FAILURES,
    RESTARTS,
    OOM_KILLS,
    CLASSLOADING_ERRORS
  }

  private final RecoverySettings settings;
  private final Map<Signal, Cusum> cusums = new EnumMap<>(Signal.class);
  private final Map<Signal, Ewma> ewmas = new EnumMap<>(Signal.class);
  private final Map<Signal, Double> values = new EnumMap<>(Signal.class);
  private final Map<Signal, Long> lastAlarmTick = new EnumMap<>(Signal.class);
  private final Map<Signal, String> lastAlarmDirection = new EnumMap<>(Signal.class);
  private final Map<Signal, Deque<Double>> recentValues = new EnumMap<>(Signal.class);
  private final Map<Signal, Long> lastRebaseTick = new EnumMap<>(Signal.class);
  private long learnStreak;
  private long rebases;
  private final Map<Counter, Deque<long[]>> events = new EnumMap<>(Counter.class);
  private final Deque<double[]> heapHistory = new ArrayDeque<>();
  private final Map<String, OperatorBaseline> operators = new HashMap<>();
  private final List<Long> restoredIds = new ArrayList<>();
  private TelemetrySnapshot prev;
  private long tick = Long.MIN_VALUE;
  private long samples;
  private long lastRestartTick = Long.MIN_VALUE;
  private long transitionCreditTick = Long.MIN_VALUE;
  private long lastConfigChangeTick = Long.MIN_VALUE;
  private PipelineConfig configBeforeLastChange;
  private long logErrorOnsetTick = Long.MIN_VALUE;
  private String notReadyNode;
  private long failedSinceCompleted;
  private long notReadyTick = Long.MIN_VALUE;

  public DetectorBank(RecoverySettings settings) {
    this.settings = settings;
    RecoverySettings.DetectorSettings d = settings.detector();
    for (Signal s : Signal.values()) {
      double floor = settings.floor(s);
      cusums.put(
          s,
          new Cusum(
              d.cusumK(), d.cusumH(), d.warmupTicks(), d.adaptRate(), d.minSigmaFraction(), floor));
      ewmas.put(
          s,
          new Ewma(
              d.ewmaLambda(),
              d.ewmaL(),
              d.warmupTicks(),
              d.adaptRate(),
              d.minSigmaFraction(),
              floor));
    }
    for (Counter c : Counter.values()) {
      events.put(c, new ArrayDeque<>());
    }
    for (Signal s : Signal.values()) {
      recentValues.put(s, new ArrayDeque<>());
    }
  }

  /**
   * Feeds one snapshot to every detector and history.
   *
   * @param s the snapshot (validated)
   * @param learn whether baselines may adapt (false while an incident is open, so the fault does
   *     not become the new normal)
   */
  public void update(TelemetrySnapshot s, boolean learn) {
    tick = s.tick();
    samples++;
    for (Signal sig : Signal.values()) {
      double v = sig.extract(s, prev);
      values.put(sig, v);
      Cusum.Alarm c = cusums.get(sig).update(v, learn);
      Ewma.Alarm e = ewmas.get(sig).update(v, learn);
      if (c != Cusum.Alarm.NONE || e != Ewma.Alarm.NONE) {
        lastAlarmTick.put(sig, tick);
        boolean up = c == Cusum.Alarm.UP || e == Ewma.Alarm.UP;
        lastAlarmDirection.put(sig, up ? "up" : "down");
      }
    }
    learnStreak = learn ? learnStreak + 1 : 0;
    rebaseSteadyShifts();
    recordCounters(s);
    recordHeap(s);
    recordOperators(s, learn);
    recordNodes(s);
    recordLogOnset();
    prev = s;
  }

  /**
   * Re-baselines every signal that kept alarming at a new steady level while no incident was open
   * (see {@code autopilot.recovery.detector.rebase-ticks}): over the last {@code rebase-ticks}
   * ticks, all learned, the values spread no wider than the signal's learned noise (standard
   * deviation at most sigma, least-squares rise over the window at most sigma), their mean is
   * further from the learned mean than the CUSUM reference value k (a shift the charts see), and
   * the signal alarmed within that window.
   */
  private void rebaseSteadyShifts() {
    int window = settings.detector().rebaseTicks();
    if (window == 0) {
      return;
    }
    for (Signal sig : Signal.values()) {
      Deque<Double> recent = recentValues.get(sig);
      recent.addLast(values.get(sig));
      while (recent.size() > window) {
        recent.removeFirst();
      }
      Cusum cusum = cusums.get(sig);
      if (recent.size() < window
          || learnStreak < window
          || !cusum.warmedUp()
          || !alarmedWithin(sig, window)) {
        continue;
      }
      double sigma = cusum.sigma();
      double[] fit = levelAndRise(recent);
      if (fit == null
          || fit[1] > sigma
          || Math.abs(fit[2]) > sigma
          || Math.abs(fit[0] - cusum.mean()) <= settings.detector().cusumK() * sigma) {
        continue;
      }
      cusum.rebase(fit[0]);
      ewmas.get(sig).rebase(fit[0]);
      lastRebaseTick.put(sig, tick);
      rebases++;
      recent.clear();
    }
  }

  /**
   * Mean, standard deviation and least-squares rise (slope times span) of a window of values; null
   * when any is not finite.
   */
  private static double[] levelAndRise(Deque<Double> values) {
    int n = values.size();
    double mean = 0;
    for (double v : values) {
      if (!Double.isFinite(v)) {
        return null;
      }
      mean += v;
    }
    mean /= n;
    double ss = 0;
    double sxy = 0;
    double sxx = 0;
    int i = 0;
    double mx = (n - 1) / 2.0;
    for (double v : values) {
      ss += (v - mean) * (v - mean);
      sxy += (i - mx) * (v - mean);
      sxx += (i - mx) * (i - mx);
      i++;
    }
    double sd = Math.sqrt(ss / Math.max(1, n - 1));
    double rise = sxx == 0 ? 0 : sxy / sxx * (n - 1);
    return new double[] {mean, sd, rise};
  }

  private void recordCounters(TelemetrySnapshot s) {
    long horizon =
        Math.max(
            settings.symptoms().eventHoldTicks(), settings.symptoms().restartLoopWindowTicks());
    if (prev != null) {
      add(Counter.TASK_FAILURES, tmDelta(s, Metric.TASKS_FAILED_TOTAL));
      add(Counter.OOM_KILLS, tmDelta(s, Metric.POD_OOM_KILLS_TOTAL));
      add(Counter.CLASSLOADING_ERRORS, tmDelta(s, Metric.CLASSLOADING_ERRORS));
      add(Counter.CHECKPOINT_FAILURES, values.get(Signal.CHECKPOINT_FAILURES));
      if (s.checkpoints().completedTotal() != prev.checkpoints().completedTotal()) {
        failedSinceCompleted = 0;
      }
      failedSinceCompleted += Math.round(values.get(Signal.CHECKPOINT_FAILURES));
      boolean enteredRestart = prev.job().state() == JobMetrics.JobState.RUNNING && !isRunning(s);
      double counted = values.get(Signal.RESTARTS);
      if (counted > 0 && transitionCreditTick == tick - 1) {
        // the restart counter caught up with a transition already counted on the previous tick
        counted -= 1;
      }
      double restarts = counted;
      transitionCreditTick = Long.MIN_VALUE;
      if (enteredRestart && counted <= 0) {
        restarts = 1;
        transitionCreditTick = tick;
      }
      if (restarts > 0) {
        add(Counter.RESTARTS, restarts);
        lastRestartTick = tick;
        restoredIds.add(s.checkpoints().lastRestoredCheckpointId());
        while (restoredIds.size() > 8) {
          restoredIds.remove(0);
        }
      }
      if (!prev.config().equals(s.config())) {
        lastConfigChangeTick = tick;
        configBeforeLastChange = prev.config();
      }
    }
    for (Deque<long[]> q : events.values()) {
      while (!q.isEmpty() && q.peekFirst()[0] <= tick - horizon) {
        q.removeFirst();
      }
    }
  }

  private static boolean isRunning(TelemetrySnapshot s) {
    return s.job().state() == JobMetrics.JobState.RUNNING;
  }

  private void add(Counter c, double amount) {
    if (amount > 0) {
      events.get(c).addLast(new long[] {tick, Math.round(Math.ceil(amount))});
    }
  }

  /**
   * Sum of positive per-TaskManager increments of a counter metric (TaskManagers in both ticks).
   */
  private double tmDelta(TelemetrySnapshot s, Metric m) {
    Map<String, Double> before = new HashMap<>();
    for (TaskManagerMetrics tm : prev.taskManagers()) {
      if (!tm.isAbsent(m)) {
        before.put(tm.taskManagerId(), tm.get(m));
      }
    }
    double sum = 0;
    for (TaskManagerMetrics tm : s.taskManagers()) {
      Double b = before.get(tm.taskManagerId());
      if (b != null && !tm.isAbsent(m)) {
        sum += Math.max(0, tm.get(m) - b);
      }
    }
    return sum;
  }

  private void recordHeap(TelemetrySnapshot s) {
    heapHistory.addLast(new double[] {tick, values.get(Signal.HEAP_USED_RATIO)});
    while (heapHistory.size() > settings.symptoms().heapSlopeWindowTicks()) {
      heapHistory.removeFirst();
    }
  }

  private void recordOperators(TelemetrySnapshot s, boolean learn) {
    double sourceIn = Math.max(1e-9, s.source().recordsInPerSecond());
    for (OperatorMetrics op : s.operators()) {
      OperatorBaseline b = operators.computeIfAbsent(op.operatorId(), id -> new OperatorBaseline());
      double share = op.recordsInPerSecond() / sourceIn;
      double selectivity =
          op.recordsInPerSecond() > 1e-9
              ? op.recordsOutPerSecond() / op.recordsInPerSecond()
              : Double.NaN;
      b.observe(
          share,
          selectivity,
          op.recordsInPerSecond(),
          settings.detector().warmupTicks(),
          learn ? settings.detector().adaptRate() : 0);
    }
  }

  private void recordNodes(TelemetrySnapshot s) {
    for (TaskManagerMetrics tm : s.taskManagers()) {
      if (!tm.isAbsent(Metric.NODE_READY) && tm.get(Metric.NODE_READY) < 0.5) {
        notReadyNode = tm.nodeId();
        notReadyTick = tick;
      }
    }
  }

  private void recordLogOnset() {
    boolean elevated = elevation(Signal.LOG_ERRORS) >= settings.symptoms().elevation().none();
    if (!elevated) {
      logErrorOnsetTick = Long.MIN_VALUE;
    } else if (logErrorOnsetTick == Long.MIN_VALUE) {
      logErrorOnsetTick = tick;
    }
  }

  // ------------------------------------------------------------------ queries

  /** The tick of the last update. */
  public long tick() {
    return tick;
  }

  /** Whether every detector has finished its warm-up. */
  public boolean warmedUp() {
    return samples >= settings.detector().warmupTicks();
  }

  /** The signal's value at the last update. */
  public double value(Signal s) {
    return values.getOrDefault(s, 0.0);
  }

  /** The signal's learned (pre-shift) level, from its EWMA chart. */
  public double baseline(Signal s) {
    return ewmas.get(s).mean();
  }

  /** Value over max(baseline, floor): 1 is normal, 10 is ten times the usual level. */
  public double elevation(Signal s) {
    return value(s) / Math.max(baseline(s), settings.floor(s));
  }

  /** Whether a CUSUM or EWMA alarm fired on the signal within the last {@code ticks} ticks. */
  public boolean alarmedWithin(Signal s, int ticks) {
    Long t = lastAlarmTick.get(s);
    return t != null && tick - t < ticks;
  }

  /** Whether the signal was re-baselined to a new steady level within the last {@code ticks}. */
  public boolean rebasedWithin(Signal s, int ticks) {
    Long t = lastRebaseTick.get(s);
    return t != null && tick - t < ticks;
  }

  /** Re-baselines so far (see {@code rebase-ticks}). */
  public long rebases() {
    return rebases;
  }

  /** Whether any detector alarmed within the last {@code ticks} ticks. */
  public boolean anyAlarmWithin(int ticks) {
    for (Signal s : Signal.values()) {
      if (alarmedWithin(s, ticks)) {
        return true;
      }
    }
    return false;
  }

  /** Human-readable list of the signals that alarmed recently, with direction. */
  public List<String> recentAlarms(int ticks) {
    List<String> out = new ArrayList<>();
    for (Signal s : Signal.values()) {
      if (alarmedWithin(s, ticks)) {
        out.add(s.name().toLowerCase() + " " + lastAlarmDirection.get(s));
      }
    }
    return out;
  }

  public Cusum cusum(Signal s) {
    return cusums.get(s);
  }

  public Ewma ewma(Signal s) {
    return ewmas.get(s);
  }

  /** Sum of a counter's increments within the last {@code ticks} ticks. */
  public long eventsWithin(Counter c, int ticks) {
    long sum = 0;
    for (long[] e : events.get(c)) {
      if (tick - e[0] < ticks) {
        sum += e[1];
      }
    }
    return sum;
  }

  /**
   * Checkpoints failed since the last one that completed (Flink's consecutive checkpoint failures).
   * A checkpoint that outlives its timeout fails only once per timeout, so the failures of a stuck
   * checkpoint are minutes apart; this count stays up until a checkpoint completes.
   */
  public long checkpointFailuresSinceCompleted() {
    return failedSinceCompleted;
  }

  /** Tick of the last job restart seen, or {@code Long.MIN_VALUE}. */
  public long lastRestartTick() {
    return lastRestartTick;
  }

  /** Tick of the last configuration change seen, or {@code Long.MIN_VALUE}. */
  public long lastConfigChangeTick() {
    return lastConfigChangeTick;
  }

  /** The configuration running before the last change seen, or null. */
  public PipelineConfig configBeforeLastChange() {
    return configBeforeLastChange;
  }

  /** First tick of the current run of elevated ERROR logs, or {@code Long.MIN_VALUE}. */
  public long logErrorOnsetTick() {
    return logErrorOnsetTick;
  }

  /** Whether the last two restarts restored the same checkpoint (a restore loop). */
  public boolean restoreRepeated() {
    int n = restoredIds.size();
    return n >= 2
        && restoredIds.get(n - 1) >= 0
        && restoredIds.get(n - 1).equals(restoredIds.get(n - 2));
  }

  /** Rise of the largest heap used ratio over the slope window (least-squares slope x span). */
  public double heapRise() {
    int n = heapHistory.size();
    if (n < settings.symptoms().heapSlopeMinSamples()) {
      return 0;
    }
    double mx = 0;
    double my = 0;
    for (double[] p : heapHistory) {
      mx += p[0];
      my += p[1];
    }
    mx /= n;
    my /= n;
    double sxy = 0;
    double sxx = 0;
    for (double[] p : heapHistory) {
      sxy += (p[0] - mx) * (p[1] - my);
      sxx += (p[0] - mx) * (p[0] - mx);
    }
    if (sxx == 0) {
      return 0;
    }
    double span = heapHistory.peekLast()[0] - heapHistory.peekFirst()[0];
    return sxy / sxx * span;
  }

  /** The node last seen NotReady, if within {@code node-memory-ticks}; else null. */
  public String suspectedNode() {
    return notReadyNode != null && tick - notReadyTick < settings.symptoms().nodeMemoryTicks()
        ? notReadyNode
        : null;
  }

  /** The operator's learned baseline, or null before it was seen. */
  public OperatorBaseline operator(String operatorId) {
    return operators.get(operatorId);
  }

  /** The previous snapshot before the last update's (null on the first). */
  public TelemetrySnapshot previous() {
    return prev;
  }

  /** Learned per-operator figures: input share of the source rate, selectivity, input rate. */
  public static final class OperatorBaseline {
    private long n;
    private double share;
    private double selectivity = Double.NaN;
    private double inRate;

    void observe(double s, double sel, double in, int warmup, double adaptRate) {
      if (n < warmup) {
        n++;
        share += (s - share) / n;
        inRate += (in - inRate) / n;
        if (!Double.isNaN(sel)) {
          selectivity = Double.isNaN(selectivity) ? sel : selectivity + (sel - selectivity) / n;
        }
        return;
      }
      if (adaptRate > 0) {
        share += adaptRate * (s - share);
        inRate += adaptRate * (in - inRate);
        if (!Double.isNaN(sel)) {
          selectivity =
              Double.isNaN(selectivity) ? sel : selectivity + adaptRate * (sel - selectivity);
        }
      }
    }

    public double share() {
      return share;
    }

    public double selectivity() {
      return selectivity;
    }

    public double inRate() {
      return inRate;
    }

    public long samples() {
      return n;
    }
  }
}
