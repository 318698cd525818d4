package dev.autopilot.agents.recovery.drift;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fuses detector scores {@code s in [0, 1]} (0 normal, 1 certain change) into health indices: an
 * EWMA {@code H_t = alpha s_t + (1 - alpha) H_(t-1)} per {@link Subsystem} and a global one.
 *
 * <p>Each detector is registered under one subsystem (see {@link Subsystem} for the mapping:
 * infrastructure = CPU / memory / network / node CUSUM and ADWIN; data = throughput, lag and
 * input-distribution drift by KL / PSI; model = ADWIN on ensemble scores and forecast residuals,
 * EDDM on verified prediction errors). In each tick a subsystem's score is the largest score of its
 * detectors that reported (one alarming detector is enough to degrade it); a subsystem with no
 * report keeps its index. The global score of a tick is the weighted mean of the subsystem scores
 * reported in it, and the global index is its EWMA.
 *
 * <p>Mutable; not thread-safe.
 */
public final class HealthIndex {

  private final HealthSettings settings;
  private final Map<String, Subsystem> routing = new LinkedHashMap<>();
  private final Map<Subsystem, Double> index = new EnumMap<>(Subsystem.class);
  private double global;

  public HealthIndex(HealthSettings settings) {
    this.settings = settings;
    for (Subsystem s : Subsystem.values()) {
      index.put(s, settings.initial());
    }
    global = settings.initial();
  }

  /** Routes a detector's scores to a subsystem. */
  public HealthIndex register(String detector, Subsystem subsystem) {
    Subsystem prev = routing.putIfAbsent(detector, subsystem);
    if (prev != null && prev != subsystem) {
      throw new IllegalArgumentException(
          "detector " + detector + " is already routed to " + prev + ", not " + subsystem);
    }
    return this;
  }

  /** The subsystem of each registered detector. */
  public Map<String, Subsystem> routing() {
    return Collections.unmodifiableMap(routing);
  }

  /**
   * Advances one tick.
   *
   * @param scores this tick's score per registered detector (detectors may be missing)
   */
  public void update(Map<String, Double> scores) {
    Map<Subsystem, Double> tick = new EnumMap<>(Subsystem.class);
    scores.forEach(
        (detector, s) -> {
          Subsystem sub = routing.get(detector);
          if (sub == null) {
            throw new IllegalArgumentException("unregistered detector " + detector);
          }
          if (s == null || !(s >= 0 && s <= 1)) {
            throw new IllegalArgumentException(
                "score of " + detector + " must be in [0, 1], got " + s);
          }
          tick.merge(sub, s, Math::max);
        });
    if (tick.isEmpty()) {
      return;
    }
    double a = settings.alpha();
    double wsum = 0;
    double gs = 0;
    for (Map.Entry<Subsystem, Double> e : tick.entrySet()) {
      index.put(e.getKey(), a * e.getValue() + (1 - a) * index.get(e.getKey()));
      double w = settings.subsystemWeights().get(e.getKey());
      wsum += w;
      gs += w * e.getValue();
    }
    if (wsum > 0) {
      global = a * (gs / wsum) + (1 - a) * global;
    }
  }

  /** The index of one subsystem. */
  public double index(Subsystem s) {
    return index.get(s);
  }

  /** The global index. */
  public double global() {
    return global;
  }

  /** Whether a subsystem's index is at or above the degraded level. */
  public boolean degraded(Subsystem s) {
    return index.get(s) >= settings.degraded();
  }
}
