package dev.autopilot.agents.optimization.cost;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Tiered checkpoint storage: data younger than {@link CostSettings#ssdMaxAgeSeconds()} (24 h) is on
 * SSD, up to {@link CostSettings#blockMaxAgeSeconds()} (7 days, inclusive) on block storage, older
 * on object storage; each tier has its own price per GB-month. Boundaries: exactly 24 h is block,
 * exactly 7 d is still block, anything older is object.
 */
public final class StorageTiers {

  /** Seconds in the month the GB-month prices refer to (30 days). */
  public static final double SECONDS_PER_MONTH = 30 * 86_400.0;

  private final CostSettings settings;

  public StorageTiers(CostSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Some stored checkpoint data.
   *
   * @param gb size, GB
   * @param ageSeconds time since it was written
   */
  public record Stored(double gb, double ageSeconds) {
    public Stored {
      if (!(gb >= 0) || !(ageSeconds >= 0)) {
        throw new IllegalArgumentException(
            "stored data needs gb >= 0 and age >= 0, was " + gb + " GB, " + ageSeconds + " s");
      }
    }
  }

  /** The tier of data of this age. */
  public StorageTier tierOf(double ageSeconds) {
    if (ageSeconds < settings.ssdMaxAgeSeconds()) {
      return StorageTier.SSD;
    }
    return ageSeconds <= settings.blockMaxAgeSeconds() ? StorageTier.BLOCK : StorageTier.OBJECT;
  }

  /** Price of a tier, dollars per GB-month. */
  public double pricePerGbMonth(StorageTier tier) {
    return switch (tier) {
      case SSD -> settings.ssdPricePerGbMonth();
      case BLOCK -> settings.blockPricePerGbMonth();
      case OBJECT -> settings.objectPricePerGbMonth();
    };
  }

  /** Cost of keeping the data for {@code seconds}, per tier (dollars; every tier present). */
  public Map<StorageTier, Double> cost(List<Stored> data, double seconds) {
    Map<StorageTier, Double> out = new EnumMap<>(StorageTier.class);
    for (StorageTier t : StorageTier.values()) {
      out.put(t, 0.0);
    }
    for (Stored s : data) {
      StorageTier t = tierOf(s.ageSeconds());
      out.merge(t, s.gb() * pricePerGbMonth(t) * seconds / SECONDS_PER_MONTH, Double::sum);
    }
    return out;
  }
}
