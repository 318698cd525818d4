package dev.autopilot.agents.optimization.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autopilot.api.SlaSpec;
import org.junit.jupiter.api.Test;

class RewardTest {

  private static final SlaSpec SLA = new SlaSpec(800_000, 500, 0.05);

  @Test
  void alignmentIsOneMinusTheRelativeGapToTheRequiredRate() {
    // offered below the target: the offered load is required
    assertEquals(1.0, Reward.tick(SLA, 500_000, 500_000, 100, 0, 0.5).alignment(), 1e-12);
    assertEquals(0.9, Reward.tick(SLA, 500_000, 450_000, 100, 0, 0.5).alignment(), 1e-12);
    // over-processing (a catch-up) is off target too
    assertEquals(0.9, Reward.tick(SLA, 500_000, 550_000, 100, 0, 0.5).alignment(), 1e-12);
    // offered above the target: the SLA target is required
    assertEquals(1.0, Reward.tick(SLA, 2_000_000, 800_000, 100, 0, 0.5).alignment(), 1e-12);
    assertEquals(0.5, Reward.tick(SLA, 2_000_000, 400_000, 100, 0, 0.5).alignment(), 1e-12);
  }

  @Test
  void alignmentIsFlooredAndOneWithoutDemand() {
    assertEquals(Reward.ALIGNMENT_FLOOR, Reward.alignment(100_000, 900_000), 1e-12);
    assertEquals(1.0, Reward.alignment(0, 5), 1e-12);
  }

  @Test
  void latencyBreachCostsHalfAPoint() {
    assertEquals(0.0, Reward.tick(SLA, 500_000, 500_000, 500, 0, 0.5).latency(), 1e-12);
    assertEquals(-0.5, Reward.tick(SLA, 500_000, 500_000, 501, 0, 0.5).latency(), 1e-12);
  }

  @Test
  void eachChangeInTheLastMinuteCostsPointTwo() {
    assertEquals(0.0, Reward.tick(SLA, 500_000, 500_000, 100, 0, 0.5).changes(), 1e-12);
    assertEquals(-0.2, Reward.tick(SLA, 500_000, 500_000, 100, 1, 0.5).changes(), 1e-12);
    assertEquals(-0.6, Reward.tick(SLA, 500_000, 500_000, 100, 3, 0.5).changes(), 1e-12);
  }

  @Test
  void cpuWithinSixtyToEightyPercentEarnsPointThree() {
    assertEquals(0.0, Reward.tick(SLA, 1, 1, 100, 0, 0.59).cpu(), 1e-12);
    assertEquals(0.3, Reward.tick(SLA, 1, 1, 100, 0, 0.60).cpu(), 1e-12);
    assertEquals(0.3, Reward.tick(SLA, 1, 1, 100, 0, 0.80).cpu(), 1e-12);
    assertEquals(0.0, Reward.tick(SLA, 1, 1, 100, 0, 0.81).cpu(), 1e-12);
  }

  @Test
  void totalIsTheSumOfTheParts() {
    Reward.Parts p = Reward.tick(SLA, 500_000, 450_000, 600, 2, 0.7);
    assertEquals(0.9 - 0.5 - 0.4 + 0.3, p.total(), 1e-12);
  }
}
