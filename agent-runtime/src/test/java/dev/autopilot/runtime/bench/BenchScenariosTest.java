package dev.autopilot.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.api.FailureMode;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.runtime.loop.PipelineSlas;
import dev.autopilot.runtime.run.SimulationRunner;
import dev.autopilot.runtime.sim.Fault;
import dev.autopilot.runtime.sim.FaultCatalogue;
import dev.autopilot.runtime.sim.FaultCatalogue.Category;
import dev.autopilot.runtime.sim.FaultSchedule;
import dev.autopilot.runtime.sim.GeneratedWorkload;
import dev.autopilot.runtime.sim.MarathonWorkload;
import dev.autopilot.runtime.sim.SimSettings;
import dev.autopilot.runtime.sim.SimulatedPlatform;
import dev.autopilot.runtime.sim.YcsbWorkload;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The benchmark's scenario catalogue: workloads, SLAs and fault plans as the paper states them. */
class BenchScenariosTest {

  private static final Config ROOT = ConfigFactory.load();
  private static final BenchScenarios CATALOGUE = BenchScenarios.create(ROOT);

  private static SimSettings sim(BenchScenario s) {
    return SimSettings.create(s.configure(ROOT));
  }

  private static Scenario run(BenchScenario s, double days, long seed) {
    return new Scenario(
        days,
        seed,
        1,
        s.workload(),
        s.plannedFaults(days),
        s.minFaultKinds(days, 8),
        RunMode.AUTONOMOUS,
        10,
        List.of(ControllerKind.RULE_BASED),
        s.name());
  }

  private static dev.autopilot.runtime.sim.Scenario simScenario(
      BenchScenario s, double days, long seed) throws Exception {
    Config c = s.configure(ROOT);
    return SimulationRunner.simScenario(c, SimSettings.create(c), s, run(s, days, seed));
  }

  @Test
  void theCatalogueHoldsThePapersScenariosInOrder() {
    assertEquals(
        List.of("nyc-taxi", "ycsb", "marathon", "network-partition", "memory-leak", "month-end"),
        CATALOGUE.names());
    assertEquals(28, CATALOGUE.require("nyc-taxi").days());
    assertEquals(42, CATALOGUE.require("ycsb").days());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CATALOGUE.require("tpc-h"));
    assertTrue(e.getMessage().contains("nyc-taxi, ycsb"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"nyc-taxi, 800000, 500", "ycsb, 400000, 100", "month-end, 400000, 100"})
  void eachScenarioDeclaresItsSla(String name, double target, double p99) {
    SlaSpec sla = PipelineSlas.of(CATALOGUE.require(name).configure(ROOT), List.of("p1")).get("p1");
    assertEquals(target, sla.throughputTarget());
    assertEquals(p99, sla.latencyP99BoundMs());
  }

  @Test
  void nycTaxiAverages850kWithAPeakNear2_4MATroughNear320kAndSpikesOfFiveToEight() {
    BenchScenario taxi = CATALOGUE.require("nyc-taxi");
    SimSettings s = sim(taxi);
    long ticks = 28 * s.ticksPerDay();
    GeneratedWorkload w =
        new GeneratedWorkload(s.workload(), 42, ticks, s.tickSeconds(), s.startEpochMillis());
    int perHour = 3600 / s.tickSeconds();
    double sum = 0;
    double peak = 0;
    double trough = Double.MAX_VALUE;
    for (int h = 0; h < ticks / perHour; h++) {
      double mean = 0;
      boolean event = false;
      for (int t = h * perHour; t < (h + 1) * perHour; t++) {
        mean += w.offeredRate(t) / perHour;
        event |= w.eventFactor(t) != 1;
      }
      sum += mean;
      if (!event) {
        peak = Math.max(peak, mean);
        trough = Math.min(trough, mean);
      }
    }
    assertEquals(850_000, sum / (ticks / perHour), 8_500);
    assertEquals(2_400_000, peak, 240_000);
    assertEquals(320_000, trough, 32_000);
    assertFalse(w.events().isEmpty());
    for (GeneratedWorkload.SpecialEvent e : w.events()) {
      assertTrue(e.factor() >= 5 && e.factor() <= 8, "event factor " + e.factor());
    }
    assertTrue(w.monthEnds().stream().allMatch(m -> m.factor() == 1), "no month-end");
  }

