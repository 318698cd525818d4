package dev.autopilot.runtime.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.api.PipelineConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** reference.conf carries the defaults of the design, and the initial configuration fits them. */
class SimSettingsTest {

  private final SimSettings s = SimSettings.create(ConfigFactory.load());

  @Test
  void defaultsAreTheDesignFigures() {
    assertEquals(10, s.tickSeconds());
    assertEquals(30, s.cluster().maxNodes());
    assertEquals(32, s.cluster().nodeCores());
    assertEquals(128, s.cluster().nodeMemoryGb());
    assertEquals(List.of("source", "parse", "enrich", "filter", "transform", "window-agg", "session-agg", "sink"),
        s.operatorIds());
    PipelineConfig c = s.initialConfig();
    assertEquals(4, c.taskManagerCpu());
    assertEquals(16, c.taskManagerMemoryGb());
    assertEquals(4, c.slotsPerTaskManager());
    assertTrue(c.structuralErrors().isEmpty());
    assertEquals(850_000, s.workload().averageRate());
    assertEquals(24, s.faults().count());
    assertEquals(10, s.actions().taskRestartSeconds().min());
    assertEquals(15, s.actions().taskRestartSeconds().max());
    assertEquals(45, s.taskManager().podStartSeconds().min());
    assertEquals(75, s.taskManager().podStartSeconds().max());
    assertEquals(180, s.cluster().nodeProvisionSeconds().min());
    assertEquals(300, s.cluster().nodeProvisionSeconds().max());
  }

  @Test
  void theInitialConfigurationHandlesTheAverageButNotThePeaks() {
    SimulatedPlatform sim = SimFixtures.constant(s, 850_000, 1);
    double capacity = sim.truth("p1").capacity();
    assertTrue(capacity > 1.5 * 850_000, "comfortable at the average: " + capacity);
    Workload w = Scenario.defaultScenario(s, 1, 7, 1).workload();
    double peak = 0;
    for (long t = 0; t < 7 * s.ticksPerDay(); t++) {
      peak = Math.max(peak, w.offeredRate(t));
    }
    assertTrue(peak > 1.5 * capacity, "peaks need scaling: peak " + peak + " vs capacity " + capacity);
  }
}
