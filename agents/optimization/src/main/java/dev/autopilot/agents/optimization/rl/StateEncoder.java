package dev.autopilot.agents.optimization.rl;

import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.Metric;
import dev.autopilot.api.OperatorMetrics;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TaskManagerMetrics;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.estimate.EffectModel;
import dev.autopilot.api.estimate.LoadEstimator;
import dev.autopilot.api.estimate.LoadEstimator.Estimate;
import dev.autopilot.api.estimate.LoadEstimator.OperatorRate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes one pipeline's telemetry into the PPO policy's 45-dimensional state (DESIGN.md §3), and
 * computes the rate-based (DS2) required parallelism that the {@link ActionSpace} adds its
 * residuals to.
 *
 * <p>Feed it every tick's snapshot ({@link #observe}); the policy reads the state of its decision
 * ticks only. It keeps a small trailing window: the last {@value #WINDOW} ticks of demand, p99 and
 * consumer lag (for the trend slopes), the event times of the last configuration changes, and the
 * smoothed per-subtask true rates of a {@link LoadEstimator}. All of it refills from telemetry, so
 * a restarted agent needs {@value #WINDOW} ticks to see trends again. Not thread-safe.
 *
 * <p>Every feature is scaled to O(1) and clamped; a metric that is absent (a TaskManager lists it
 * as absent, no TaskManager reports, an operator is missing, a rate was never measured) gives the
 * neutral value in the table, never NaN. {@code T} is the SLA throughput target, {@code B} the SLA
 * p99 bound, {@code demand} the {@link LoadEstimator} offered load, {@code k0..k3} the key
 * operators of {@link RlSettings#keyOperators()} in order.
 *
 * <table>
 *   <caption>The 45 features</caption>
 *   <tr><th>index</th><th>feature</th><th>scaling</th><th>neutral</th></tr>
 *   <tr><td>0</td><td>demand against the SLA target</td><td>demand / T, ≤ 10</td><td>-</td></tr>
 *   <tr><td>1</td><td>demand trend: least-squares change over the window</td>
 *       <td>Δ / T, ±5</td><td>0 (fewer than 2 ticks)</td></tr>
 *   <tr><td>2</td><td>throughput (source consumption)</td><td>/ T, ≤ 10</td><td>-</td></tr>
 *   <tr><td>3</td><td>throughput achievement: throughput / min(T, demand)</td><td>[0, 2]</td>
 *       <td>1 (no demand)</td></tr>
 *   <tr><td>4</td><td>p99 latency against the bound</td><td>p99 / B, ≤ 10</td><td>-</td></tr>
 *   <tr><td>5</td><td>p99 trend over the window</td><td>Δ / B, ±5</td><td>0</td></tr>
 *   <tr><td>6</td><td>consumer lag, minutes of SLA target rate</td>
 *       <td>log1p(lag / 60 T)</td><td>-</td></tr>
 *   <tr><td>7</td><td>lag trend over the window, minutes of T</td>
 *       <td>sign · log1p(|Δ| / 60 T)</td><td>0</td></tr>
 *   <tr><td>8</td><td>job running</td><td>1 / 0</td><td>-</td></tr>
 *   <tr><td>9</td><td>rate-based capacity (bottleneck, source-equivalent)</td><td>/ T, ≤ 10</td>
 *       <td>0 (unknown)</td></tr>
 *   <tr><td>10</td><td>utilisation: (demand + lag / catch-up) / capacity</td><td>≤ 3</td>
 *       <td>target utilisation (capacity unknown)</td></tr>
 *   <tr><td>11</td><td>mean TaskManager CPU load</td><td>0–1</td><td>0.5</td></tr>
 *   <tr><td>12</td><td>max TaskManager CPU load</td><td>0–1</td><td>0.5</td></tr>
 *   <tr><td>13</td><td>mean heap used ratio</td><td>0–1</td><td>0.5</td></tr>
 *   <tr><td>14</td><td>mean GC time ratio</td><td>0–1</td><td>0</td></tr>
 *   <tr><td>15</td><td>mean input buffer pool usage</td><td>0–1</td><td>0</td></tr>
 *   <tr><td>16–19</td><td>busy ratio of k0..k3</td><td>0–1</td><td>0</td></tr>
 *   <tr><td>20–23</td><td>backpressured ratio of k0..k3</td><td>0–1</td><td>0</td></tr>
 *   <tr><td>24–27</td><td>parallelism of k0..k3</td><td>/ 64</td><td>0</td></tr>
 *   <tr><td>28–31</td><td>rate-based required parallelism of k0..k3 relative to the current:
 *       (required − current) / current</td><td>[−1, 3]</td><td>0 (rate unknown)</td></tr>
 *   <tr><td>32</td><td>the same, largest over the other operators</td><td>[−1, 3]</td>
 *       <td>0</td></tr>
 *   <tr><td>33</td><td>network buffer per TaskManager</td><td>MB / 64</td><td>-</td></tr>
 *   <tr><td>34</td><td>checkpoint interval</td><td>s / 60</td><td>-</td></tr>
 *   <tr><td>35</td><td>last checkpoint duration over the interval</td><td>≤ 2</td><td>-</td></tr>
 *   <tr><td>36</td><td>TaskManager CPU</td><td>cores / 8</td><td>-</td></tr>
 *   <tr><td>37</td><td>TaskManager memory</td><td>GB / 16</td><td>-</td></tr>
 *   <tr><td>38</td><td>TaskManager count</td><td>/ 64</td><td>-</td></tr>
 *   <tr><td>39</td><td>weekend (Saturday, Sunday, UTC)</td><td>1 / 0</td><td>-</td></tr>
 *   <tr><td>40</td><td>time of day, sine</td><td>sin(2π h / 24)</td><td>-</td></tr>
 *   <tr><td>41</td><td>time of day, cosine</td><td>cos(2π h / 24)</td><td>-</td></tr>
 *   <tr><td>42</td><td>month-end (last 3 days of the calendar month, UTC)</td><td>1 / 0</td>
 *       <td>-</td></tr>
 *   <tr><td>43</td><td>configuration changes in the last minute of event time</td>
 *       <td>count / 3, ≤ 1</td><td>0</td></tr>
 *   <tr><td>44</td><td>time since the last configuration change</td><td>minutes / 60, ≤ 1</td>
 *       <td>1 (none seen)</td></tr>
 * </table>
 *
 * <p>The rate-based required parallelism is the DS2 rule of {@code policy.Ds2Controller} without
 * its hysteresis: per operator {@code ceil(targetRate / (rate · targetUtilisation))} with {@code
 * targetRate = (demand + lag / catchUp) · inputRatio + pending / catchUp}, never below the
 * TaskManagers' CPU load scaled to the target rate ({@code current · cpuAtTarget /
 * targetUtilisation}, while the job processes at least half its demand), clamped to the tested
 * parallelism range; the current parallelism when the operator's rate was never measured.
 */
public final class StateEncoder {

  /** Length of the state vector. */
  public static final int SIZE = 45;

  /** Name and version of the state layout, stored with every trained policy. */
  public static final String SCHEMA = "optimization-state/1";

  /** Ticks of the trailing trend window (5 minutes at 10 s ticks). */
  public static final int WINDOW = 30;

  /** Feature index: demand / T. */
  public static final int DEMAND = 0;

  /** Feature index: throughput achievement. */
  public static final int ACHIEVEMENT = 3;

  /** Feature index: p99 / bound. */
  public static final int P99 = 4;

  /** Feature index: lag in minutes of T, log1p. */
  public static final int LAG = 6;

  /** Feature index: utilisation against the rate-based capacity. */
  public static final int UTILISATION = 10;

  /** Feature index: mean CPU load. */
  public static final int CPU = 11;

  /** Feature index: first key operator's busy ratio. */
  public static final int BUSY = 16;

  /** Feature index: first key operator's parallelism / 64. */
  public static final int PARALLELISM = 24;

  /** Feature index: first key operator's required parallelism gap. */
  public static final int REQUIRED_GAP = 28;

  /** Feature index: configuration changes in the last minute / 3. */
  public static final int CHANGES = 43;

  /** Feature index: minutes since the last configuration change / 60. */
  public static final int SINCE_CHANGE = 44;

  private static final double NEUTRAL_LOAD = 0.5;
  private static final long MINUTE_MILLIS = 60_000L;

  /**
   * What the encoder made of one snapshot.
   *
   * @param tick the snapshot's tick
   * @param features the 45 features
   * @param config the configuration the pipeline runs
   * @param required rate-based required parallelism of every operator, in job-graph order
   * @param running whether the job is RUNNING
   * @param demand estimated offered load, events/s
   * @param capacity rate-based capacity, source-equivalent events/s (0 unknown)
   * @param changesLastMinute configuration changes in the last minute of event time
   * @param secondsSinceChange event time since the last configuration change seen, seconds ({@code
   *     Double.POSITIVE_INFINITY} when none was seen)
   */
  public record Observation(
      long tick,
      double[] features,
      PipelineConfig config,
      Map<String, Integer> required,
      boolean running,
      double demand,
      double capacity,
      int changesLastMinute,
      double secondsSinceChange) {

    public Observation {
      features = features.clone();
      required = Collections.unmodifiableMap(new LinkedHashMap<>(required));
    }

    @Override
    public double[] features() {
      return features.clone();
    }
  }

  private final RlSettings settings;
  private final LoadEstimator estimator;
  private final Map<String, Double> rates = new HashMap<>();
  private final Deque<double[]> window = new ArrayDeque<>(); // {demand, p99, lag}
  private final Deque<Long> changes = new ArrayDeque<>(); // event times of config changes
  private PipelineConfig lastConfig;
  private long lastChangeMillis = Long.MIN_VALUE;

  public StateEncoder(RlSettings settings) {
    this.settings = settings;
    this.estimator = new LoadEstimator(settings.minBusyRatio());
  }

  /**
   * Takes in one validated snapshot (ticks strictly increasing) and encodes it.
   *
   * @throws IllegalArgumentException for a tick not after the last one
   */
  public Observation observe(TelemetrySnapshot s, SlaSpec sla) {
    Estimate e = estimator.update(s);
    for (OperatorRate op : e.operators()) {
      if (op.measured()) {
        rates.merge(
            op.operatorId(),
            op.ratePerSubtask(),
            (old, x) -> old + settings.rateSmoothing() * (x - old));
      }
    }
    long now = s.eventTimeMillis();
    if (lastConfig != null && !lastConfig.equals(s.config())) {
      changes.addLast(now);
      lastChangeMillis = now;
    }
    lastConfig = s.config();
    while (!changes.isEmpty() && changes.peekFirst() <= now - MINUTE_MILLIS) {
      changes.removeFirst();
    }
    JobMetrics job = s.job();
    window.addLast(new double[] {e.demand(), job.latencyP99Ms(), job.consumerLag()});
    while (window.size() > WINDOW) {
      window.removeFirst();
    }

    double t = sla.throughputTarget();
    double bound = sla.latencyP99BoundMs();
    double[] f = new double[SIZE];
    f[0] = clamp(e.demand() / t, 0, 10);
    f[1] = clamp(slope(0) / t, -5, 5);
    f[2] = clamp(job.throughputPerSecond() / t, 0, 10);
    double owed = sla.requiredThroughput(e.demand());
    f[3] = owed > 0 ? clamp(job.throughputPerSecond() / owed, 0, 2) : 1;
    f[4] = clamp(job.latencyP99Ms() / bound, 0, 10);
    f[5] = clamp(slope(1) / bound, -5, 5);
    f[6] = Math.log1p(Math.max(0, job.consumerLag()) / (60 * t));
    double lagChange = slope(2) / (60 * t);
    f[7] = Math.signum(lagChange) * Math.log1p(Math.abs(lagChange));
    boolean running = job.state() == JobMetrics.JobState.RUNNING;
    f[8] = running ? 1 : 0;
    double targetSource = e.demand() + e.consumerLag() / settings.catchUpSeconds();
    f[9] = e.capacityKnown() ? clamp(e.capacity() / t, 0, 10) : 0;
    f[10] =
        e.capacityKnown() ? clamp(targetSource / e.capacity(), 0, 3) : settings.targetUtilisation();
    double cpu = mean(s, Metric.CPU_LOAD, NEUTRAL_LOAD);
    f[11] = clamp(cpu, 0, 1);
    f[12] = clamp(max(s, Metric.CPU_LOAD, NEUTRAL_LOAD), 0, 1);
    f[13] = clamp(mean(s, Metric.HEAP_USED_RATIO, NEUTRAL_LOAD), 0, 1);
    f[14] = clamp(mean(s, Metric.GC_TIME_RATIO, 0), 0, 1);
    f[15] = clamp(mean(s, Metric.IN_POOL_USAGE, 0), 0, 1);

    Map<String, Integer> required = required(s, e, targetSource, cpu);
    List<String> keys = settings.keyOperators();
    double otherGap = 0;
    for (OperatorMetrics op : s.operators()) {
      int k = keys.indexOf(op.operatorId());
      double gap = clamp(gap(op.parallelism(), required.get(op.operatorId())), -1, 3);
      if (k < 0) {
        otherGap = Math.max(otherGap, gap);
        continue;
      }
      f[16 + k] = clamp(op.busyRatio(), 0, 1);
      f[20 + k] = clamp(op.backPressuredRatio(), 0, 1);
      f[24 + k] = op.parallelism() / 64.0;
      f[28 + k] = gap;
    }
    f[32] = otherGap;
    PipelineConfig c = s.config();
    f[33] = c.networkBufferMb() / 64.0;
    f[34] = c.checkpointIntervalSeconds() / 60.0;
    f[35] =
        c.checkpointIntervalSeconds() > 0
            ? clamp(
                s.checkpoints().lastDurationMs() / (c.checkpointIntervalSeconds() * 1000.0), 0, 2)
            : 0;
    f[36] = c.taskManagerCpu() / 8.0;
    f[37] = c.taskManagerMemoryGb() / 16.0;
    f[38] = c.taskManagers() / 64.0;
    ZonedDateTime time = Instant.ofEpochMilli(now).atZone(ZoneOffset.UTC);
    int dow = time.getDayOfWeek().getValue();
    f[39] = dow >= 6 ? 1 : 0;
    double hour = time.getHour() + time.getMinute() / 60.0 + time.getSecond() / 3600.0;
    f[40] = Math.sin(2 * Math.PI * hour / 24);
    f[41] = Math.cos(2 * Math.PI * hour / 24);
    f[42] = time.getDayOfMonth() > time.toLocalDate().lengthOfMonth() - 3 ? 1 : 0;
    f[43] = Math.min(1, changes.size() / 3.0);
    f[44] =
        lastChangeMillis == Long.MIN_VALUE
            ? 1
            : clamp((now - lastChangeMillis) / (60.0 * MINUTE_MILLIS), 0, 1);
    for (int i = 0; i < SIZE; i++) {
      if (!Double.isFinite(f[i])) {
        f[i] = 0; // defensive: a non-finite input never reaches the network
      }
    }
    double since =
        lastChangeMillis == Long.MIN_VALUE
            ? Double.POSITIVE_INFINITY
            : (now - lastChangeMillis) / 1000.0;
    return new Observation(
        s.tick(), f, c, required, running, e.demand(), e.capacity(), changes.size(), since);
  }

  /** Rate-based required parallelism of every operator (see the class comment). */
  private Map<String, Integer> required(
      TelemetrySnapshot s, Estimate e, double targetSource, double cpu) {
    double throughput = s.job().throughputPerSecond();
    boolean cpuUsable = cpu > 0 && throughput > 0 && throughput >= 0.5 * e.demand() && hasCpu(s);
    double cpuAtTarget = cpuUsable ? cpu * targetSource / throughput : 0;
    Map<String, Integer> out = new LinkedHashMap<>();
    for (int i = 0; i < e.operators().size(); i++) {
      OperatorRate op = e.operators().get(i);
      OperatorMetrics m = s.operators().get(i);
      int current = op.parallelism();
      Double rate = rates.get(op.operatorId());
      if (rate == null || rate <= 0 || op.inputRatio() <= 0) {
        out.put(op.operatorId(), clampParallelism(current));
        continue;
      }
      double pending = i == 0 ? 0 : m.pendingRecords() / settings.catchUpSeconds();
      double targetRate = targetSource * op.inputRatio() + pending;
      int byRate = EffectModel.ceilTolerant(targetRate / (rate * settings.targetUtilisation()));
      int byCpu = EffectModel.ceilTolerant(current * cpuAtTarget / settings.targetUtilisation());
      out.put(op.operatorId(), clampParallelism(Math.max(byRate, byCpu)));
    }
    return out;
  }

  private int clampParallelism(int p) {
    return Math.max(settings.minParallelism(), Math.min(settings.maxParallelism(), p));
  }

  private static double gap(int current, Integer required) {
    if (required == null || current <= 0) {
      return 0;
    }
    return (required - current) / (double) current;
  }

  /** Least-squares change over the window of one column (slope times the window span). */
  private double slope(int column) {
    int n = window.size();
    if (n < 2) {
      return 0;
    }
    double meanX = (n - 1) / 2.0;
    double meanY = 0;
    for (double[] row : window) {
      meanY += row[column];
    }
    meanY /= n;
    double sxy = 0;
    double sxx = 0;
    int x = 0;
    for (double[] row : window) {
      sxy += (x - meanX) * (row[column] - meanY);
      sxx += (x - meanX) * (x - meanX);
      x++;
    }
    return sxy / sxx * (n - 1);
  }

  private static boolean hasCpu(TelemetrySnapshot s) {
    for (TaskManagerMetrics tm : s.taskManagers()) {
      if (!tm.isAbsent(Metric.CPU_LOAD)) {
        return true;
      }
    }
    return false;
  }

  private static double mean(TelemetrySnapshot s, Metric m, double neutral) {
    double sum = 0;
    int n = 0;
    for (TaskManagerMetrics tm : s.taskManagers()) {
      if (!tm.isAbsent(m)) {
        sum += tm.get(m);
        n++;
      }
    }
    return n == 0 ? neutral : sum / n;
  }

  private static double max(TelemetrySnapshot s, Metric m, double neutral) {
    double max = Double.NEGATIVE_INFINITY;
    for (TaskManagerMetrics tm : s.taskManagers()) {
      if (!tm.isAbsent(m)) {
        max = Math.max(max, tm.get(m));
      }
    }
    return max == Double.NEGATIVE_INFINITY ? neutral : max;
  }

  private static double clamp(double x, double lo, double hi) {
    if (Double.isNaN(x)) {
      return lo;
    }
    return Math.max(lo, Math.min(hi, x));
  }
}
