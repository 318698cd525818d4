package dev.autopilot.agents.optimization.rl;

import dev.autopilot.api.PipelineConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scales the PPO actor's 8 outputs (each in [-1, 1]) into a whole target {@link PipelineConfig}
 * (DESIGN.md §3):
 *
 * <table>
 *   <caption>The 8 action dimensions</caption>
 *   <tr><th>index</th><th>meaning</th><th>range</th><th>quantisation, dead band</th></tr>
 *   <tr><td>0–3</td><td>parallelism residual of key operator k0..k3 on top of its rate-based
 *       required parallelism</td><td>±{@code parallelismDelta} (5)</td><td>rounded to a whole
 *       subtask</td></tr>
 *   <tr><td>4</td><td>network buffer factor on the current size</td><td>×0.8–1.2</td><td>rounded
 *       to 4 MB</td></tr>
 *   <tr><td>5</td><td>checkpoint interval</td><td>5–60 s</td><td>rounded to 5 s</td></tr>
 *   <tr><td>6</td><td>TaskManager memory</td><td>4–16 GB</td><td>rounded to 2 GB</td></tr>
 *   <tr><td>7</td><td>TaskManager CPU</td><td>2–8 cores</td><td>whole cores</td></tr>
 * </table>
 *
 * <p><b>Resources relative to the current value.</b> Dimensions 4–7 keep the current value within
 * the dead band {@code |a| ≤ resourceDeadBand} (0.25); beyond it, +1 reaches the upper end of the
 * range and −1 the lower end, linearly from the current value (so the whole range stays
 * reachable). A first design mapped the ranges absolutely (a = 0 meaning 5 cores, 10 GB, 32 s):
 * every exploratory sample then reshaped the TaskManagers, each a restart, and 150 PPO iterations
 * ended with 22 % SLA-violating ticks against DS2's 1.4 %.
 *
 * <p><b>Residual parallelism.</b> The parallelism outputs are residuals on top of the rate-based
 * (DS2) required parallelism that the {@link StateEncoder} computes, not deltas on the current
 * parallelism: ±5 subtasks a minute from the current parallelism cannot follow a ×5 surge (32 → 160
 * subtasks would take half an hour), while the residual lets the policy learn the margin the rate
 * rule lacks (more before a surge, less in a trough, none where the rate rule over-sizes) from a
 * sound starting point (action 0 = the rate rule). Operators outside the 4 key ones follow their
 * required parallelism. Every operator is clamped to the tested range (at least the
 * admission-control floor of 4).
 *
 * <p><b>Keeping the configuration.</b> Every rescale is a restart from checkpoint, so parallelism
 * changes only when some key operator's target leaves the dead band around its current parallelism
 * ({@code max(parallelismDeadBandMin, parallelismDeadBand · current)}) or some other operator needs
 * more than the dead band above its current parallelism; then every operator moves to its target in
 * that one restart, otherwise every parallelism is kept. The resources keep their current value
 * within their dead bands. So "keep the configuration" is reachable from any state whose required
 * parallelism is within the residual range of the current one. While the job is not RUNNING
 * (restarting, failing), and within {@code minChangeInterval} (5 min) of the last change, the
 * action keeps the running configuration: rates are not measured then, and a second restart only
 * prolongs the outage (the first probe without this rule restarted the job every other minute: the
 * catch-up after each restart inflates the required rate). A rescale that only lowers parallelism
 * also waits until the configuration is {@code scaleDownInterval} (60 min) old.
 *
 * <p>TaskManagers are {@code ceil(max parallelism / slotsPerTaskManager)} after a rescale (kept
 * while the parallelism is kept and they suffice), within the tested range. Pure; immutable.
 */
public final class ActionSpace {

  /** Length of an action vector. */
  public static final int SIZE = 8;

  /** Name and version of the action layout, stored with every trained policy. */
  public static final String SCHEMA = "optimization-action/2";

  /** Action index of the buffer factor. */
  public static final int BUFFER = 4;

  /** Action index of the checkpoint interval. */
  public static final int CHECKPOINT = 5;

  /** Action index of the TaskManager memory. */
  public static final int MEMORY = 6;

  /** Action index of the TaskManager CPU. */
  public static final int CPU = 7;

  private final RlSettings settings;

  public ActionSpace(RlSettings settings) {
    this.settings = settings;
  }

  public RlSettings settings() {
    return settings;
  }