  @ParameterizedTest
  @CsvSource({
    "nyc-taxi, 28, 87, 142, 23",
    "nyc-taxi, 14, 44, 71, 12",
    "nyc-taxi, 2, 6, 10, 2",
    "ycsb, 42, 52, 98, 15",
    "ycsb, 21, 26, 49, 8",
    "ycsb, 2, 2, 5, 1"
  })
  void faultPlansHaveThePapersCategoryCountsScaledByDuration(
      String name, double days, int infra, int app, int cascade) throws Exception {
    BenchScenario s = CATALOGUE.require(name);
    FaultSchedule f = simScenario(s, days, 42).faults();
    assertEquals(infra, f.count(Category.INFRASTRUCTURE));
    assertEquals(app, f.count(Category.APPLICATION));
    assertEquals(cascade, f.count(Category.CASCADE));
    assertEquals(infra + app + cascade, s.plannedFaults(days));
    for (FaultSchedule.PlannedFault p : f.faults()) {
      switch (p.category()) {
        case INFRASTRUCTURE ->
            assertEquals(
                FaultCatalogue.TargetKind.NODE, FaultCatalogue.entry(p.mode()).targetKind());
        case APPLICATION ->
            assertTrue(
                FaultCatalogue.entry(p.mode()).targetKind() != FaultCatalogue.TargetKind.NODE);
        case CASCADE -> {
          assertTrue(p.cascade());
          assertTrue(FaultCatalogue.entry(p.mode()).cascadesTo() != null);
        }
      }
    }
    Set<FailureMode> modes = new HashSet<>();
    f.faults().forEach(p -> modes.add(p.mode()));
    assertTrue(modes.size() >= s.minFaultKinds(days, 8), modes + " covers the promised kinds");
  }

  @Test
  void theFaultPlanIsAFunctionOfTheSeed() throws Exception {
    BenchScenario s = CATALOGUE.require("ycsb");
    assertEquals(simScenario(s, 3, 5).faults(), simScenario(s, 3, 5).faults());
    assertFalse(simScenario(s, 3, 5).faults().equals(simScenario(s, 3, 6).faults()));
  }

  @Test
  void theNetworkPartitionIsolatesThreeNodesAtOnce() throws Exception {
    BenchScenario s = CATALOGUE.require("network-partition");
    dev.autopilot.runtime.sim.Scenario sc = simScenario(s, 1, 42);
    assertEquals(1, sc.faults().faults().size());
    FaultSchedule.PlannedFault planned = sc.faults().faults().get(0);
    assertEquals(FailureMode.NETWORK_PARTITION, planned.mode());
    assertEquals(3, planned.nodes());
    assertEquals(3, s.plannedFaults(1));
    SimulatedPlatform p = new SimulatedPlatform(sim(s), sc);
    List<String> hostsBefore = null;
    while (p.currentTick() < planned.tick()) {
      hostsBefore = p.nodesOf("p1");
      p.advance();
    }
    List<Fault> active = p.truth("p1").activeFaults();
    assertEquals(3, active.size(), active.toString());
    Set<String> nodes = new HashSet<>();
    for (Fault f : active) {
      assertEquals(FailureMode.NETWORK_PARTITION, f.mode());
      assertEquals(planned.tick(), f.injectedTick());
      nodes.add(f.target());
    }
    assertEquals(3, nodes.size(), "three distinct nodes: " + nodes);
    // the nodes hosting the pipeline are struck first
    for (String host : hostsBefore.subList(0, Math.min(3, hostsBefore.size()))) {
      assertTrue(nodes.contains(host) || hostsBefore.size() > 3, host + " in " + nodes);
    }
  }

  @Test
  void thePartitionFindsThreeNodesWhenThePipelineRunsOnOne() throws Exception {
    BenchScenario s = CATALOGUE.require("network-partition");
    SimSettings small =
        SimSettings.create(
            ConfigFactory.parseString("autopilot.simulation.initial-config.task-managers = 1")
                .withFallback(s.configure(ROOT)));
    dev.autopilot.runtime.sim.Scenario sc = simScenario(s, 1, 42);
    SimulatedPlatform p = new SimulatedPlatform(small, sc);
    long at = sc.faults().faults().get(0).tick();
    List<String> host = List.of();
    while (p.currentTick() < at) {
      host = p.nodesOf("p1");
      p.advance();
    }
    assertEquals(1, host.size(), "one TaskManager, one node: " + host);
    Set<String> struck = new HashSet<>();
    p.truth("p1").activeFaults().forEach(f -> struck.add(f.target()));
    assertEquals(3, struck.size(), struck.toString());
    assertTrue(struck.containsAll(host), "the pipeline's node is among " + struck);
  }

