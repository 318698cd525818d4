package dev.autopilot.runtime.bench;

import dev.autopilot.api.AgentKind;
import dev.autopilot.api.Diagnostics;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.runtime.bench.baseline.BaselineStep;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Collects what a {@link ScenarioRunner} observes during one controller's run and builds the {@link
 * ControllerRun}, so every runner applies the same bookkeeping rules:
 *
 * <ul>
 *   <li>a fault's first detection and first resolution count; later ones are ignored;
 *   <li>detections and resolutions of an unknown fault id, or before its injection, are rejected;
 *   <li>tick records are ordered by tick then pipeline, faults by injection tick then id;
 *   <li>{@link ControllerRun#ticksPerSecond()} is the number of distinct ticks recorded over the
 *       wall-clock time from construction to {@link #finish()} (the one non-deterministic figure).
 * </ul>
 *
 * Not thread-safe: one recorder per run, fed from the runner's loop.
 */
public final class RunRecorder {

  /** Votes of one detector on one pipeline at most this many ticks apart form one episode. */
  public static final int EPISODE_GAP_TICKS = 6;

  /** The name under which the fused verdict's alarms are recorded. */
  public static final String ENSEMBLE = "ensemble";

  private final ControllerKind controller;
  private final Scenario scenario;
  private final Map<String, SlaSpec> slas;
  private final LongSupplier nanoClock;
  private final long startNanos;

  private final List<TickRecord> ticks = new ArrayList<>();
  private final Map<String, MutableFault> faults = new LinkedHashMap<>();
  private final List<ConfigChangeRecord> configChanges = new ArrayList<>();
  private final List<RollbackRecord> rollbacks = new ArrayList<>();
  private final List<AlarmEpisode> episodes = new ArrayList<>();
  private final List<PredictionRecord> predictions = new ArrayList<>();
  private final Map<String, long[]> openEpisodes = new LinkedHashMap<>(); // key -> {first, last}
  private final List<ClusterTick> clusterTicks = new ArrayList<>();
  private final List<SpotWithdrawalRecord> spotWithdrawals = new ArrayList<>();
  private final Map<String, CostParts> costs = new LinkedHashMap<>();
  private long distinctTicks;
  private long manualInterventions;
  private Long lastTick;

  /**
   * @param controller the controller being run
   * @param scenario the scenario
   * @param slas the SLA of each pipeline
   * @param nanoClock monotonic wall clock for the speed figure ({@code System::nanoTime})
   */
  public RunRecorder(
      ControllerKind controller,
      Scenario scenario,
      Map<String, SlaSpec> slas,
      LongSupplier nanoClock) {
    this.controller = Objects.requireNonNull(controller, "controller");
    this.scenario = Objects.requireNonNull(scenario, "scenario");
    this.slas = Map.copyOf(slas);
    this.nanoClock = nanoClock;
    this.startNanos = nanoClock.getAsLong();
  }

  private OptimizerCounts optimizer = OptimizerCounts.NONE;

  /** Records one pipeline's tick. */
  public void tick(TickRecord record) {
    ticks.add(record);
    if (lastTick == null || record.tick() != lastTick) {
      distinctTicks++;
      lastTick = record.tick();
    }
  }

  /** A fault was injected (the simulator's ground truth). */
  public void faultInjected(String id, String mode, String pipelineId, long tick, boolean cascade) {
    if (faults.containsKey(id)) {
      throw new IllegalArgumentException("fault " + id + " injected twice");
    }
    faults.put(id, new MutableFault(id, mode, pipelineId, tick, cascade));
  }

  /** The controller detected a fault; only the first detection counts. */
  public void faultDetected(String id, long tick) {
    MutableFault f = known(id, tick);
    if (f.detected == null) {
      f.detected = tick;
    }
  }

  /**
   * The platform no longer has the fault; only the first resolution counts.
   *
   * @param automatic whether an action the controller took on its own resolved it
   */
  public void faultResolved(String id, long tick, boolean automatic) {
    MutableFault f = known(id, tick);
    if (f.resolved == null) {
      f.resolved = tick;
      f.automatic = automatic;
    }
  }

  /**
   * Records the detections a baseline reported in one step, and counts each fix a human applied in
   * it as a manual intervention.
   */
  public void baselineStep(BaselineStep step) {
    for (BaselineStep.FaultEvent e : step.faultEvents()) {
      if (e.kind() == BaselineStep.FaultEvent.Kind.DETECTED) {
        faultDetected(e.faultId(), e.tick());
      } else if (e.kind() == BaselineStep.FaultEvent.Kind.FIX_APPLIED && e.byHuman()) {
        manualInterventions++;
      }
    }
  }

  /**
   * The agents' detectors at one tick of one pipeline: each voting detector (and the fused verdict,
   * as {@link #ENSEMBLE}) extends or opens its alarm episode.
   */
  public void diagnostics(String pipelineId, long tick, Diagnostics d) {
    if (d == null) {
      return;
    }
    for (Diagnostics.DetectorVote v : d.votes()) {
      if (v.vote()) {
        vote(v.detector(), pipelineId, tick);
      }
    }
    if (d.anomaly() && d.votes().size() > 1) {
      // a fused verdict only where several detectors vote (the learned ensemble)
      vote(ENSEMBLE, pipelineId, tick);
    }
  }

  /** Prefix of the prediction agent's model vote ({@code PredictionAgent.MODEL_VOTE_PREFIX}). */
  public static final String MODEL_VOTE_PREFIX = "violation-model-v";

  /** The prediction agent's baseline vote ({@code PredictionAgent.BASELINE_VOTE}). */
  public static final String BASELINE_VOTE = "violation-baseline-holt";

  /**
   * Model version recorded for the Holt baseline's forecasts of a cold-started agent (no model
   * yet).
   */
  public static final int BASELINE_VERSION = 0;

  /**
   * The prediction agent's diagnostics at one tick of one pipeline: the vote named {@code
   * violation-model-v<N>} is its model's forecast (score = probability, vote = alarm); the vote
   * {@link #BASELINE_VOTE} of a cold-started agent without a model yet is the Holt baseline's
   * binary forecast, recorded as version {@link #BASELINE_VERSION}. Nothing is recorded without
   * such a vote (no model configured).
   */
  public void prediction(String pipelineId, long tick, Diagnostics d) {
    if (d == null || d.agent() != AgentKind.PREDICTION) {
      return;
    }
    for (Diagnostics.DetectorVote v : d.votes()) {
      if (v.detector().equals(BASELINE_VOTE)) {
        predictions.add(
            new PredictionRecord(tick, pipelineId, BASELINE_VERSION, v.score(), v.vote()));
        return;
      }
      if (v.detector().startsWith(MODEL_VOTE_PREFIX)) {
        int version;
        try {
          version = Integer.parseInt(v.detector().substring(MODEL_VOTE_PREFIX.length()));
        } catch (NumberFormatException e) {
          continue;
        }
        predictions.add(new PredictionRecord(tick, pipelineId, version, v.score(), v.vote()));
        return;
      }
    }
  }

  private void vote(String detector, String pipelineId, long tick) {
    String key = detector + "\u0000" + pipelineId;
    long[] open = openEpisodes.get(key);
    if (open != null && tick - open[1] <= EPISODE_GAP_TICKS) {
      open[1] = Math.max(open[1], tick);
      return;
    }
    if (open != null) {
      episodes.add(new AlarmEpisode(detector, pipelineId, open[0], open[1]));
    }
    openEpisodes.put(key, new long[] {tick, tick});
  }

  /** The agents' top-ranked cause for a fault when they detected it; only the first counts. */
  public void faultDiagnosed(String id, long tick, String mode) {
    MutableFault f = known(id, tick);
    if (f.diagnosed == null && mode != null) {
      f.diagnosed = mode;
    }
  }

  /** The shared node pool at one tick (once per tick, after the pipelines' records). */
  public void cluster(ClusterTick tick) {
    clusterTicks.add(tick);
  }

  /** The provider reclaimed a spot node. */
  public void spotWithdrawal(SpotWithdrawalRecord withdrawal) {
    spotWithdrawals.add(withdrawal);
  }

  /** A pipeline's cost by part so far; the last one recorded per pipeline counts. */
  public void cost(String pipelineId, CostParts parts) {
    costs.put(pipelineId, parts);
  }

  /** A configuration change was applied. */
  public void configChange(long tick, String pipelineId, String action) {
    configChanges.add(new ConfigChangeRecord(tick, pipelineId, action));
  }

  /** A rollback was applied. */
  public void rollback(long tick, String pipelineId, String reason) {
    rollbacks.add(new RollbackRecord(tick, pipelineId, reason));
  }

  /** Adds what the learned optimizer did (the agents runner reports it per tick and at the end). */
  public void optimizer(OptimizerCounts counts) {
    OptimizerCounts o = optimizer;
    optimizer =
        new OptimizerCounts(
            o.shadowProposals() + counts.shadowProposals(),
            o.shadowAdmitted() + counts.shadowAdmitted(),
            o.learnedProposals() + counts.learnedProposals(),
            o.promotions() + counts.promotions(),
            o.demotions() + counts.demotions());
  }

  /** The run, with its wall-clock speed. */
  public ControllerRun finish() {
    double seconds = (nanoClock.getAsLong() - startNanos) / 1e9;
    double ticksPerSecond = seconds > 0 ? distinctTicks / seconds : 0;
    List<TickRecord> sorted = new ArrayList<>(ticks);
    sorted.sort(Comparator.comparingLong(TickRecord::tick).thenComparing(TickRecord::pipelineId));
    List<FaultRecord> faultRecords =
        faults.values().stream()
            .map(MutableFault::record)
            .sorted(
                Comparator.comparingLong(FaultRecord::injectedTick).thenComparing(FaultRecord::id))
            .toList();
    List<AlarmEpisode> alarms = new ArrayList<>(episodes);
    openEpisodes.forEach(
        (key, open) -> {
          String[] parts = key.split("\u0000", 2);
          alarms.add(new AlarmEpisode(parts[0], parts[1], open[0], open[1]));
        });
    alarms.sort(
        Comparator.comparing(AlarmEpisode::detector)
            .thenComparing(AlarmEpisode::pipelineId)
            .thenComparingLong(AlarmEpisode::firstTick));
    return new ControllerRun(
        controller,
        scenario.tickSeconds(),
        scenario.totalTicks(),
        slas,
        sorted,
        faultRecords,
        configChanges,
        rollbacks,
        ticksPerSecond,
        alarms,
        predictions.stream()
            .sorted(
                Comparator.comparingLong(PredictionRecord::tick)
                    .thenComparing(PredictionRecord::pipelineId))
            .toList(),
        optimizer,
        new ClusterRun(
            clusterTicks.stream().sorted(Comparator.comparingLong(ClusterTick::tick)).toList(),
            spotWithdrawals,
            costs),
        manualInterventions);
  }

  private MutableFault known(String id, long tick) {
    MutableFault f = faults.get(id);
    if (f == null) {
      throw new IllegalArgumentException("unknown fault " + id);
    }
    if (tick < f.injected) {
      throw new IllegalArgumentException(
          "fault " + id + " injected at " + f.injected + " cannot be handled at " + tick);
    }
    return f;
  }

  private static final class MutableFault {
    final String id;
    final String mode;
    final String pipelineId;
    final long injected;
    final boolean cascade;
    Long detected;
    Long resolved;
    boolean automatic;
    String diagnosed;

    MutableFault(String id, String mode, String pipelineId, long injected, boolean cascade) {
      this.id = id;
      this.mode = mode;
      this.pipelineId = pipelineId;
      this.injected = injected;
      this.cascade = cascade;
    }

    FaultRecord record() {
      return new FaultRecord(
          id, mode, pipelineId, injected, detected, resolved, automatic, cascade, diagnosed);
    }
  }
}
