package dev.autopilot.runtime.train;

import dev.autopilot.agents.recovery.detect.SnapshotFeatures;
import dev.autopilot.api.FailureMode;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.runtime.bench.ProgressListener;
import dev.autopilot.api.Action;
import dev.autopilot.api.OperatorMetrics;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.PlatformException;
import dev.autopilot.runtime.run.FixPlanner;
import dev.autopilot.runtime.sim.Fault;
import dev.autopilot.runtime.sim.FaultSchedule;
import dev.autopilot.runtime.sim.GeneratedWorkload;
import dev.autopilot.runtime.sim.Scenario;
import dev.autopilot.runtime.sim.SimSettings;
import dev.autopilot.runtime.sim.SimulatedPlatform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Labelled simulator telemetry for the detectors. One episode is one simulated day of one pipeline
 * with one fault, of a random mode, injected at a random time after the first hour; the episode
 * stops {@code faultTicks} after the injection. Every tick is turned into {@link SnapshotFeatures}
 * and labelled faulty when the ground truth has an active fault.
 *
 * <p>So that "normal" looks like normal operation inside the control loop, the day is cut from
 * {@value #WORKLOAD_DAYS} days of the generated workload (biased towards days with a special-event
 * surge or a month-end), and during the normal stretch configuration changes of the kinds the
 * agents make are applied at random times (exponential gaps, mean {@value #MEAN_CHANGE_GAP_TICKS}
 * ticks): DS2-like rescales towards a random target utilisation with TaskManagers to fit,
 * TaskManager count changes, checkpoint interval and network buffer changes, full restarts. Their
 * restart transients are labelled normal (no fault is active). The fault is then repaired as in
 * the loop: a short random delay after the injection the fault catalogue's fixes ({@link
 * FixPlanner}) are applied in turn until it resolves, so each episode ends with a fault stretch and
 * a post-recovery stretch (restarts, lag catch-up) that the ground truth labels normal again.
 */
final class DetectorData {

  /**
   * One episode.
   *
   * @param seed scenario seed
   * @param mode the injected fault's mode
   * @param faultTick the planned injection tick
   * @param features one feature vector per tick from 0
   * @param faulty whether a fault was active at the tick
   */
  record Episode(
      long seed, FailureMode mode, long faultTick, float[][] features, boolean[] faulty) {

    int length() {
      return features.length;
    }

    /**
     * Whether a tick is settled normal: no fault active at it or in the {@value
     * #RESOLUTION_GRACE_TICKS} ticks before it (the recovery transient right after a resolution is
     * neither taught as normal nor as faulty).
     */
    boolean[] settledNormal() {
      boolean[] out = new boolean[faulty.length];
      int since = Integer.MAX_VALUE / 2;
      for (int t = 0; t < faulty.length; t++) {
        since = faulty[t] ? 0 : since + 1;
        out[t] = !faulty[t] && since > RESOLUTION_GRACE_TICKS;
      }
      return out;
    }

    /** Number of ticks before the first faulty tick (the whole episode when none). */
    int normalPrefix() {
      for (int t = 0; t < faulty.length; t++) {
        if (faulty[t]) {
          return t;
        }
      }
      return faulty.length;
    }
  }

  private DetectorData() {}

