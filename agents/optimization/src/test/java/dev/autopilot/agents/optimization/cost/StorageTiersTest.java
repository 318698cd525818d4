package dev.autopilot.agents.optimization.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StorageTiersTest {

  private static final double H = 3600;
  private static final double D = 86_400;

  private final StorageTiers tiers = new StorageTiers(SpotPolicyTest.DEFAULTS);

  @ParameterizedTest
  @CsvSource({
    "0, SSD",
    "60, SSD",
    "86399.999, SSD",
    "86400, BLOCK", // exactly 24 h: no longer younger than 24 h
    "172800, BLOCK",
    "604800, BLOCK", // exactly 7 days: still block ("up to 7 days")
    "604800.001, OBJECT",
    "2592000, OBJECT"
  })
  void tierBoundariesAreTwentyFourHoursAndSevenDays(double ageSeconds, StorageTier tier) {
    assertEquals(tier, tiers.tierOf(ageSeconds));
  }

  @Test
  void eachTierIsBilledAtItsOwnPrice() {
    // 10 GB on each tier for a whole month
    Map<StorageTier, Double> cost =
        tiers.cost(
            List.of(
                new StorageTiers.Stored(10, 5 * 60),
                new StorageTiers.Stored(10, 3 * D),
                new StorageTiers.Stored(10, 10 * D)),
            StorageTiers.SECONDS_PER_MONTH);
    assertEquals(1.25, cost.get(StorageTier.SSD), 1e-12);
    assertEquals(0.8, cost.get(StorageTier.BLOCK), 1e-12);
    assertEquals(0.23, cost.get(StorageTier.OBJECT), 1e-12);
    // an hour of 1 GB on SSD
    assertEquals(
        0.125 / 720,
        tiers.cost(List.of(new StorageTiers.Stored(1, 0)), H).get(StorageTier.SSD),
        1e-15);
    assertEquals(0.0, tiers.cost(List.of(), H).get(StorageTier.OBJECT));
  }

  @Test
  void negativeSizesOrAgesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new StorageTiers.Stored(-1, 0));
    assertThrows(IllegalArgumentException.class, () -> new StorageTiers.Stored(1, Double.NaN));
  }
}
