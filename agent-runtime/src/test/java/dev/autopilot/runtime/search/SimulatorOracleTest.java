package dev.autopilot.runtime.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.PipelineConfig;
import dev.autopilot.runtime.sim.SimSettings;
import org.junit.jupiter.api.Test;

/** The simulator oracle: deterministic, sensitive to resources, strict about its input. */
class SimulatorOracleTest {

  private static final SimSettings SIM = SimSettings.create(SearchFixtures.TINY);
  private static final SimulatorOracle ORACLE =
      new SimulatorOracle(SIM, new SimulatorOracle.Window(10, 10));

  @Test
  void theSameConfigurationLoadAndSeedGiveTheSameMeasurement() {
    PipelineConfig c = SIM.initialConfig();
    SimulatorOracle.Measurement a = ORACLE.measure(c, 900_000, 3);
    SimulatorOracle.Measurement b = ORACLE.measure(c, 900_000, 3);
    assertEquals(a, b);
    assertTrue(a.throughput() > 0 && a.p99Ms() > 0, a.toString());
  }

  @Test
  void moreCoresProcessMoreWhenSaturated() {
    PipelineConfig small = SIM.initialConfig().withResources(2, 8).withTaskManagers(8);
    PipelineConfig big = SIM.initialConfig().withResources(8, 8).withTaskManagers(8);
    SimulatorOracle.Measurement s = ORACLE.measure(small, 2_000_000, 1);
    SimulatorOracle.Measurement b = ORACLE.measure(big, 2_000_000, 1);
    assertTrue(s.throughput() < 0.8 * 2_000_000, s.toString());
    assertTrue(b.throughput() > 1.5 * s.throughput(), b + " vs " + s);
    assertTrue(s.p99Ms() > b.p99Ms(), "a saturated pipeline's backlog shows in p99");
  }

  @Test
  void badInputIsRejectedWithAMessage() {
    PipelineConfig c = SIM.initialConfig();
    assertThrows(IllegalArgumentException.class, () -> ORACLE.measure(c, 0, 1));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ORACLE.measure(c.withTaskManagers(1), 1e6, 1));
    assertTrue(e.getMessage().contains("slots"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new SimulatorOracle.Window(1, 0));
  }

  @Test
  void stateGrowsWithTheLoad() {
    assertEquals(2 * ORACLE.workload(5e5).stateGb(), ORACLE.workload(1e6).stateGb(), 1e-9);
    assertTrue(ORACLE.workload(1e6).stateGb() > 0);
  }
}
