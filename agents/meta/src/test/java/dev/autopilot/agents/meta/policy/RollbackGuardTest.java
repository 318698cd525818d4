package dev.autopilot.agents.meta.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.testing.Snapshots;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.estimate.LoadEstimator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RollbackGuardTest {

  private static final PipelineConfig SMALL = Snapshots.defaultConfig(); // parallelism 16
  private static final PipelineConfig LARGE = scaled(32);

  private static PipelineConfig scaled(int p) {
    Map<String, Integer> m = new LinkedHashMap<>();
    SMALL.parallelism().keySet().forEach(op -> m.put(op, p));
    return SMALL.withParallelism(m);
  }

  /** Two saturated snapshots of the large configuration, the lag growing by lagPerTick. */
  private static LoadEstimator.Estimate estimate(double throughput, double lagPerTick) {
    return estimate(throughput, lagPerTick, 1.0);
  }

  /** Two snapshots of the large configuration at a busy ratio, the lag growing by lagPerTick. */
  private static LoadEstimator.Estimate estimate(double throughput, double lagPerTick, double busy) {
    LoadEstimator e = new LoadEstimator(0.05);
    TelemetrySnapshot a =
        Snapshots.builder("p1", 10).config(LARGE).throughput(throughput).busy(busy).lag(0).build();
    TelemetrySnapshot b =
        Snapshots.builder("p1", 11)
            .config(LARGE)
            .throughput(throughput)
            .busy(busy)
            .lag(lagPerTick)
            .build();
    e.update(a);
    return e.update(b);
  }

  @Test
  void withholdsARollbackThatCannotCarryTheDemandOfAChangeThatDidNotHurt() {
    Optional<String> r =
        RollbackGuard.withhold(LARGE, SMALL, estimate(900_000, 1_000_000), 900_000, 500_000, 0.10);
    assertTrue(r.isPresent());
    assertTrue(r.get().contains("450000"), r.get());
    assertTrue(r.get().contains("1000000"), r.get());
  }

  @Test
  void rollsBackAChangeThatCutTheThroughput() {
    // 400k/s now against 500k/s before the change: the change hurt, whatever the demand.
    assertEquals(
        Optional.empty(),
        RollbackGuard.withhold(LARGE, SMALL, estimate(400_000, 1_000_000), 400_000, 500_000, 0.10));
  }

  @Test
  void rollsBackWhenTheTargetCarriesTheDemand() {
    // 400k/s at 40 % busy: 1M/s at parallelism 32, so the 16-parallel target carries 500k/s.
    assertEquals(
        Optional.empty(),
        RollbackGuard.withhold(LARGE, SMALL, estimate(400_000, 0, 0.4), 400_000, 300_000, 0.10));
  }

  @Test
  void rollsBackWhenNothingIsKnown() {
    assertEquals(
        Optional.empty(), RollbackGuard.withhold(LARGE, SMALL, null, 900_000, 500_000, 0.10));
    assertEquals(
        Optional.empty(),
        RollbackGuard.withhold(
            LARGE, SMALL, estimate(900_000, 1_000_000), 900_000, Double.NaN, 0.10));
  }

  @Test
  void withholdsARollbackToTheRunningConfiguration() {
    Optional<String> r = RollbackGuard.withhold(SMALL, SMALL, null, 500_000, 500_000, 0.10);
    assertTrue(r.isPresent());
    assertTrue(r.get().contains("nothing to roll back"), r.get());
  }
}
