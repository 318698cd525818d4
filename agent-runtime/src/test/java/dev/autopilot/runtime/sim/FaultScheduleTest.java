package dev.autopilot.runtime.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.FailureMode;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Generated fault schedules: spread over the run, covering the modes, with some cascades. */
class FaultScheduleTest {

  private static final SimSettings S = SimFixtures.SETTINGS;
  private static final long TICKS = 7 * S.ticksPerDay();

  @ParameterizedTest
  @ValueSource(ints = {8, 10, 15, 24, 40})
  void coversTheModes(int count) {
    FaultSchedule f = FaultSchedule.generate(S.faults(), 5, List.of("p1", "p2"), TICKS, S.tickSeconds(), count);
    assertEquals(count, f.faults().size());
    assertTrue(f.modes().size() >= Math.min(count, 8));
    if (count >= 15) {
      assertEquals(EnumSet.allOf(FailureMode.class), f.modes());
    } else {
      assertEquals(count, f.modes().size(), "distinct modes before any repeats");
    }
  }

  @Test
  void spreadsFaultsOverTheRunAfterAWarmUp() {
    FaultSchedule f = FaultSchedule.generate(S.faults(), 5, List.of("p1", "p2"), TICKS, S.tickSeconds(), 24);
    long warmUp = Math.round(S.faults().firstFaultHours() * 3600 / S.tickSeconds());
    long previous = -1;
    for (FaultSchedule.PlannedFault p : f.faults()) {
      assertTrue(p.tick() >= warmUp && p.tick() < TICKS);
      assertTrue(p.tick() > previous, "one fault per slot, in order");
      previous = p.tick();
    }
    assertTrue(f.faults().get(23).tick() > TICKS * 0.9, "the last fault is near the end");
    assertTrue(f.faults().stream().anyMatch(p -> p.pipelineId().equals("p2")));
    assertTrue(f.faults().stream().anyMatch(FaultSchedule.PlannedFault::cascade), "some cascades");
    for (FaultSchedule.PlannedFault p : f.faults()) {
      if (p.cascade()) {
        assertTrue(FaultCatalogue.entry(p.mode()).cascadesTo() != null);
      }
    }
  }

  @Test
  void theDefaultScenarioInjectsItsFaultsIntoTheGroundTruth() {
    Scenario sc = Scenario.defaultScenario(S, 9, 1, 1, 20);
    SimulatedPlatform sim = new SimulatedPlatform(S, sc);
    long last = sc.faults().faults().get(sc.faults().faults().size() - 1).tick();
    for (long t = 0; t <= last; t++) {
      sim.advance();
    }
    List<Fault> faults = sim.faults();
    long planned = faults.stream().filter(f -> f.parentId() == null).count();
    assertEquals(20, planned);
    assertTrue(faults.stream().map(Fault::mode).distinct().count() >= 8);
  }
}