  /**
   * The target configuration of an action.
   *
   * @param observation the encoder's observation of the decision tick (current configuration and
   *     required parallelism)
   * @param action {@link #SIZE} values; clamped to [-1, 1], NaN read as 0
   * @return the target, equal to the current configuration when the action keeps it
   */
  public PipelineConfig target(StateEncoder.Observation observation, double[] action) {
    if (action == null || action.length != SIZE) {
      throw new IllegalArgumentException(
          "an action has " + SIZE + " values, got " + (action == null ? "null" : action.length));
    }
    PipelineConfig current = observation.config();
    if (!observation.running()
        || observation.secondsSinceChange() < settings.minChangeIntervalSeconds()) {
      return current;
    }
    double[] a = new double[SIZE];
    for (int i = 0; i < SIZE; i++) {
      a[i] = Double.isNaN(action[i]) ? 0 : Math.max(-1, Math.min(1, action[i]));
    }
    Map<String, Integer> parallelism = parallelism(observation, a);
    int slots = current.slotsPerTaskManager();
    int maxP = parallelism.values().stream().mapToInt(Integer::intValue).max().orElse(1);
    int needed = (maxP + slots - 1) / slots;
    // a kept parallelism keeps its TaskManagers (when they suffice): changing the count restarts
    int tms =
        parallelism.equals(current.parallelism()) && current.taskManagers() >= needed
            ? current.taskManagers()
            : needed;
    tms = Math.max(settings.minTaskManagers(), Math.min(settings.maxTaskManagers(), tms));
    return new PipelineConfig(
        parallelism,
        buffer(current.networkBufferMb(), a[BUFFER]),
        (int)
            Math.round(
                resource(
                    current.checkpointIntervalSeconds(),
                    a[CHECKPOINT],
                    settings.checkpointMinSeconds(),
                    settings.checkpointMaxSeconds(),
                    settings.checkpointStepSeconds())),
        tms,
        resource(current.taskManagerCpu(), a[CPU], settings.cpuMin(), settings.cpuMax(), 1),
        resource(
            current.taskManagerMemoryGb(),
            a[MEMORY],
            settings.memoryMinGb(),
            settings.memoryMaxGb(),
            settings.memoryStepGb()),
        slots);
  }

  /**
   * The action that keeps a configuration, as far as the residual range reaches: the parallelism
   * residuals that point at the running parallelism, 0 for the resources.
   */
  public double[] keep(StateEncoder.Observation observation) {
    double[] a = new double[SIZE];
    List<String> keys = settings.keyOperators();
    PipelineConfig c = observation.config();
    for (int k = 0; k < keys.size(); k++) {
      Integer p = c.parallelism().get(keys.get(k));
      Integer r = observation.required().get(keys.get(k));
      if (p != null && r != null) {
        a[k] = Math.max(-1, Math.min(1, (p - r) / (double) settings.parallelismDelta()));
      }
    }
    return a;
  }

  private Map<String, Integer> parallelism(StateEncoder.Observation o, double[] a) {
    PipelineConfig current = o.config();
    List<String> keys = settings.keyOperators();
    Map<String, Integer> target = new LinkedHashMap<>();
    boolean rescale = false;
    for (Map.Entry<String, Integer> e : current.parallelism().entrySet()) {
      String op = e.getKey();
      int now = e.getValue();
      int required = o.required().getOrDefault(op, now);
      int k = keys.indexOf(op);
      int next =
          clampParallelism(
              k >= 0 ? required + (int) Math.round(settings.parallelismDelta() * a[k]) : required);
      target.put(op, next);
      int band =
          Math.max(
              settings.parallelismDeadBandMin(),
              (int) Math.ceil(settings.parallelismDeadBand() * now));
      if (k >= 0 ? Math.abs(next - now) > band : next - now > band) {
        rescale = true;
      }
      if (now < settings.minParallelism() || now > settings.maxParallelism()) {
        rescale = true; // outside the tested range: always brought back into it
      }
    }
    if (rescale && o.secondsSinceChange() < settings.scaleDownIntervalSeconds()) {
      boolean up = false;
      for (Map.Entry<String, Integer> e : target.entrySet()) {
        up |= e.getValue() > current.parallelism().get(e.getKey());
      }
      rescale = up; // a pure scale-down waits for the scale-down interval
    }
    return rescale ? target : new LinkedHashMap<>(current.parallelism());
  }

  private int buffer(int currentMb, double a) {
    double x = beyondDeadBand(a);
    boolean inRange = currentMb >= settings.minBufferMb() && currentMb <= settings.maxBufferMb();
    if (x == 0 && inRange) {
      return currentMb;
    }
    double factor =
        x >= 0
            ? 1 + x * (settings.bufferFactorMax() - 1)
            : 1 + x * (1 - settings.bufferFactorMin());
    int step = settings.bufferStepMb();
    int mb = (int) Math.round(currentMb * factor / step) * step;
    return Math.max(settings.minBufferMb(), Math.min(settings.maxBufferMb(), mb));
  }

  /**
   * A resource relative to its current value: 0 (within the dead band) keeps it, +1 gives the
   * upper end of the range, -1 the lower end, linearly in between; quantised and clamped.
   */
  private double resource(double current, double a, double min, double max, double step) {
    double x = beyondDeadBand(a);
    boolean inRange = current >= min && current <= max;
    if (x == 0 && inRange) {
      return current;
    }
    double from = Math.max(min, Math.min(max, current));
    double raw = x >= 0 ? from + x * (max - from) : from + x * (from - min);
    double q = Math.round(raw / step) * step;
    return Math.max(min, Math.min(max, q));
  }

  /** The action beyond the resource dead band, rescaled to [-1, 1] (0 inside the band). */
  private double beyondDeadBand(double a) {
    double band = settings.resourceDeadBand();
    double m = Math.abs(a);
    return m <= band ? 0 : Math.signum(a) * (m - band) / (1 - band);
  }

  private int clampParallelism(int p) {
    return Math.max(settings.minParallelism(), Math.min(settings.maxParallelism(), p));
  }
}
