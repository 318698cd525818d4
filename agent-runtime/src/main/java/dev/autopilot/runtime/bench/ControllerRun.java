package dev.autopilot.runtime.bench;

import dev.autopilot.api.SlaSpec;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a {@link ScenarioRunner} measured while one controller went through the scenario: the
 * input of {@link Scorer}, {@link ResultsWriter} and {@link ReportWriter}.
 *
 * @param controller the controller
 * @param tickSeconds event time per tick, seconds
 * @param totalTicks ticks the scenario lasted
 * @param slas the SLA of each pipeline (drawn as the bound in the report)
 * @param ticks one record per pipeline per tick, ordered by tick then pipeline
 * @param faults every injected fault (cascades included), ordered by injection tick then id
 * @param configChanges configuration changes applied, in order
 * @param rollbacks rollbacks applied, in order
 * @param ticksPerSecond wall-clock speed of the run, ticks of event time per wall second (the one
 *     non-deterministic figure)
 * @param alarms the agents' detector alarm episodes, ordered by detector, pipeline and tick (empty
 *     for the baselines)
 * @param predictions the prediction agent's per-tick forecasts, ordered by tick then pipeline
 *     (empty for the baselines and while no violation model scores the ticks)
 * @param optimizer what the learned optimizer did ({@link OptimizerCounts#NONE} for the baselines)
 * @param cluster the shared node pool: utilisation and fragmentation per tick, spot withdrawals,
 *     cost by part ({@link ClusterRun#EMPTY} when the runner does not measure it)
 * @param manualInterventions fixes a human applied (the baselines' operator on call or approval; 0
 *     for the agents, which act without one)
 */
public record ControllerRun(
    ControllerKind controller,
    int tickSeconds,
    long totalTicks,
    Map<String, SlaSpec> slas,
    List<TickRecord> ticks,
    List<FaultRecord> faults,
    List<ConfigChangeRecord> configChanges,
    List<RollbackRecord> rollbacks,
    double ticksPerSecond,
    List<AlarmEpisode> alarms,
    List<PredictionRecord> predictions,
    OptimizerCounts optimizer,
    ClusterRun cluster,
    long manualInterventions) {

  public ControllerRun {
    if (manualInterventions < 0) {
      throw new IllegalArgumentException(
          "manualInterventions must be >= 0, was " + manualInterventions);
    }
    optimizer = optimizer == null ? OptimizerCounts.NONE : optimizer;
    if (tickSeconds < 1) {
      throw new IllegalArgumentException("tickSeconds must be >= 1, was " + tickSeconds);
    }
    slas = Collections.unmodifiableMap(new TreeMap<>(slas));
    ticks = List.copyOf(ticks);
    faults = List.copyOf(faults);
    configChanges = List.copyOf(configChanges);
    rollbacks = List.copyOf(rollbacks);
    alarms = alarms == null ? List.of() : List.copyOf(alarms);
    predictions = predictions == null ? List.of() : List.copyOf(predictions);
    cluster = cluster == null ? ClusterRun.EMPTY : cluster;
  }

  /** A run without manual interventions. */
  public ControllerRun(
      ControllerKind controller,
      int tickSeconds,
      long totalTicks,
      Map<String, SlaSpec> slas,
      List<TickRecord> ticks,
      List<FaultRecord> faults,
      List<ConfigChangeRecord> configChanges,
      List<RollbackRecord> rollbacks,
      double ticksPerSecond,
      List<AlarmEpisode> alarms,
      List<PredictionRecord> predictions,
      OptimizerCounts optimizer,
      ClusterRun cluster) {
    this(
        controller,
        tickSeconds,
        totalTicks,
        slas,
        ticks,
        faults,
        configChanges,
        rollbacks,
        ticksPerSecond,
        alarms,
        predictions,
        optimizer,
        cluster,
        0);
  }

  /** A run without forecasts of a violation model. */
  public ControllerRun(
      ControllerKind controller,
      int tickSeconds,
      long totalTicks,
      Map<String, SlaSpec> slas,
      List<TickRecord> ticks,
      List<FaultRecord> faults,
      List<ConfigChangeRecord> configChanges,
      List<RollbackRecord> rollbacks,
      double ticksPerSecond,
      List<AlarmEpisode> alarms) {
    this(
        controller,
        tickSeconds,
        totalTicks,
        slas,
        ticks,
        faults,
        configChanges,
        rollbacks,
        ticksPerSecond,
        alarms,
        List.of(),
        OptimizerCounts.NONE,
        ClusterRun.EMPTY);
  }

  /** A run without detector alarm episodes (the baselines). */
  public ControllerRun(
      ControllerKind controller,
      int tickSeconds,
      long totalTicks,
      Map<String, SlaSpec> slas,
      List<TickRecord> ticks,
      List<FaultRecord> faults,
      List<ConfigChangeRecord> configChanges,
      List<RollbackRecord> rollbacks,
      double ticksPerSecond) {
    this(
        controller,
        tickSeconds,
        totalTicks,
        slas,
        ticks,
        faults,
        configChanges,
        rollbacks,
        ticksPerSecond,
        List.of());
  }

  /** Pipeline ids seen in the tick records, sorted. */
  public List<String> pipelineIds() {
    return ticks.stream().map(TickRecord::pipelineId).distinct().sorted().toList();
  }
}
