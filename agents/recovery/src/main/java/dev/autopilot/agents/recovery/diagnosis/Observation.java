package dev.autopilot.agents.recovery.diagnosis;

import dev.autopilot.agents.recovery.policy.DetectorBank;
import dev.autopilot.agents.recovery.policy.RecoverySettings;
import dev.autopilot.agents.recovery.policy.Signal;
import dev.autopilot.agents.recovery.policy.Symptom;
import dev.autopilot.agents.recovery.policy.Symptoms;
import dev.autopilot.api.Metric;
import dev.autopilot.api.TaskManagerMetrics;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the root-cause network observes at one tick: the extracted symptoms (strengths in [0, 1])
 * and a few extra observations the symptoms do not carry (see {@link #of}). Features are named;
 * {@link #value(String)} gives a feature's raw value, which the model discretises with its cut
 * points. An unknown feature is NaN, which the model treats as unobserved.
 *
 * <p>A symptom the platform cannot see at all (every metric it is computed from is absent on every
 * TaskManager, or the job field is absent) is <b>unobserved</b>: NaN, so the network marginalises
 * over it instead of reading its zero strength as evidence that it is not there. On the Flink REST
 * platform, for example, node readiness, disks, networks, logs and external systems are not
 * reported; read as "all fine" they would make every incident look like the one cause whose
 * signature the platform can still see.
 *
 * @param symptoms the symptoms of the tick
 * @param extras extra observations by name
 * @param unobserved symptoms the platform could not observe (their value is NaN)
 */
public record Observation(Symptoms symptoms, Map<String, Double> extras, Set<Symptom> unobserved) {

  /** 1 when the running configuration changed within the recent-restart window, else 0. */
  public static final String CONFIG_CHANGED = "CONFIG_CHANGED";

  /** Rise of the largest heap used ratio over the slope window (the leak slope), ratio points. */
  public static final String HEAP_RISE = "HEAP_RISE";

  /** The largest heap used ratio of any TaskManager, 0-1. */
  public static final String HEAP_USED = "HEAP_USED";

  /**
   * The TaskManager metrics each symptom is computed from; a symptom without an entry is always
   * observed (job state, restarts, checkpoints, operators).
   */
  private static final Map<Symptom, List<Metric>> INPUTS = inputs();

  public Observation {
    extras = Map.copyOf(extras);
    unobserved = unobserved.isEmpty() ? Set.of() : Set.copyOf(unobserved);
  }

  /** Every symptom observed. */
  public Observation(Symptoms symptoms, Map<String, Double> extras) {
    this(symptoms, extras, Set.of());
  }

  /** Symptoms only. */
  public static Observation of(Symptoms symptoms) {
    return new Observation(symptoms, Map.of());
  }

  /**
   * Symptoms plus the extras (see {@link #of(Symptoms, DetectorBank, RecoverySettings)}), with the
   * symptoms the snapshot could not show marked unobserved: no strength, and every metric it is
   * computed from absent on every TaskManager (or no TaskManager at all), or for {@link
   * Symptom#LATENCY_HIGH} and {@link Symptom#LAG_GROWING} the job's field absent.
   */
  public static Observation of(
      Symptoms symptoms, DetectorBank bank, RecoverySettings settings, TelemetrySnapshot s) {
    Observation o = of(symptoms, bank, settings);
    Set<Symptom> unobserved = EnumSet.noneOf(Symptom.class);
    for (Map.Entry<Symptom, List<Metric>> e : INPUTS.entrySet()) {
      if (symptoms.strength(e.getKey()) <= 0 && noneObserved(s, e.getValue())) {
        unobserved.add(e.getKey());
      }
    }
    if (symptoms.strength(Symptom.LATENCY_HIGH) <= 0 && s.job().isAbsent("latencyP99Ms")) {
      unobserved.add(Symptom.LATENCY_HIGH);
    }
    if (symptoms.strength(Symptom.LAG_GROWING) <= 0 && s.job().isAbsent("consumerLag")) {
      unobserved.add(Symptom.LAG_GROWING);
    }
    return new Observation(o.symptoms(), o.extras(), unobserved);
  }

  private static boolean noneObserved(TelemetrySnapshot s, List<Metric> metrics) {
    for (TaskManagerMetrics tm : s.taskManagers()) {
      for (Metric m : metrics) {
        if (!tm.isAbsent(m)) {
          return false;
        }
      }
    }
    return true;
  }

  private static Map<Symptom, List<Metric>> inputs() {
    Map<Symptom, List<Metric>> m = new EnumMap<>(Symptom.class);
    m.put(Symptom.TASK_FAILURES, List.of(Metric.TASKS_FAILED_TOTAL));
    m.put(Symptom.EXCEPTIONS, List.of(Metric.EXCEPTIONS));
    m.put(Symptom.LOG_ERRORS, List.of(Metric.LOG_ERRORS));
    m.put(Symptom.LOG_ERRORS_AFTER_RESTART, List.of(Metric.LOG_ERRORS));
    m.put(Symptom.DESERIALIZATION_ERRORS, List.of(Metric.DESERIALIZATION_ERRORS));
    m.put(Symptom.SERIALIZATION_ERRORS, List.of(Metric.SERIALIZATION_ERRORS));
    m.put(Symptom.CLASSLOADING_ERRORS, List.of(Metric.CLASSLOADING_ERRORS));
    m.put(Symptom.DISK_FULL, List.of(Metric.DISK_USED_RATIO));
    m.put(Symptom.DISK_STALL, List.of(Metric.ROCKSDB_WRITE_STALL));
    m.put(Symptom.HEAP_CLIMBING, List.of(Metric.HEAP_USED_RATIO));
    m.put(Symptom.GC_PRESSURE, List.of(Metric.GC_TIME_RATIO));
    m.put(Symptom.OOM_KILLS, List.of(Metric.POD_OOM_KILLS_TOTAL));
    m.put(Symptom.FD_EXHAUSTED, List.of(Metric.FILE_DESCRIPTORS_RATIO));
    m.put(Symptom.THREADS_HIGH, List.of(Metric.THREADS));
    m.put(
        Symptom.NET_DEGRADED,
        List.of(Metric.NET_LATENCY, Metric.NET_RETRANSMITS, Metric.NET_CONNECTION_FAILURES));
    m.put(Symptom.CPU_SATURATED, List.of(Metric.CPU_LOAD));
    m.put(Symptom.CPU_SATURATED_CLUSTER, List.of(Metric.CPU_LOAD));
    m.put(Symptom.CPU_THROTTLED, List.of(Metric.CPU_THROTTLED));
    m.put(Symptom.NODE_NOT_READY, List.of(Metric.NODE_READY));
    m.put(Symptom.BUFFERS_FULL_STUCK, List.of(Metric.IN_POOL_USAGE, Metric.OUT_POOL_USAGE));
    m.put(
        Symptom.EXTERNAL_ERRORS,
        List.of(Metric.EXT_ERRORS, Metric.EXT_TIMEOUTS, Metric.EXT_LATENCY));
    return m;
  }

  /**
   * Symptoms plus the extra observations read from the detector bank (after it was updated with the
   * tick's snapshot).
   */
  public static Observation of(Symptoms symptoms, DetectorBank bank, RecoverySettings settings) {
    Map<String, Double> x = new TreeMap<>();
    long change = bank.lastConfigChangeTick();
    boolean recent =
        change != Long.MIN_VALUE
            && bank.tick() - change < settings.symptoms().recentRestartWindowTicks();
    x.put(CONFIG_CHANGED, recent ? 1.0 : 0.0);
    x.put(HEAP_RISE, bank.heapRise());
    x.put(HEAP_USED, bank.value(Signal.HEAP_USED_RATIO));
    return new Observation(symptoms, x);
  }

  /** Raw value of a feature: a symptom's strength, an extra, or NaN when unknown. */
  public double value(String feature) {
    Symptom s = symptom(feature);
    if (s != null) {
      return unobserved.contains(s) ? Double.NaN : symptoms.strength(s);
    }
    Double v = extras.get(feature);
    return v == null ? Double.NaN : v;
  }

  private static final Map<String, Symptom> SYMPTOMS = new java.util.HashMap<>();

  static {
    for (Symptom s : Symptom.values()) {
      SYMPTOMS.put(s.name(), s);
    }
  }

  /** The symptom a feature name denotes, or null. */
  static Symptom symptom(String feature) {
    return SYMPTOMS.get(feature);
  }
}
