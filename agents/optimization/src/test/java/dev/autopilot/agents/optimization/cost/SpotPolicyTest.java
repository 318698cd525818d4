package dev.autopilot.agents.optimization.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpotPolicyTest {

  static final CostSettings DEFAULTS =
      new CostSettings(0.6, 500, 0.125, 0.08, 0.023, 86_400, 7 * 86_400);

  private final SpotPolicy policy = new SpotPolicy(DEFAULTS);

  @ParameterizedTest
  @CsvSource({"8, 5", "10, 6", "5, 3", "1, 1", "0, 0", "4, 2"})
  void aTolerantPipelineRunsSixtyPercentOfItsTaskManagersOnSpot(int tms, int spot) {
    assertEquals(spot, policy.spotTaskManagers(tms, true));
    assertEquals(0, policy.spotTaskManagers(tms, false));
  }

  @Test
  void newPodsFillTheSpotShareThenGoOnDemand() {
    int spot = 0;
    int onDemand = 0;
    for (int i = 0; i < 10; i++) {
      if (policy.marketForNewPod(true, spot, 10) == Market.SPOT) {
        spot++;
      } else {
        onDemand++;
      }
    }
    assertEquals(6, spot);
    assertEquals(4, onDemand);
    assertEquals(Market.ON_DEMAND, policy.marketForNewPod(false, 0, 10));
  }

  @ParameterizedTest
  @CsvSource({"500, true", "2000, true", "499.9, false", "100, false", "Infinity, true"})
  void latencyTolerantMeansAnSlaP99BoundOfAtLeastTheThreshold(double boundMs, boolean tolerant) {
    assertEquals(tolerant, policy.latencyTolerant(boundMs));
  }

  @Test
  void replacementsReadyBeforeTheReclaimMigrateSeamlessly() {
    // notice at 1000 s, node goes at 1120 s, on-demand replacements ready at 1060 s
    SpotPolicy.Migration m = policy.onWithdrawal(1000, 1120, 1060, 40);
    assertEquals(Market.ON_DEMAND, m.target());
    assertTrue(m.seamless());
    assertEquals(1060, m.releaseOldAtSec(), 1e-9);
    assertEquals(1060, m.restartAtSec(), 1e-9);
    assertEquals(40, m.downtimeSeconds(), 1e-9); // only the restart from checkpoint
  }

  @Test
  void replacementsLaterThanTheReclaimCostTheGapToo() {
    // a new on-demand node is needed: replacements ready at 1300 s, node gone at 1120 s
    SpotPolicy.Migration m = policy.onWithdrawal(1000, 1120, 1300, 40);
    assertEquals(Market.ON_DEMAND, m.target());
    assertFalse(m.seamless());
    assertEquals(1120, m.releaseOldAtSec(), 1e-9);
    assertEquals(1300, m.restartAtSec(), 1e-9);
    assertEquals(180 + 40, m.downtimeSeconds(), 1e-9);
  }

  @Test
  void impossibleInputsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> policy.onWithdrawal(1000, 900, 1100, 40));
    assertThrows(IllegalArgumentException.class, () -> policy.spotTaskManagers(-1, true));
    assertThrows(IllegalArgumentException.class, () -> policy.latencyTolerant(Double.NaN));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new CostSettings(1.5, 500, 0.1, 0.1, 0.1, 86_400, 7 * 86_400));
    assertTrue(e.getMessage().contains("spot-share"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new CostSettings(0.6, 500, 0.1, 0.1, 0.1, 7 * 86_400, 86_400));
  }
}
