package dev.autopilot.runtime.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.FailureMode;
import dev.autopilot.runtime.sim.FaultCatalogue.Category;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Fault schedules drawn by category, and faults striking several nodes. */
class FaultPlanTest {

  private static final SimSettings S = SimFixtures.SETTINGS;
  private static final long DAY = S.ticksPerDay();

  private static FaultSchedule plan(int infra, int app, int cascade, long seed) {
    return FaultSchedule.generate(
        S.faults(),
        seed,
        List.of("p1", "p2"),
        7 * DAY,
        S.tickSeconds(),
        new FaultSchedule.Plan(infra, app, cascade));
  }

  @Test
  void theCategoriesSplitTheFifteenModes() {
    assertEquals(
        EnumSet.of(
            FailureMode.NETWORK_PARTITION,
            FailureMode.DISK_FULL,
            FailureMode.CPU_SATURATION,
            FailureMode.RESOURCE_EXHAUSTION,
            FailureMode.INFRASTRUCTURE_FAILURE),
        EnumSet.copyOf(FaultCatalogue.modes(Category.INFRASTRUCTURE)));
    assertEquals(10, FaultCatalogue.modes(Category.APPLICATION).size());
    assertEquals(
        EnumSet.of(
            FailureMode.NETWORK_PARTITION,
            FailureMode.DISK_FULL,
            FailureMode.INFRASTRUCTURE_FAILURE),
        EnumSet.copyOf(FaultCatalogue.cascadeParents()));
  }

  @Test
  void eachCategoryCoversItsModesBeforeRepeating() {
    FaultSchedule f = plan(5, 10, 3, 9);
    assertEquals(18, f.faults().size());
    Set<FailureMode> infra = EnumSet.noneOf(FailureMode.class);
    Set<FailureMode> app = EnumSet.noneOf(FailureMode.class);
    Set<FailureMode> cascade = EnumSet.noneOf(FailureMode.class);
    for (FaultSchedule.PlannedFault p : f.faults()) {
      switch (p.category()) {
        case INFRASTRUCTURE -> infra.add(p.mode());
        case APPLICATION -> app.add(p.mode());
        case CASCADE -> cascade.add(p.mode());
      }
    }
    assertEquals(5, infra.size());
    assertEquals(10, app.size());
    assertEquals(3, cascade.size());
    assertEquals(5, f.count(Category.INFRASTRUCTURE));
    assertEquals(10, f.count(Category.APPLICATION));
    assertEquals(3, f.count(Category.CASCADE));
  }

  @Test
  void faultsAreSpreadAfterTheWarmUpOverBothPipelinesWithDistinctIds() {
    FaultSchedule f = plan(20, 30, 5, 4);
    Set<String> ids = new HashSet<>();
    Set<String> pipelines = new HashSet<>();
    long warmUp = Math.round(S.faults().firstFaultHours() * 3600 / S.tickSeconds());
    for (FaultSchedule.PlannedFault p : f.faults()) {
      assertTrue(ids.add(p.id()), p.id());
      pipelines.add(p.pipelineId());
      assertTrue(p.tick() >= warmUp && p.tick() < 7 * DAY, "tick " + p.tick());
    }
    assertEquals(Set.of("p1", "p2"), pipelines);
    assertEquals(plan(20, 30, 5, 4), f);
    assertFalse(plan(20, 30, 5, 5).equals(f));
    assertTrue(plan(0, 0, 0, 4).faults().isEmpty());
  }

  @Test
  void plansScaleWithTheDuration() {
    assertEquals(
        new FaultSchedule.Plan(87, 142, 23), FaultSchedule.Plan.scaled(87, 142, 23, 28, 28));
    assertEquals(new FaultSchedule.Plan(3, 5, 1), FaultSchedule.Plan.scaled(87, 142, 23, 28, 1));
    assertThrows(IllegalArgumentException.class, () -> new FaultSchedule.Plan(-1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> FaultSchedule.Plan.scaled(1, 1, 1, 0, 1));
  }

  @Test
  void onlyAnUntargetedNodeFaultStrikesSeveralNodes() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new FaultSchedule.PlannedFault("x", 1, "p1", FailureMode.TASK_CRASH, null, false, 2));
    assertThrows(
        IllegalArgumentException.class,
        () -> new FaultSchedule.PlannedFault("x", 1, "p1", FailureMode.DISK_FULL, "n1", false, 2));
    assertThrows(
        IllegalArgumentException.class,
        () -> new FaultSchedule.PlannedFault("x", 1, "p1", FailureMode.DISK_FULL, null, false, 0));
    FaultSchedule.PlannedFault three =
        new FaultSchedule.PlannedFault("x", 1, "p1", FailureMode.NETWORK_PARTITION, null, false, 3);
    assertEquals(3, new FaultSchedule(List.of(three)).injections());
  }

  @Test
  void aThreeNodePartitionIsOneEventOnThreeNodes() {
    FaultSchedule.PlannedFault partition =
        new FaultSchedule.PlannedFault(
            "s-1", 30, "p1", FailureMode.NETWORK_PARTITION, null, false, 3);
    Workload w = tick -> 600_000;
    SimulatedPlatform p =
        new SimulatedPlatform(
            S, new Scenario(3, 1, List.of("p1"), w, new FaultSchedule(List.of(partition))));
    SimFixtures.advance(p, 30);
    List<Fault> active = p.truth("p1").activeFaults();
    assertEquals(List.of("s-1", "s-1-n2", "s-1-n3"), active.stream().map(Fault::id).toList());
    assertEquals(3, active.stream().map(Fault::target).distinct().count());
    // they heal together
    while (!p.truth("p1").activeFaults().isEmpty()) {
      p.advance();
    }
    Set<Long> healed = new HashSet<>();
    p.faults().forEach(f -> healed.add(f.resolvedTick()));
    assertEquals(1, healed.size(), "one heal tick: " + healed);
    assertTrue(p.faults().stream().allMatch(f -> "self-healed".equals(f.resolvedBy())));
  }
}
