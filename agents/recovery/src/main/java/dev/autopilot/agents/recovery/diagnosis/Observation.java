package dev.autopilot.agents.recovery.diagnosis;

import dev.autopilot.agents.recovery.policy.DetectorBank;
import dev.autopilot.agents.recovery.policy.RecoverySettings;
import dev.autopilot.agents.recovery.policy.Signal;
import dev.autopilot.agents.recovery.policy.Symptom;
import dev.autopilot.agents.recovery.policy.Symptoms;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the root-cause network observes at one tick: the extracted symptoms (strengths in [0, 1])
 * and a few extra observations the symptoms do not carry (see {@link #of}). Features are named;
 * {@link #value(String)} gives a feature's raw value, which the model discretises with its cut
 * points. An unknown feature is NaN, which the model treats as unobserved.
 *
 * @param symptoms the symptoms of the tick
 * @param extras extra observations by name
 */
public record Observation(Symptoms symptoms, Map<String, Double> extras) {

  /** 1 when the running configuration changed within the recent-restart window, else 0. */
  public static final String CONFIG_CHANGED = "CONFIG_CHANGED";

  /** Rise of the largest heap used ratio over the slope window (the leak slope), ratio points. */
  public static final String HEAP_RISE = "HEAP_RISE";

  /** The largest heap used ratio of any TaskManager, 0-1. */
  public static final String HEAP_USED = "HEAP_USED";

  public Observation {
    extras = Map.copyOf(extras);
  }

  /** Symptoms only. */
  public static Observation of(Symptoms symptoms) {
    return new Observation(symptoms, Map.of());
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
      return symptoms.strength(s);
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
