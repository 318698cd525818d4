package dev.autopilot.runtime.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.api.PipelineConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The marathon surge: 850k events/s normal days, a surge to 5.2M, and a cluster that can serve it. */
class MarathonWorkloadTest {
  private static final SimSettings SIM = SimFixtures.SETTINGS;
  private static final MarathonWorkload.Settings SURGE =
      MarathonWorkload.Settings.create(ConfigFactory.load());

  @Test
  void defaultsAreThePapersMarathon() {
    assertEquals(5_200_000, SURGE.peakRate());
    assertEquals(8, SURGE.surgeStartHours());
    assertEquals(40, SURGE.rampUpMinutes());
    assertEquals(90, SURGE.holdMinutes());
    assertEquals(60, SURGE.rampDownMinutes());
  }

  @Test
  void normalLoadThenASurgeToThePeakAndBack() {
    long ticks = SIM.ticksPerDay();
    MarathonWorkload w = MarathonWorkload.create(SIM, SURGE, 42, ticks);
    int perHour = 360;
    long start = 8 * perHour;
    long peakFrom = start + 40 * 6;
    long peakTo = peakFrom + 90 * 6;
    long end = peakTo + 60 * 6;
    double before = 0;
    for (long t = 0; t < start; t++) {
      before = Math.max(before, w.offeredRate(t));
      assertEquals(0, w.surgeFactor(t));
    }
    assertTrue(before < 1_500_000, "normal morning load stays near 850k/s: " + before);
    for (long t = peakFrom; t < peakTo; t++) {
      assertEquals(5_200_000, w.offeredRate(t), 1e-6);
    }
    for (long t = start + 1; t < peakFrom; t++) {
      assertTrue(w.surgeFactor(t) > w.surgeFactor(t - 1), "the ramp-up rises at tick " + t);
    }
    for (long t = peakTo + 1; t < end; t++) {
      assertTrue(w.surgeFactor(t) < w.surgeFactor(t - 1), "the ramp-down falls at tick " + t);
    }
    assertEquals(0, w.surgeFactor(end));
    double outside = 0;
    for (long t = 0; t < ticks; t++) {
      if (w.surgeFactor(t) == 0) {
        outside = Math.max(outside, w.offeredRate(t));
      }
    }
    // Diurnal 3:1 around 850k/s peaks at 1.275M/s; no special event (x5-8) outside the surge.
    assertTrue(outside < 1.5 * 1_275_000, "normal days outside the surge: " + outside);
  }

  @Test
  void theSameSeedGivesTheSameLoad() {
    MarathonWorkload a = MarathonWorkload.create(SIM, SURGE, 7, 4320);
    MarathonWorkload b = MarathonWorkload.create(SIM, SURGE, 7, 4320);
    for (long t = 0; t < 4320; t += 17) {
      assertEquals(a.offeredRate(t), b.offeredRate(t));
    }
  }

  @Test
  void theClusterServesThePeakOnceScaled() {
    // 64 TaskManagers of 4 cores (256 cores, a third of the admitted 80 % of 30 x 32 cores), every
    // operator at the tested maximum parallelism of 256.
    Map<String, Integer> p = new LinkedHashMap<>();
    SIM.operatorIds().forEach(op -> p.put(op, 256));
    PipelineConfig big = SIM.initialConfig().withParallelism(p).withTaskManagers(64);
    Workload w = tick -> 5_200_000;
    SimulatedPlatform sim =
        new SimulatedPlatform(
            SIM.withInitialConfig(big), new Scenario(1, 1, List.of("p1"), w, FaultSchedule.none()));
    SimFixtures.advance(sim, 60);
    double capacity = sim.truth("p1").capacity();
    assertTrue(capacity > 5_200_000 / 0.7, "capacity at the peak: " + capacity);
  }

  @Test
  void badSurgeSettingsAreRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new MarathonWorkload.Settings(0, 8, 40, 90, 60));
    assertTrue(e.getMessage().contains("autopilot.simulation.marathon: peak-rate"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new MarathonWorkload.Settings(5_200_000, 8, 0, 90, 60));
    assertThrows(
        IllegalArgumentException.class,
        () -> new MarathonWorkload.Settings(5_200_000, -1, 40, 90, 60));
  }
}
