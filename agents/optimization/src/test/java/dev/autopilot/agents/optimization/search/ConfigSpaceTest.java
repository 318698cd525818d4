package dev.autopilot.agents.optimization.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.api.PipelineConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The optimizer's space, its grid, the mapping to a configuration and the objective. */
class ConfigSpaceTest {

  private static final SearchSettings SETTINGS = SearchSettings.create(ConfigFactory.load());

  static PipelineConfig base() {
    Map<String, Integer> p = new LinkedHashMap<>();
    for (String op :
        List.of(
            "source",
            "parse",
            "enrich",
            "filter",
            "transform",
            "window-agg",
            "session-agg",
            "sink")) {
      p.put(op, 16);
    }
    return new PipelineConfig(p, 32, 30, 8, 4, 16, 4);
  }

  @Test
  void thePipelineSpaceHasTheIssuesKnobsAndBounds() {
    ConfigSpace s = ConfigSpace.pipeline(SETTINGS);
    assertEquals(8, s.size());
    assertEquals("parallelism.parse", s.dimension(0).name());
    assertEquals(5, s.dimension(5).min());
    assertEquals(60, s.dimension(5).max());
    assertEquals(4, s.dimension(6).min());
    assertEquals(16, s.dimension(6).max());
    assertEquals(2, s.dimension(7).min());
    assertEquals(8, s.dimension(7).max());
    assertEquals(4860, s.gridSize());
    List<double[]> grid = s.grid();
    assertEquals(4860, grid.size());
    assertEquals(grid.size(), grid.stream().map(java.util.Arrays::toString).distinct().count());
  }

  @Test
  void aPointBecomesARunnableConfiguration() {
    ConfigSpace s = ConfigSpace.pipeline(SETTINGS);
    PipelineConfig c = s.toConfig(new double[] {32.4, 8, 12.6, 40, 63.7, 9.5, 7.9, 3.2}, base());
    assertEquals(32, c.parallelismOf("parse"));
    assertEquals(13, c.parallelismOf("transform"));
    assertEquals(40, c.parallelismOf("window-agg"));
    assertEquals(16, c.parallelismOf("source"));
    assertEquals(64, c.networkBufferMb());
    assertEquals(10, c.checkpointIntervalSeconds());
    assertEquals(8.0, c.taskManagerMemoryGb());
    assertEquals(3.0, c.taskManagerCpu());
    assertEquals(10, c.taskManagers()); // ceil(40 / 4)
    assertTrue(c.structuralErrors().isEmpty(), c.structuralErrors().toString());
    double[] back = s.fromConfig(c);
    assertEquals(40, back[3]);
    assertEquals(3.0, back[7]);
  }

  @Test
  void theObjectiveChargesCostAndPenalties() {
    ConfigSpace s = ConfigSpace.pipeline(SETTINGS);
    SlaCostObjective.Target t = new SlaCostObjective.Target(1e6, 0.95e6, 500);
    SlaCostObjective ok =
        new SlaCostObjective(s, base(), t, SETTINGS.objective(), c -> new Performance(1e6, 200));
    SlaCostObjective slow =
        new SlaCostObjective(
            s, base(), t, SETTINGS.objective(), c -> new Performance(0.475e6, 1000));
    double[] x = {16, 16, 16, 16, 32, 30, 16, 4};
    SlaCostObjective.Breakdown b = ok.breakdown(x);
    // 4 TaskManagers x (4 cores x 0.0248 + 16 GB x 0.0062)
    assertEquals(4 * (4 * 0.0248 + 16 * 0.0062), b.costPerHour(), 1e-12);
    assertTrue(b.feasible());
    assertEquals(b.costPerHour(), b.score(), 1e-12);
    SlaCostObjective.Breakdown v = slow.breakdown(x);
    assertEquals(0.5, v.shortfall(), 1e-12);
    assertEquals(1.0, v.latencyExcess(), 1e-12);
    assertEquals(b.costPerHour() + 20 * 0.5 + 20 * 1.0, v.score(), 1e-12);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new SlaCostObjective(
                SearchTestSpaces.plain(), base(), t, SETTINGS.objective(), c -> null));
  }

  /** A space without a pipeline mapping. */
  static final class SearchTestSpaces {
    static ConfigSpace plain() {
      return ConfigSpace.of(List.of(new ConfigSpace.Dimension("x", 0, 1, false, List.of())));
    }
  }
}
