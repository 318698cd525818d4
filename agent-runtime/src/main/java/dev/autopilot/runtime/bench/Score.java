package dev.autopilot.runtime.bench;

import java.util.List;
import java.util.function.Function;

/**
 * The scores of one controller over a scenario, as {@link Scorer} computes them. A null figure
 * means "not defined" (for example no fault detected: no MTTD) and is written as JSON null.
 *
 * @param controller the controller
 * @param slaViolationPct violated tick records over all tick records, percent
 * @param violationMinutes violated tick records times the tick length, minutes
 * @param mttdSeconds mean time to detect over detected faults, event-time seconds
 * @param mttrSeconds mean time to resolve over resolved faults, event-time seconds
 * @param autoRecoveryPct faults resolved by the controller's own automation over faults injected,
 *     percent
 * @param cpuUtilizationPct mean CPU utilization over tick records, percent
 * @param costPerMillionEvents total cost over total events processed, per million events
 * @param configChanges configuration changes applied
 * @param rollbacks rollbacks applied
 * @param faultsInjected faults injected (cascades included)
 * @param faultsDetected faults the controller detected
 * @param ticksPerSecond wall-clock speed of the run (not deterministic)
 * @param rcaTop1Pct detected faults whose diagnosed top cause is their mode, over detected faults
 *     with a diagnosis, percent; null when none was diagnosed (the baselines)
 * @param detectors per-detector event-level precision and recall (the agents only)
 * @param predictionWeeks the prediction agent's forecast accuracy per week (the agents only, while
 *     a violation model scores the ticks)
 * @param cluster the node pool's figures (placement, spot, cost by part); null when the run did not
 *     measure the pool
 * @param avgViolationMinutes mean length of a violation episode (a maximal run of consecutive
 *     violated ticks of one pipeline), minutes; null when there was none
 * @param memoryUtilizationPct mean JVM heap occupancy of the TaskManagers over tick records,
 *     percent; null when not measured
 * @param manualInterventions fixes a human applied
 * @param monthlyCost the cost by part scaled to a 30-day month (all pipelines); null when the run
 *     did not measure the cost by part
 */