  @Test
  void theLeakWouldExhaustMemoryAfterALowTrafficWindow() throws Exception {
    BenchScenario s = CATALOGUE.require("memory-leak");
    SimSettings settings = sim(s);
    dev.autopilot.runtime.sim.Scenario sc = simScenario(s, s.days(), 42);
    FaultSchedule.PlannedFault leak = sc.faults().faults().get(0);
    assertEquals(FailureMode.MEMORY_LEAK, leak.mode());
    SimulatedPlatform p = new SimulatedPlatform(settings, sc);
    long end = sc.ticks(settings);
    Fault oom = null;
    while (oom == null && p.currentTick() < end - 1) {
      p.advance();
      oom =
          p.faults().stream()
              .filter(f -> leak.id().equals(f.parentId()) && f.mode() == FailureMode.TASK_CRASH)
              .findFirst()
              .orElse(null);
    }
    assertTrue(oom != null, "left alone, the leak OOM-kills a TaskManager within the run");
    // a low-traffic window (an hour below half the day's average) lies between the leak and the OOM
    int perHour = 3600 / settings.tickSeconds();
    double average = 0;
    for (long t = 0; t < settings.ticksPerDay(); t++) {
      average += sc.workload().offeredRate(t) / settings.ticksPerDay();
    }
    long lowHours = 0;
    long lastLowEnd = -1;
    for (long h = leak.tick() / perHour; h < oom.injectedTick() / perHour; h++) {
      double mean = 0;
      for (long t = h * perHour; t < (h + 1) * perHour; t++) {
        mean += sc.workload().offeredRate(t) / perHour;
      }
      if (mean < average / 2) {
        lowHours++;
        lastLowEnd = (h + 1) * perHour;
      }
    }
    assertTrue(lowHours >= 4, "hours of low traffic before the OOM: " + lowHours);
    assertTrue(lastLowEnd <= oom.injectedTick(), "the window closes before the OOM");
    double oomRate = sc.workload().offeredRate(oom.injectedTick());
    assertTrue(oomRate > average / 2, "the OOM hits after the trough, at " + oomRate);
  }

  @Test
  void theMonthEndSpikeIs2_8TimesForThreeDays() throws Exception {
    BenchScenario s = CATALOGUE.require("month-end");
    SimSettings settings = sim(s);
    dev.autopilot.runtime.sim.Scenario sc = simScenario(s, s.days(), 42);
    YcsbWorkload w = (YcsbWorkload) sc.workload();
    List<GeneratedWorkload.MonthEnd> ends = w.rates().monthEnds();
    assertEquals(1, ends.size());
    GeneratedWorkload.MonthEnd m = ends.get(0);
    assertEquals(2.8, m.factor(), 1e-9);
    assertEquals(3 * settings.ticksPerDay(), m.endTick() - m.startTick());
    assertTrue(m.startTick() > 0 && m.endTick() < sc.ticks(settings), "a normal day on each side");
    assertTrue(sc.faults().faults().isEmpty());
  }

  @Test
  void theMarathonSurgesFrom850kTo5_2M() throws Exception {
    BenchScenario s = CATALOGUE.require("marathon");
    dev.autopilot.runtime.sim.Scenario sc = simScenario(s, 1, 42);
    MarathonWorkload w = (MarathonWorkload) sc.workload();
    SimSettings settings = sim(s);
    double max = 0;
    double sum = 0;
    double sumOutside = 0;
    int outside = 0;
    for (long t = 0; t < settings.ticksPerDay(); t++) {
      double r = w.offeredRate(t);
      max = Math.max(max, r);
      sum += r;
      if (w.surgeFactor(t) == 0) {
        sumOutside += r;
        outside++;
      }
    }
    assertEquals(5_200_000, max, 52_000);
    assertTrue(sum / settings.ticksPerDay() > 850_000, "the surge comes on top of the day");
    assertEquals(850_000, sumOutside / outside, 120_000);
    assertEquals(0, s.plannedFaults(1));
  }
}