  /**
   * Generates {@code count} episodes with seeds derived from {@code seed}.
   *
   * @param faultTicks ticks simulated after the injection
   */
  static List<Episode> episodes(
      SimSettings settings, long seed, int count, int faultTicks, ProgressListener progress) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long day = settings.ticksPerDay();
    long earliest = Math.min(day / 4, 3600 / settings.tickSeconds());
    FailureMode[] modes = FailureMode.values();
    List<Episode> out = new ArrayList<>();
    List<FailureMode> bag = new ArrayList<>();
    for (int e = 0; e < count; e++) {
      if (bag.isEmpty()) { // every mode once before any repeats
        bag.addAll(List.of(modes));
        java.util.Collections.shuffle(bag, new java.util.Random(rnd.nextLong()));
      }
      long episodeSeed = rnd.nextLong();
      FailureMode mode = bag.remove(bag.size() - 1);
      long faultTick = earliest + rnd.nextLong(Math.max(1, day - faultTicks - 1 - earliest));
      out.add(episode(settings, episodeSeed, mode, faultTick, faultTicks));
      progress.onProgress(e + 1, count);
    }
    return out;
  }

  /** Days of generated workload an episode's day is drawn from (so surges and month-ends occur). */
  static final int WORKLOAD_DAYS = 35;

  /** Mean ticks between two configuration changes during normal operation (1 h). */
  static final int MEAN_CHANGE_GAP_TICKS = 360;

  /** Ticks after a fault's resolution that are not used as normal training data. */
  static final int RESOLUTION_GRACE_TICKS = 30;

  /** Shortest delay from a fault's injection to its first fix, ticks. */
  static final int FIX_DELAY_MIN = 6;

  /** Spread of that delay, ticks (uniform). */
  static final int FIX_DELAY_SPREAD = 25;

  /** Ticks before the next fix when a fault outlives one. */
  static final int FIX_RETRY_TICKS = 40;

  /** Kinds of configuration change applied during normal stretches. */
  enum ChangeKind {
    /** DS2-like rescale of every operator towards a target utilisation, TaskManagers to fit. */
    RESCALE,
    /** One or two TaskManagers more or fewer (never below the slots the job needs). */
    TASK_MANAGERS,
    /** Another checkpoint interval (no restart). */
    CHECKPOINT_INTERVAL,
    /** Another network buffer size (restart). */
    NETWORK_BUFFERS,
    /** A full restart with the running configuration. */
    RESTART
  }

  /** One configuration change made during an episode, at a tick. */
  record Change(long tick, ChangeKind kind) {}

  static Episode episode(
      SimSettings settings, long seed, FailureMode mode, long faultTick, int faultTicks) {
    return episode(settings, seed, mode, faultTick, faultTicks, true, new ArrayList<>());
  }

  /**
   * One episode: a day of the generated workload (drawn from {@value #WORKLOAD_DAYS} days, biased
   * towards special events and month-ends), with, when {@code changes} is on, configuration
   * changes of the kinds the agents make at random times before the fault (their transients are
   * labelled normal: the label is the ground truth's active faults).
   *
   * @param applied receives the changes that were applied
   */
  static Episode episode(
      SimSettings settings,
      long seed,
      FailureMode mode,
      long faultTick,
      int faultTicks,
      boolean changes,
      List<Change> applied) {
    SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
    long day = settings.ticksPerDay();
    GeneratedWorkload long35 =
        new GeneratedWorkload(
            settings.workload(),
            seed,
            WORKLOAD_DAYS * day,
            settings.tickSeconds(),
            settings.startEpochMillis());
    long offset = workloadOffset(long35, day, rnd);
    Scenario base = Scenario.defaultScenario(settings, seed, 1, 1, 0);
    FaultSchedule faults =
        mode == null
            ? new FaultSchedule(List.of())
            : new FaultSchedule(
                List.of(new FaultSchedule.PlannedFault("f-1", faultTick, "p1", mode, null, false)));
    Scenario scenario =
        base.withWorkload(t -> long35.offeredRate(t + offset)).withFaults(faults);
    SimulatedPlatform platform = new SimulatedPlatform(settings, scenario);
    int n = (int) Math.min(day, faultTick + faultTicks);
    float[][] features = new float[n][];
    boolean[] faulty = new boolean[n];
    SnapshotFeatures extractor = new SnapshotFeatures();
    long nextChange = changes ? 30 + nextGap(rnd) : Long.MAX_VALUE;
    // like the loop, someone repairs the fault: the catalogue's fixes in turn, the first a short
    // detection delay after the injection, the next when the previous one has not helped
    long nextFix = changes ? faultTick + FIX_DELAY_MIN + rnd.nextInt(FIX_DELAY_SPREAD) : -1;
    int fixIndex = 0;
    PipelineConfig beforeFault = null;
    int actions = 0;
    for (int t = 0; t < n; t++) {
      if (t > 0) {
        platform.advance();
      }
      TelemetrySnapshot s = platform.observe("p1");
      features[t] = extractor.next(s);
      faulty[t] = !platform.truth("p1").activeFaults().isEmpty();
      if (t < faultTick) {
        beforeFault = s.config();
      }
      if (nextFix >= 0 && t >= nextFix && faulty[t]) {
        Fault f = platform.truth("p1").activeFaults().get(0);
        List<Action> fixes =
            FixPlanner.fixes(f, s.config(), beforeFault == null ? s.config() : beforeFault);
        if (fixIndex < fixes.size()) {
          Action fix = fixes.get(fixIndex++);
          FaultRepairer.apply(platform, "p1", fix, s.config(), "fix-" + fixIndex);
        }
        nextFix = t + FIX_RETRY_TICKS;
      }
      if (t >= nextChange) {
        nextChange = t + nextGap(rnd);
        if (t < faultTick && !faulty[t]) {
          ChangeKind kind = change(platform, s, rnd, "c-" + (++actions));
          if (kind != null) {
            applied.add(new Change(t, kind));
          }
        }
      }
    }
    return new Episode(seed, mode, faultTick, features, faulty);
  }

  private static long nextGap(SplittableRandom rnd) {
    // exponential gaps, at least 10 minutes apart so transients can settle now and then
    return 60 + (long) (-Math.log(1 - rnd.nextDouble()) * (MEAN_CHANGE_GAP_TICKS - 60));
  }

  /** Start tick of the simulated day within the long workload. */
  private static long workloadOffset(GeneratedWorkload w, long day, SplittableRandom rnd) {
    double u = rnd.nextDouble();
    List<Long> starts = new ArrayList<>();
    if (u < 0.35) {
      for (var e : w.events()) {
        starts.add(e.startTick());
      }
    } else if (u < 0.5) {
      for (var m : w.monthEnds()) {
        starts.add(m.startTick());
      }
    }
    long last = (WORKLOAD_DAYS - 1) * day;
    if (starts.isEmpty()) {
      return rnd.nextLong(last);
    }
    long s = starts.get(rnd.nextInt(starts.size()));
    // the surge starts somewhere between 2 h and 20 h into the day
    long lead = day / 12 + rnd.nextLong(day * 3 / 4);
    return Math.max(0, Math.min(last, s - lead));
  }

  /** Applies one random change of a kind the agents make; null when it was not applicable. */
  static ChangeKind change(
      SimulatedPlatform platform, TelemetrySnapshot s, SplittableRandom rnd, String actionId) {
    PipelineConfig c = s.config();
    if (c == null) {
      return null;
    }
    double u = rnd.nextDouble();
    ChangeKind kind =
        u < 0.5
            ? ChangeKind.RESCALE
            : u < 0.65
                ? ChangeKind.TASK_MANAGERS
                : u < 0.8
                    ? ChangeKind.CHECKPOINT_INTERVAL
                    : u < 0.9 ? ChangeKind.NETWORK_BUFFERS : ChangeKind.RESTART;
    PipelineConfig next;
    switch (kind) {
      case RESCALE -> {
        double target = 0.5 + 0.35 * rnd.nextDouble();
        Map<String, Integer> par = new LinkedHashMap<>();
        for (OperatorMetrics o : s.operators()) {
          int p = c.parallelism().getOrDefault(o.operatorId(), 1);
          double busy = Double.isFinite(o.busyRatio()) ? o.busyRatio() : 0.5;
          // DS2: the true rate is the observed rate over busy time; parallelism for a target busy
          double need = p * Math.max(0.05, busy) / target;
          par.put(o.operatorId(), (int) Math.max(1, Math.min(256, Math.ceil(need))));
        }
        for (String op : c.parallelism().keySet()) {
          par.putIfAbsent(op, c.parallelism().get(op));
        }
        PipelineConfig p = c.withParallelism(par);
        int tms = (p.requiredSlots() + c.slotsPerTaskManager() - 1) / c.slotsPerTaskManager();
        next = p.withTaskManagers(Math.max(1, tms + rnd.nextInt(2)));
      }
      case TASK_MANAGERS -> {
        int min = (c.requiredSlots() + c.slotsPerTaskManager() - 1) / c.slotsPerTaskManager();
        int delta = (rnd.nextBoolean() ? 1 : -1) * (1 + rnd.nextInt(2));
        next = c.withTaskManagers(Math.max(Math.max(1, min), c.taskManagers() + delta));
      }
      case CHECKPOINT_INTERVAL -> {
        int[] choices = {10, 30, 60, 120, 300};
        next = c.withCheckpointIntervalSeconds(choices[rnd.nextInt(choices.length)]);
      }
      case NETWORK_BUFFERS -> {
        int[] choices = {32, 64, 128};
        next = c.withNetworkBufferMb(choices[rnd.nextInt(choices.length)]);
      }
      default -> {
        platform.recover("p1", actionId, new Action.FullRestart(c));
        return kind;
      }
    }
    if (next.equals(c)) {
      return null;
    }
    try {
      platform.apply("p1", next);
    } catch (PlatformException e) {
      return null; // e.g. more TaskManagers than the cluster holds: the agents would not do it
    }
    return kind;
  }
}
