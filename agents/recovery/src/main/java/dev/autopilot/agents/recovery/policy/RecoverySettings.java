package dev.autopilot.agents.recovery.policy;

import com.typesafe.config.Config;
import dev.autopilot.api.FailureMode;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Every knob of the recovery agent, read once from {@code autopilot.recovery} (the module's {@code
 * reference.conf} documents each key). Policies take this record, never {@link Config}.
 *
 * @param detector CUSUM / EWMA parameters
 * @param floors per-signal floors (denominator and minimum-sigma reference)
 * @param symptoms symptom thresholds
 * @param rules rule-table scoring
 * @param incident incident lifecycle
 * @param ladder recovery-ladder action parameters
 */
public record RecoverySettings(
    DetectorSettings detector,
    Map<Signal, Double> floors,
    SymptomSettings symptoms,
    RuleSettings rules,
    IncidentSettings incident,
    LadderSettings ladder) {

  public RecoverySettings {
    floors = Map.copyOf(floors);
    for (Signal s : Signal.values()) {
      if (!floors.containsKey(s)) {
        throw new IllegalArgumentException("no floor for signal " + s);
      }
    }
  }

  /** Reads {@code autopilot.recovery} from a full configuration. */
  public static RecoverySettings create(Config root) {
    Config c = root.getConfig("autopilot.recovery");
    Config d = c.getConfig("detector");
    DetectorSettings detector =
        new DetectorSettings(
            d.getInt("warmup-ticks"),
            d.getDouble("adapt-rate"),
            d.getDouble("min-sigma-fraction"),
            d.getDouble("cusum-k"),
            d.getDouble("cusum-h"),
            d.getDouble("ewma-lambda"),
            d.getDouble("ewma-l"),
            d.getInt("alarm-memory-ticks"),
            d.getInt("rebase-ticks"));
    Config f = c.getConfig("signal-floors");
    Map<Signal, Double> floors = new EnumMap<>(Signal.class);
    for (Signal s : Signal.values()) {
      floors.put(s, f.getDouble(s.configKey()));
    }
    Config y = c.getConfig("symptoms");
    SymptomSettings symptoms =
        new SymptomSettings(
            ramp(y, "elevation"),
            y.getInt("event-hold-ticks"),
            ramp(y, "throughput-drop"),
            ramp(y, "latency-rise"),
            ramp(y, "lag-growth"),
            ramp(y, "backpressure"),
            ramp(y, "heap-level"),
            ramp(y, "heap-rise"),
            y.getInt("heap-slope-window-ticks"),
            y.getInt("heap-slope-min-samples"),
            ramp(y, "gc-time-ratio"),
            ramp(y, "cpu-load"),
            ramp(y, "cpu-throttled"),
            y.getDouble("cpu-cluster-wide-fraction"),
            ramp(y, "disk-used"),
            ramp(y, "fd-ratio"),
            ramp(y, "pool-usage"),
            ramp(y, "stuck-busy"),
            ramp(y, "upstream-backpressure"),
            ramp(y, "hot-busy"),
            ramp(y, "hot-margin"),
            y.getDouble("hot-max-input-share"),
            ramp(y, "records-dropped"),
            ramp(y, "input-drop"),
            ramp(y, "checkpoint-slow"),
            ramp(y, "checkpoint-failures"),
            ramp(y, "task-failures"),
            y.getInt("restart-loop-window-ticks"),
            ramp(y, "restart-loop"),
            y.getInt("recent-restart-window-ticks"),
            ramp(y, "tm-missing"),
            ramp(y, "threads-rise"),
            y.getInt("node-memory-ticks"));
    Config r = c.getConfig("rules");
    Map<FailureMode, Double> weights = new EnumMap<>(FailureMode.class);
    for (FailureMode m : FailureMode.values()) {
      weights.put(m, r.getDouble("weights." + m.name()));
    }
    RuleSettings rules =
        new RuleSettings(
            r.getDouble("required-min"),
            r.getDouble("support-weight"),
            r.getDouble("exclusion-penalty"),
            weights);
    Config i = c.getConfig("incident");
    IncidentSettings incident =
        new IncidentSettings(
            i.getDouble("open-score"),
            i.getInt("open-consecutive-ticks"),
            i.getDouble("healthy-score"),
            i.getInt("close-healthy-ticks"),
            i.getInt("verify-grace-ticks"),
            i.getInt("outcome-timeout-ticks"),
            i.getInt("proposal-expiry-ticks"),
            i.getInt("exhausted-close-ticks"),
            i.getInt("runner-ups"));
    Config l = c.getConfig("ladder");
    LadderSettings ladder =
        new LadderSettings(
            l.getDouble("expand-buffers-factor"),
            l.getDouble("checkpoint-interval-factor"),
            l.getInt("checkpoint-interval-max-seconds"),
            l.getIntList("restore-checkpoints-back"),
            l.getDouble("skew-parallelism-factor"),
            l.getInt("max-parallelism"),
            l.getDouble("extra-taskmanagers-fraction"));
    return new RecoverySettings(detector, floors, symptoms, rules, incident, ladder);
  }

  private static Ramp ramp(Config c, String key) {
    return Ramp.of(c.getDoubleList(key));
  }

  /** The floor of one signal. */
  public double floor(Signal s) {
    return floors.get(s);
  }

  /** CUSUM and EWMA parameters shared by every signal. */
  public record DetectorSettings(
      int warmupTicks,
      double adaptRate,
      double minSigmaFraction,
      double cusumK,
      double cusumH,
      double ewmaLambda,
      double ewmaL,
      int alarmMemoryTicks,
      int rebaseTicks) {
    public DetectorSettings {
      if (rebaseTicks != 0 && rebaseTicks < 3) {
        throw new IllegalArgumentException(
            "autopilot.recovery.detector.rebase-ticks must be 0 (off) or >= 3, was " + rebaseTicks);
      }
    }
  }

  /** Thresholds of the symptom extractor (see reference.conf). */
  public record SymptomSettings(
      Ramp elevation,
      int eventHoldTicks,
      Ramp throughputDrop,
      Ramp latencyRise,
      Ramp lagGrowth,
      Ramp backpressure,
      Ramp heapLevel,
      Ramp heapRise,
      int heapSlopeWindowTicks,
      int heapSlopeMinSamples,
      Ramp gcTimeRatio,
      Ramp cpuLoad,
      Ramp cpuThrottled,
      double cpuClusterWideFraction,
      Ramp diskUsed,
      Ramp fdRatio,
      Ramp poolUsage,
      Ramp stuckBusy,
      Ramp upstreamBackpressure,
      Ramp hotBusy,
      Ramp hotMargin,
      double hotMaxInputShare,
      Ramp recordsDropped,
      Ramp inputDrop,
      Ramp checkpointSlow,
      Ramp checkpointFailures,
      Ramp taskFailures,
      int restartLoopWindowTicks,
      Ramp restartLoop,
      int recentRestartWindowTicks,
      Ramp tmMissing,
      Ramp threadsRise,
      int nodeMemoryTicks) {}

  /** Rule-table scoring. */
  public record RuleSettings(
      double requiredMin,
      double supportWeight,
      double exclusionPenalty,
      Map<FailureMode, Double> weights) {
    public RuleSettings {
      weights = Map.copyOf(weights);
    }
  }

  /** Incident lifecycle thresholds, in ticks and scores. */
  public record IncidentSettings(
      double openScore,
      int openConsecutiveTicks,
      double healthyScore,
      int closeHealthyTicks,
      int verifyGraceTicks,
      int outcomeTimeoutTicks,
      int proposalExpiryTicks,
      int exhaustedCloseTicks,
      int runnerUps) {}

  /** Parameters of the ladder's actions. */
  public record LadderSettings(
      double expandBuffersFactor,
      double checkpointIntervalFactor,
      int checkpointIntervalMaxSeconds,
      List<Integer> restoreCheckpointsBack,
      double skewParallelismFactor,
      int maxParallelism,
      double extraTaskManagersFraction) {
    public LadderSettings {
      restoreCheckpointsBack = List.copyOf(restoreCheckpointsBack);
    }
  }
}