public record Score(
    ControllerKind controller,
    Double slaViolationPct,
    double violationMinutes,
    Double mttdSeconds,
    Double mttrSeconds,
    Double autoRecoveryPct,
    Double cpuUtilizationPct,
    Double costPerMillionEvents,
    long configChanges,
    long rollbacks,
    long faultsInjected,
    long faultsDetected,
    double ticksPerSecond,
    Double rcaTop1Pct,
    List<DetectorScore> detectors,
    List<PredictionWeek> predictionWeeks,
    ClusterScore cluster,
    Double avgViolationMinutes,
    Double memoryUtilizationPct,
    long manualInterventions,
    CostParts monthlyCost) {

  /** Days in the month of the monthly cost. */
  public static final double MONTH_DAYS = 30;

  public Score {
    detectors = detectors == null ? List.of() : List.copyOf(detectors);
    predictionWeeks = predictionWeeks == null ? List.of() : List.copyOf(predictionWeeks);
  }

  /** A score without the bench's figures (violation episodes, memory, humans, monthly cost). */
  public Score(
      ControllerKind controller,
      Double slaViolationPct,
      double violationMinutes,
      Double mttdSeconds,
      Double mttrSeconds,
      Double autoRecoveryPct,
      Double cpuUtilizationPct,
      Double costPerMillionEvents,
      long configChanges,
      long rollbacks,
      long faultsInjected,
      long faultsDetected,
      double ticksPerSecond,
      Double rcaTop1Pct,
      List<DetectorScore> detectors,
      List<PredictionWeek> predictionWeeks,
      ClusterScore cluster) {
    this(
        controller,
        slaViolationPct,
        violationMinutes,
        mttdSeconds,
        mttrSeconds,
        autoRecoveryPct,
        cpuUtilizationPct,
        costPerMillionEvents,
        configChanges,
        rollbacks,
        faultsInjected,
        faultsDetected,
        ticksPerSecond,
        rcaTop1Pct,
        detectors,
        predictionWeeks,
        cluster,
        null,
        null,
        0,
        null);
  }

  private static Number ofMonth(Score s, Function<CostParts, Number> part) {
    return s.monthlyCost() == null ? null : part.apply(s.monthlyCost());
  }

  private static Number ofCluster(Score s, Function<ClusterScore, Number> figure) {
    return s.cluster() == null ? null : figure.apply(s.cluster());
  }

  /** A score without forecasts of a violation model. */
  public Score(
      ControllerKind controller,
      Double slaViolationPct,
      double violationMinutes,
      Double mttdSeconds,
      Double mttrSeconds,
      Double autoRecoveryPct,
      Double cpuUtilizationPct,
      Double costPerMillionEvents,
      long configChanges,
      long rollbacks,
      long faultsInjected,
      long faultsDetected,
      double ticksPerSecond,
      Double rcaTop1Pct,
      List<DetectorScore> detectors) {
    this(
        controller,
        slaViolationPct,
        violationMinutes,
        mttdSeconds,
        mttrSeconds,
        autoRecoveryPct,
        cpuUtilizationPct,
        costPerMillionEvents,
        configChanges,
        rollbacks,
        faultsInjected,
        faultsDetected,
        ticksPerSecond,
        rcaTop1Pct,
        detectors,
        List.of(),
        null);
  }

  /**
   * One figure of a score, as written in results.json and shown in the tables.
   *
   * @param key snake_case key in results.json
   * @param label human label for the console and HTML tables
   * @param value the figure (null when not defined)
   * @param decimals decimals written (0 for counts)
   * @param deterministic false only for wall-clock figures, left out of results-deterministic.json
   */
  public record Field(
      String key,
      String label,
      Function<Score, Number> value,
      int decimals,
      boolean deterministic) {}

  /** The figures, in the order of results.json and of the tables. */
  public static final List<Field> FIELDS =
      List.of(
          new Field("sla_violation_pct", "SLA violation %", Score::slaViolationPct, 3, true),
          new Field("violation_minutes", "Violation minutes", Score::violationMinutes, 2, true),
          new Field(
              "avg_violation_minutes", "Avg violation (min)", Score::avgViolationMinutes, 2, true),
          new Field("mttd_seconds", "MTTD (s)", Score::mttdSeconds, 2, true),
          new Field("mttr_seconds", "MTTR (s)", Score::mttrSeconds, 2, true),
          new Field("auto_recovery_pct", "Auto-recovery %", Score::autoRecoveryPct, 2, true),
          new Field("cpu_utilization_pct", "CPU utilization %", Score::cpuUtilizationPct, 2, true),
          new Field(
              "memory_utilization_pct",
              "Memory utilization %",
              Score::memoryUtilizationPct,
              2,
              true),
          new Field(
              "cost_per_million_events",
              "Cost per 1M events",
              Score::costPerMillionEvents,
              6,
              true),
          new Field(
              "monthly_cost_compute",
              "Monthly cost: compute",
              s -> ofMonth(s, CostParts::compute),
              2,
              true),
          new Field(
              "monthly_cost_storage",
              "Monthly cost: storage",
              s -> ofMonth(s, CostParts::storage),
              2,
              true),
          new Field(
              "monthly_cost_network",
              "Monthly cost: network",
              s -> ofMonth(s, CostParts::network),
              2,
              true),
          new Field("config_changes", "Config changes", Score::configChanges, 0, true),
          new Field("rollbacks", "Rollbacks", Score::rollbacks, 0, true),
          new Field(
              "manual_interventions", "Manual interventions", Score::manualInterventions, 0, true),
          new Field("faults_injected", "Faults injected", Score::faultsInjected, 0, true),
          new Field("faults_detected", "Faults detected", Score::faultsDetected, 0, true),
          new Field("rca_top1_pct", "RCA top-1 %", Score::rcaTop1Pct, 2, true),
          new Field(
              "cluster_utilization_pct",
              "Cluster utilization %",
              s -> ofCluster(s, ClusterScore::clusterUtilizationPct),
              2,
              true),
          new Field(
              "fragmentation_mean",
              "Fragmentation (mean)",
              s -> ofCluster(s, ClusterScore::fragmentationMean),
              4,
              true),
          new Field(
              "high_utilization_ticks_pct",
              "Ticks at >=70 % util %",
              s -> ofCluster(s, ClusterScore::highUtilizationTicksPct),
              2,
              true),
          new Field(
              "low_fragmentation_at_high_utilization_pct",
              "  of which frag < 0.25 %",
              s -> ofCluster(s, ClusterScore::lowFragmentationAtHighUtilizationPct),
              2,
              true),
          new Field(
              "spot_share_pct",
              "Spot TaskManagers %",
              s -> ofCluster(s, ClusterScore::spotSharePct),
              2,
              true),
          new Field(
              "spot_withdrawals",
              "Spot withdrawals",
              s -> ofCluster(s, ClusterScore::spotWithdrawals),
              0,
              true),
          new Field("ticks_per_second", "Ticks/s (wall clock)", Score::ticksPerSecond, 1, false));
}
