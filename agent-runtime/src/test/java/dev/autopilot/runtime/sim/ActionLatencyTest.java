package dev.autopilot.runtime.sim;

import static dev.autopilot.runtime.sim.SimFixtures.advance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.Action;
import dev.autopilot.api.ActuationResult;
import dev.autopilot.api.JobMetrics.JobState;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.PlatformException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Actions take realistic event time: task restart 1-2 ticks, pods 5-8, a new node 18-30. */
class ActionLatencyTest {

  private static final String P = "p1";

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  void aTaskRestartTakesOneToTwoTicks(long seed) {
    SimulatedPlatform sim = SimFixtures.constant(SimFixtures.SETTINGS, 850_000, seed);
    advance(sim, 10);
    ActuationResult r = sim.recover(P, "restart-" + seed, new Action.RestartTask("parse"));
    assertTrue(r.settleTicks() >= 1 && r.settleTicks() <= 2, "settles in " + r.settleTicks());
    sim.advance();
    assertTrue(sim.truth(P).processedRate() < 850_000 * 0.5, "no processing while restarting");
    advance(sim, r.settleTicks());
    assertEquals(JobState.RUNNING, sim.observe(P).job().state());
    assertEquals(1, sim.applications(P));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  void morePodsStartInFiveToEightTicks(long seed) {
    SimulatedPlatform sim = SimFixtures.constant(SimFixtures.SETTINGS, 850_000, seed);
    advance(sim, 10);
    PipelineConfig c = sim.observe(P).config();
    sim.apply(P, c.withTaskManagers(c.taskManagers() + 2));
    int ticks = 0;
    while (sim.observe(P).job().runningTaskManagers() < c.taskManagers() + 2 && ticks < 40) {
      sim.advance();
      ticks++;
    }
    assertTrue(ticks >= 5 && ticks <= 8, "pods running after " + ticks + " ticks");
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void podsThatFitNowhereWaitForANewNodeOfEighteenToThirtyTicks(long seed) {
    SimulatedPlatform sim = SimFixtures.constant(SimFixtures.SETTINGS, 850_000, seed);
    advance(sim, 10);
    int nodes = sim.nodeCount();
    SimSettings.ClusterSettings cl = SimFixtures.SETTINGS.cluster();
    PipelineConfig shape = sim.observe(P).config();
    int perNode =
        (int) Math.min(
            (cl.nodeCores() - cl.reservedCores()) / shape.taskManagerCpu(),
            (cl.nodeMemoryGb() - cl.reservedMemoryGb()) / shape.taskManagerMemoryGb());
    int room = nodes * perNode;
    PipelineConfig c = sim.observe(P).config();
    sim.apply(P, c.withTaskManagers(room + 3));
    assertTrue(sim.nodeCount() > nodes, "a node is being provisioned");
    int ticks = 0;
    while (sim.observe(P).job().runningTaskManagers() <= room && ticks < 60) {
      sim.advance();
      ticks++;
    }
    // node provisioning (18-30 ticks) then pod start (5-8 ticks)
    assertTrue(ticks >= 18 + 5 && ticks <= 30 + 8, "pods on the new node after " + ticks + " ticks");
  }

  @Test
  void aRepeatedActionIdActsOnce() {
    SimulatedPlatform sim = SimFixtures.constant(850_000);
    sim.recover(P, "a-1", new Action.RestartTask("sink"));
    ActuationResult again = sim.recover(P, "a-1", new Action.RestartTask("sink"));
    assertEquals(ActuationResult.Outcome.DUPLICATE, again.outcome());
    assertEquals(1, sim.applications(P));
    PlatformException e =
        assertThrows(PlatformException.class, () -> sim.recover(P, "a-2", new Action.RestartTask("nope")));
    assertEquals(PlatformException.Kind.REJECTED, e.kind());
    assertThrows(PlatformException.class, () -> sim.recover(P, "a-3", new Action.DrainNode("node-99")));
    assertEquals(1, sim.applications(P));
  }
}
