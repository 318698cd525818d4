package dev.autopilot.runtime.bench.baseline.fko;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.Action;
import dev.autopilot.api.PipelineConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.runtime.jobgraph.JobVertexID;
import org.junit.jupiter.api.Test;

class SimulatorScalingRealizerTest {

  private static final FkoJobGraph GRAPH = new FkoJobGraph(List.of("src", "agg"), Set.of("agg"));
  private static final Map<String, JobVertexID> IDS = GRAPH.vertexIds();

  private final SimulatorScalingRealizer realizer =
      new SimulatorScalingRealizer(IDS, FkoControllerTest.bounds());

  private static PipelineConfig config(int src, int agg, int taskManagers) {
    Map<String, Integer> p = new LinkedHashMap<>();
    p.put("src", src);
    p.put("agg", agg);
    return new PipelineConfig(p, 32, 30, taskManagers, 4.0, 16.0, 4);
  }

  private static Map<String, String> overrides(int src, int agg) {
    return Map.of(
        IDS.get("src").toHexString(), Integer.toString(src),
        IDS.get("agg").toHexString(), Integer.toString(agg));
  }

  @Test
  void aRescaleBecomesOneReconfigureWithTheTaskManagersForTheSlots() {
    realizer.begin(config(8, 8, 2));
    realizer.realizeParallelismOverrides(null, overrides(8, 32));
    Action.Reconfigure r = realizer.pending().orElseThrow();
    assertEquals(config(8, 32, 8), r.target());
    assertTrue(r.reason().contains("agg=32"), r.reason());
  }

  @Test
  void theSameParallelismIsNoChangeWhateverTheTaskManagers() {
    // a human added a TaskManager: the autoscaler's overrides do not take it away
    realizer.begin(config(8, 16, 5));
    realizer.realizeParallelismOverrides(null, overrides(8, 16));
    assertTrue(realizer.pending().isEmpty());
  }

  @Test
  void unknownVerticesAndSizesOutsideTheBoundsAreRefused() {
    realizer.begin(config(8, 8, 2));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            realizer.realizeParallelismOverrides(
                null, Map.of(new JobVertexID().toHexString(), "4")));
    assertThrows(
        IllegalArgumentException.class,
        () -> realizer.realizeParallelismOverrides(null, overrides(2, 8)));
    assertThrows(
        IllegalArgumentException.class,
        () -> realizer.realizeParallelismOverrides(null, overrides(8, 512)));
    assertTrue(realizer.pending().isEmpty());
  }
}
