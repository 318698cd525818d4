package dev.autopilot.runtime.bench.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.meta.MetaSettings;
import dev.autopilot.agents.optimization.policy.OptimizationSettings;
import dev.autopilot.api.Action;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.runtime.sim.FaultSchedule;
import dev.autopilot.runtime.sim.Scenario;
import dev.autopilot.runtime.sim.SimSettings;
import dev.autopilot.runtime.sim.SimulatedPlatform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Ds2BaselineTest {

  private static final Config CONFIG = ConfigFactory.load();
  private static final SimSettings SIM = SimSettings.create(CONFIG);
  static final ParallelismBounds BOUNDS =
      new ParallelismBounds(MetaSettings.create(CONFIG).arbiter().admission());

  static Ds2Baseline ds2(AlertRecovery recovery) {
    return new Ds2Baseline(
        OptimizationSettings.create(CONFIG), new SlaSpec(800_000, 500, 0.05), BOUNDS, recovery);
  }

  @Test
  void scalesUpUnderLoadInTheSimulatorWithinTheBounds() {
    SimulatedPlatform platform =
        new SimulatedPlatform(
            SIM, new Scenario(7L, 1, List.of("p1"), t -> 2_000_000, FaultSchedule.none()));
    Ds2Baseline ds2 = ds2(new AlertRecovery(27, 30, (p, t) -> List.of()));
    PipelineConfig initial = platform.observe("p1").config();
    List<PipelineConfig> applied = new ArrayList<>();
    for (long t = 0; t < 360; t++) {
      TelemetrySnapshot s = platform.observe("p1");
      for (Action a : ds2.onTick(s).actions()) {
        Action.Reconfigure r = assertInstanceOf(Action.Reconfigure.class, a);
        assertTrue(r.reason().startsWith("DS2 scale-"), r.reason());
        platform.apply("p1", r.target());
        applied.add(r.target());
      }
      platform.advance();
    }
    assertFalse(applied.isEmpty(), "no scaling under 2M events/s");
    PipelineConfig first = applied.get(0);
    assertTrue(
        first.requiredSlots() > initial.requiredSlots(),
        () -> initial.summary() + " -> " + first.summary());
    for (PipelineConfig c : applied) {
      assertTrue(BOUNDS.violation(c).isEmpty(), c::summary);
      int slots = c.slotsPerTaskManager();
      assertEquals((c.requiredSlots() + slots - 1) / slots, c.taskManagers(), c::summary);
    }
    assertEquals(0, ds2.refused());
  }

  @Test
  void boundsClampParallelismAndSizeTheTaskManagers() {
    Map<String, Integer> p = new LinkedHashMap<>();
    p.put("source", 1);
    p.put("parse", 300);
    PipelineConfig proposed = new PipelineConfig(p, 32, 30, 2, 4.0, 16.0, 4);
    PipelineConfig fitted = BOUNDS.fit(proposed).orElseThrow();
    assertEquals(Map.of("source", 4, "parse", 256), fitted.parallelism());
    assertEquals(64, fitted.taskManagers());
    assertTrue(BOUNDS.violation(proposed).isPresent());
    // 64 TaskManagers of 16 cores: 1024 cores, over 80 % of the 960-core cluster
    assertTrue(BOUNDS.fit(proposed.withResources(16.0, 16.0)).isEmpty());
  }
}
