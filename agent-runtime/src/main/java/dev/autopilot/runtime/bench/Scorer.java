package dev.autopilot.runtime.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scores a {@link ControllerRun}. Pure: the same run gives the same score. Event time only: a tick
 * lasts {@link ControllerRun#tickSeconds()} seconds ({@code T} below); with several pipelines every
 * (pipeline, tick) record counts once, so minutes are pipeline-minutes.
 *
 * <ul>
 *   <li>{@code sla_violation_pct} = 100 x (records with {@code slaViolated}) / (records); null when
 *       there is no record.
 *   <li>{@code violation_minutes} = (records with {@code slaViolated}) x T / 60.
 *   <li>{@code mttd_seconds} = mean over faults with a {@code detectedTick} of {@code (detectedTick
 *       - injectedTick) x T}; null when no fault was detected.
 *   <li>{@code mttr_seconds} = mean over faults with a {@code resolvedTick} of {@code (resolvedTick
 *       - injectedTick) x T}, whoever resolved them (automation, a human, or the fault healing by
 *       itself); faults still active at the end are left out; null when no fault was resolved.
 *   <li>{@code auto_recovery_pct} = 100 x (faults with {@code resolvedAutomatically}) / (faults
 *       injected); null when no fault was injected.
 *   <li>{@code cpu_utilization_pct} = 100 x mean of {@code cpuUtilization} over records; null when
 *       there is no record.
 *   <li>{@code cost_per_million_events} = 1e6 x (sum over pipelines of the last {@code costSoFar})
 *       / (sum over pipelines of the last {@code eventsSoFar}), "last" being the record with the
 *       highest tick; null when no event was processed.
 *   <li>{@code config_changes} = number of {@link ConfigChangeRecord}s; {@code rollbacks} = number
 *       of {@link RollbackRecord}s (a rollback is not also a config change).
 *   <li>{@code faults_injected} = number of {@link FaultRecord}s, cascades included; {@code
 *       faults_detected} = those with a {@code detectedTick}.
 *   <li>{@code rca_top1_pct} = 100 x (detected faults whose {@code diagnosedMode} equals their
 *       mode) / (detected faults with a {@code diagnosedMode}); null when none has one.
 *   <li>{@code detectors}: per detector of the agents (and the fused {@code ensemble}), event
 *       level: recall = faults with a vote on their pipeline while active (injection to resolution
 *       or the end) over faults injected; precision = alarm episodes overlapping a fault of their
 *       pipeline, active or resolved less than {@link #ECHO_TICKS} ticks before (the backlog of a
 *       fault drains after its cause is gone), over alarm episodes.
 *   <li>{@code avg_violation_minutes} = {@code violation_minutes} / (violation episodes: maximal
 *       runs of consecutive violated ticks of one pipeline); null when there is none.
 *   <li>{@code memory_utilization_pct} = 100 x mean of {@code memoryUtilization} over the records
 *       that measured it; null when none did.
 *   <li>{@code monthly_cost_compute}, {@code monthly_cost_storage}, {@code monthly_cost_network} =
 *       the node pool's cost by part ({@code cost_breakdown}) x ({@link Score#MONTH_DAYS} days /
 *       the run's event time); null when the run has no {@link ClusterTick}.
 *   <li>{@code manual_interventions} = {@link ControllerRun#manualInterventions()}.
 *   <li>{@code ticks_per_second} = {@link ControllerRun#ticksPerSecond()}, as measured by the
 *       runner (wall clock).
 *   <li>node pool ({@link #cluster}; all null when the run has no {@link ClusterTick}): {@code
 *       cluster_utilization_pct} = 100 x mean utilisation (dominant resource) over ticks; {@code
 *       fragmentation_mean} = mean fragmentation over ticks; {@code high_utilization_ticks_pct} =
 *       100 x ticks with utilisation >= {@link #HIGH_UTILISATION} / ticks; {@code
 *       low_fragmentation_at_high_utilization_pct} = 100 x those of them with fragmentation <
 *       {@link #FRAGMENTATION_TARGET} / those ticks (null when none); {@code spot_share_pct} = 100
 *       x mean over ticks of spot pods / pods (ticks without pods left out); {@code
 *       spot_withdrawals} = spot reclaims; {@code cost_breakdown} = the pipelines' cost by part at
 *       their last tick, summed.
 *   <li>{@code prediction.weeks} ({@link #predictionWeeks}): per week of event time, the prediction
 *       agent's forecasts (alarm = probability ≥ its model's threshold) against the ground truth
 *       label "{@code slaViolated} at some tick in the next {@link #PREDICTION_HORIZON_TICKS}
 *       ticks" of the same pipeline; accuracy, precision, recall, false-positive rate and F1, and
 *       the model versions that made the forecasts.
 * </ul>
 */
public final class Scorer {

  /** Ticks after a fault's resolution during which an alarm still counts as caused by it. */
  public static final int ECHO_TICKS = 30;

  /** Forecast horizon of the prediction agent's labels: 30 ticks = 5 minutes. */
  public static final int PREDICTION_HORIZON_TICKS = 30;

  /** Utilisation from which the fragmentation target applies (issue 5: 70 %). */
  public static final double HIGH_UTILISATION = 0.7;

  /** Fragmentation to stay under at high utilisation (issue 5: 0.25). */
  public static final double FRAGMENTATION_TARGET = 0.25;

  private Scorer() {}

  /** The node-pool figures of a run; null when it has no {@link ClusterTick}. */
  public static ClusterScore cluster(ControllerRun run) {
    List<ClusterTick> ticks = run.cluster().ticks();
    if (ticks.isEmpty()) {
      return null;
    }
    double util = 0;
    double frag = 0;
    long high = 0;
    long highLow = 0;
    double spot = 0;
    long withPods = 0;
    for (ClusterTick t : ticks) {
      util += t.utilisation();
      frag += t.fragmentation();
      if (t.utilisation() >= HIGH_UTILISATION) {
        high++;
        if (t.fragmentation() < FRAGMENTATION_TARGET) {
          highLow++;
        }
      }
      if (t.pods() > 0) {
        spot += t.spotPods() / (double) t.pods();
        withPods++;
      }
    }
    CostParts cost = CostParts.ZERO;
    for (CostParts c : run.cluster().costs().values()) {
      cost = cost.plus(c);
    }
    long migrated = 0;
    for (SpotWithdrawalRecord w : run.cluster().spotWithdrawals()) {
      migrated += w.podsMigrated();
    }
    int n = ticks.size();
    return new ClusterScore(
        100.0 * util / n,
        frag / n,
        100.0 * high / n,
        high == 0 ? null : 100.0 * highLow / high,
        withPods == 0 ? 0 : 100.0 * spot / withPods,
        run.cluster().spotWithdrawals().size(),
        migrated,
        cost);
  }

  public static Score score(ControllerRun run) {
    double t = run.tickSeconds();
    long records = run.ticks().size();
    long violated = 0;
    double cpuSum = 0;
    double memorySum = 0;
    long memory = 0;
    Map<String, TickRecord> last = new LinkedHashMap<>();
    for (TickRecord r : run.ticks()) {
      if (r.slaViolated()) {
        violated++;
      }
      cpuSum += r.cpuUtilization();
      if (Double.isFinite(r.memoryUtilization())) {
        memorySum += r.memoryUtilization();
        memory++;
      }
      TickRecord prev = last.get(r.pipelineId());
      if (prev == null || r.tick() >= prev.tick()) {
        last.put(r.pipelineId(), r);
      }
    }
    double cost = 0;
    double events = 0;
    for (TickRecord r : last.values()) {
      cost += r.costSoFar();
      events += r.eventsSoFar();
    }

    long detected = 0;
    double detectSum = 0;
    long resolved = 0;
    double resolveSum = 0;
    long automatic = 0;
    for (FaultRecord f : run.faults()) {
      if (f.detectedTick() != null) {
        detected++;
        detectSum += (f.detectedTick() - f.injectedTick()) * t;
      }
      if (f.resolvedTick() != null) {
        resolved++;
        resolveSum += (f.resolvedTick() - f.injectedTick()) * t;
      }
      if (f.resolvedAutomatically()) {
        automatic++;
      }
    }
    long injected = run.faults().size();
    ClusterScore cluster = cluster(run);
    long diagnosed = 0;
    long diagnosedRight = 0;
    for (FaultRecord f : run.faults()) {
      if (f.detectedTick() != null && f.diagnosedMode() != null) {
        diagnosed++;
        if (f.diagnosedMode().equals(f.mode())) {
          diagnosedRight++;
        }
      }
    }

    return new Score(
        run.controller(),
        records == 0 ? null : 100.0 * violated / records,
        violated * t / 60.0,
        detected == 0 ? null : detectSum / detected,
        resolved == 0 ? null : resolveSum / resolved,
        injected == 0 ? null : 100.0 * automatic / injected,
        records == 0 ? null : 100.0 * cpuSum / records,
        events > 0 ? 1e6 * cost / events : null,
        run.configChanges().size(),
        run.rollbacks().size(),
        injected,
        detected,
        run.ticksPerSecond(),
        diagnosed == 0 ? null : 100.0 * diagnosedRight / diagnosed,
        detectors(run),
        predictionWeeks(run),
        cluster,
        avgViolationMinutes(run),
        memory == 0 ? null : 100.0 * memorySum / memory,
        run.manualInterventions(),
        cluster == null || run.totalTicks() <= 0
            ? null
            : cluster.cost().times(Score.MONTH_DAYS * 86_400.0 / (run.totalTicks() * t)));
  }

  /**
   * The mean length of a violation episode, minutes: per pipeline, a maximal run of tick records
   * with {@code slaViolated} at consecutive ticks is one episode; null when there is none.
   */
  public static Double avgViolationMinutes(ControllerRun run) {
    Map<String, Long> lastViolated = new HashMap<>();
    long episodes = 0;
    long violated = 0;
    for (TickRecord r : run.ticks()) {
      if (!r.slaViolated()) {
        continue;
      }
      violated++;
      Long prev = lastViolated.put(r.pipelineId(), r.tick());
      if (prev == null || prev != r.tick() - 1) {
        episodes++;
      }
    }
    return episodes == 0 ? null : violated * run.tickSeconds() / 60.0 / episodes;
  }

  /**
   * The prediction agent's forecast quality per week (7 days of event time, from tick 0). A
   * forecast at tick {@code t} counts once the ticks {@code t+1 .. t+H} of its pipeline are all
   * recorded; its label is whether any of them has {@code slaViolated}. Weeks without a scored
   * forecast are left out.
   */
  public static List<PredictionWeek> predictionWeeks(ControllerRun run) {
    if (run.predictions().isEmpty()) {
      return List.of();
    }
    int h = PREDICTION_HORIZON_TICKS;
    Map<String, Map<Long, Boolean>> violated = new LinkedHashMap<>();
    for (TickRecord r : run.ticks()) {
      violated.computeIfAbsent(r.pipelineId(), k -> new HashMap<>()).put(r.tick(), r.slaViolated());
    }
    long ticksPerWeek = Math.max(1, 7L * 24 * 3600 / run.tickSeconds());
    Map<Integer, long[]> counts = new TreeMap<>(); // week -> tp, fp, tn, fn
    Map<Integer, Map<Integer, Long>> versions = new TreeMap<>();
    for (PredictionRecord p : run.predictions()) {
      Map<Long, Boolean> flags = violated.get(p.pipelineId());
      if (flags == null) {
        continue;
      }
      boolean complete = true;
      boolean label = false;
      for (long u = p.tick() + 1; u <= p.tick() + h; u++) {
        Boolean v = flags.get(u);
        if (v == null) {
          complete = false;
          break;
        }
        label |= v;
      }
      if (!complete) {
        continue;
      }
      int week = (int) (p.tick() / ticksPerWeek) + 1;
      long[] c = counts.computeIfAbsent(week, k -> new long[4]);
      c[p.alarm() ? (label ? 0 : 1) : (label ? 3 : 2)]++;
      versions.computeIfAbsent(week, k -> new TreeMap<>()).merge(p.modelVersion(), 1L, Long::sum);
    }
    List<PredictionWeek> out = new ArrayList<>();
    counts.forEach(
        (week, c) -> {
          long tp = c[0];
          long fp = c[1];
          long tn = c[2];
          long fn = c[3];
          long n = tp + fp + tn + fn;
          Double precision = tp + fp == 0 ? null : 100.0 * tp / (tp + fp);
          Double recall = tp + fn == 0 ? null : 100.0 * tp / (tp + fn);
          Double f1 =
              precision == null || recall == null
                  ? null
                  : precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
          out.add(
              new PredictionWeek(
                  week,
                  n,
                  tp + fn,
                  n == 0 ? null : 100.0 * (tp + tn) / n,
                  precision,
                  recall,
                  fp + tn == 0 ? null : 100.0 * fp / (fp + tn),
                  f1,
                  versions.get(week)));
        });
    return out;
  }

  /** Event-level precision and recall of every detector that raised an alarm in the run. */
  public static List<DetectorScore> detectors(ControllerRun run) {
    Map<String, List<AlarmEpisode>> byDetector = new TreeMap<>();
    for (AlarmEpisode e : run.alarms()) {
      byDetector.computeIfAbsent(e.detector(), k -> new ArrayList<>()).add(e);
    }
    List<DetectorScore> out = new ArrayList<>();
    long faults = run.faults().size();
    for (Map.Entry<String, List<AlarmEpisode>> d : byDetector.entrySet()) {
      long tp = 0;
      for (AlarmEpisode e : d.getValue()) {
        for (FaultRecord f : run.faults()) {
          long end = f.resolvedTick() == null ? run.totalTicks() : f.resolvedTick();
          if (f.pipelineId().equals(e.pipelineId())
              && e.lastTick() >= f.injectedTick()
              && e.firstTick() <= end + ECHO_TICKS) {
            tp++;
            break;
          }
        }
      }
      long caught = 0;
      for (FaultRecord f : run.faults()) {
        long end = f.resolvedTick() == null ? run.totalTicks() : f.resolvedTick();
        for (AlarmEpisode e : d.getValue()) {
          if (f.pipelineId().equals(e.pipelineId())
              && e.lastTick() >= f.injectedTick()
              && e.firstTick() <= end) {
            caught++;
            break;
          }
        }
      }
      long episodes = d.getValue().size();
      out.add(
          new DetectorScore(
              d.getKey(),
              episodes,
              tp,
              faults,
              caught,
              episodes == 0 ? null : 100.0 * tp / episodes,
              faults == 0 ? null : 100.0 * caught / faults));
    }
    return out;
  }
}
