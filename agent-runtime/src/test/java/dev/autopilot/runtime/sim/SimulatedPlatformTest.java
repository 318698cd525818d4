package dev.autopilot.runtime.sim;

import dev.autopilot.api.Platform;
import dev.autopilot.api.testing.PlatformContractTest;

/** The simulated platform honours the platform port's contract. */
class SimulatedPlatformTest extends PlatformContractTest {

  private SimulatedPlatform sim;

  @Override
  protected Platform createPlatform() {
    sim = SimFixtures.constant(850_000);
    return sim;
  }

  @Override
  protected String pipelineId() {
    return "p1";
  }

  @Override
  protected void advanceTime() {
    SimFixtures.advance(sim, 3);
  }
}
