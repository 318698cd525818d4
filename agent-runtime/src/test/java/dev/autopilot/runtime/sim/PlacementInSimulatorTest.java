package dev.autopilot.runtime.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.optimization.placement.Strategy;
import dev.autopilot.api.ActuationResult;
import dev.autopilot.api.PipelineConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The scheduler uses the configured placement strategy; both keep the pool within capacity. */
class PlacementInSimulatorTest {

  @ParameterizedTest
  @ValueSource(strings = {"tetris", "ffd"})
  void aRescalePlacesEveryTaskManagerWithinCapacity(String strategy) {
    SimSettings settings =
        SimSettings.create(
            ConfigFactory.parseString("autopilot.simulation.cluster.placement = " + strategy)
                .withFallback(ConfigFactory.load()));
    assertEquals(Strategy.parse(strategy), settings.cluster().placement());
    SimulatedPlatform sim = SimFixtures.constant(settings, 850_000, 3);
    PipelineConfig c = sim.observe("p1").config();
    ActuationResult r = sim.apply("p1", c.withTaskManagers(30));
    SimFixtures.advance(sim, r.settleTicks() + 6);
    ClusterStats stats = sim.clusterStats();
    assertEquals(30, stats.pods());
    assertEquals(18, stats.spotPods()); // round(0.6 * 30)
    assertEquals(30, sim.observe("p1").job().runningTaskManagers());
    assertTrue(stats.utilisation() > 0.5 && stats.utilisation() <= 1.0, "utilisation " + stats);
    assertTrue(stats.fragmentation() < 0.25, "fragmentation " + stats);
  }
}
