package dev.autopilot.agents.recovery.drift;

import com.typesafe.config.Config;
import java.util.EnumMap;
import java.util.Map;

/**
 * Health index and drift detector knobs, read from {@code autopilot.recovery.health} (the module's
 * {@code reference.conf} documents each key).
 *
 * @param alpha EWMA weight of a new score
 * @param initial starting value of every index
 * @param subsystemWeights weight of each subsystem in the global index
 * @param degraded index level at or above which a subsystem counts as degraded
 * @param adwinDelta ADWIN confidence
 * @param eddmWarning EDDM warning level
 * @param eddmDrift EDDM drift level
 * @param eddmMinErrors EDDM errors before it may signal
 * @param histogramBins KL / PSI bins
 * @param histogramEpsilon KL / PSI empty-bin probability floor
 * @param psiModerate PSI of a moderate shift
 * @param psiSignificant PSI of a significant shift
 */
public record HealthSettings(
    double alpha,
    double initial,
    Map<Subsystem, Double> subsystemWeights,
    double degraded,
    double adwinDelta,
    double eddmWarning,
    double eddmDrift,
    int eddmMinErrors,
    int histogramBins,
    double histogramEpsilon,
    double psiModerate,
    double psiSignificant) {

  public HealthSettings {
    subsystemWeights = Map.copyOf(subsystemWeights);
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("health alpha must be in (0, 1], got " + alpha);
    }
    if (!(initial >= 0 && initial <= 1)) {
      throw new IllegalArgumentException("health initial must be in [0, 1], got " + initial);
    }
    for (Subsystem s : Subsystem.values()) {
      Double w = subsystemWeights.get(s);
      if (w == null || !(w >= 0)) {
        throw new IllegalArgumentException("subsystem weight of " + s + " must be >= 0, got " + w);
      }
    }
    if (!(psiModerate > 0 && psiModerate < psiSignificant)) {
      throw new IllegalArgumentException(
          "need 0 < psi-moderate < psi-significant, got " + psiModerate + ", " + psiSignificant);
    }
  }

  /** Reads {@code autopilot.recovery.health} from a full configuration. */
  public static HealthSettings create(Config root) {
    Config c = root.getConfig("autopilot.recovery.health");
    Map<Subsystem, Double> w = new EnumMap<>(Subsystem.class);
    for (Subsystem s : Subsystem.values()) {
      w.put(s, c.getDouble("subsystem-weights." + s.name()));
    }
    return new HealthSettings(
        c.getDouble("alpha"),
        c.getDouble("initial"),
        w,
        c.getDouble("degraded"),
        c.getDouble("adwin-delta"),
        c.getDouble("eddm-warning"),
        c.getDouble("eddm-drift"),
        c.getInt("eddm-min-errors"),
        c.getInt("histogram-bins"),
        c.getDouble("histogram-epsilon"),
        c.getDouble("psi-moderate"),
        c.getDouble("psi-significant"));
  }

  /** A new ADWIN with these settings. */
  public Adwin newAdwin() {
    return new Adwin(adwinDelta);
  }

  /** A new EDDM with these settings. */
  public Eddm newEddm() {
    return new Eddm(eddmWarning, eddmDrift, eddmMinErrors);
  }

  /** Fixes KL / PSI bins from a reference window with these settings. */
  public DistributionShift shiftFrom(double[] referenceWindow) {
    return DistributionShift.fromReference(referenceWindow, histogramBins, histogramEpsilon);
  }
}
