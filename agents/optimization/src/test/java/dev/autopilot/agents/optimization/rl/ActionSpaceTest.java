package dev.autopilot.agents.optimization.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.testing.Snapshots;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActionSpaceTest {

  private final RlSettings settings = RlSettings.defaults();
  private final ActionSpace space = new ActionSpace(settings);

  private static StateEncoder.Observation observation(
      PipelineConfig config, int required, boolean running, double sinceChange) {
    Map<String, Integer> r = new LinkedHashMap<>();
    config.parallelism().keySet().forEach(op -> r.put(op, required));
    return new StateEncoder.Observation(
        1, new double[StateEncoder.SIZE], config, r, running, 500_000, 700_000, 0, sinceChange);
  }

  private static double[] filled(double v) {
    double[] a = new double[ActionSpace.SIZE];
    Arrays.fill(a, v);
    return a;
  }

  @Test
  void extremesMapToTheEndsOfEveryRange() {
    PipelineConfig c = Snapshots.defaultConfig(); // all 16, buffer 32, cp 30, 8 x 4c/16g
    PipelineConfig hi = space.target(observation(c, 20, true, 1e9), filled(1));
    assertEquals(8.0, hi.taskManagerCpu());
    assertEquals(16.0, hi.taskManagerMemoryGb());
    assertEquals(60, hi.checkpointIntervalSeconds());
    assertEquals(40, hi.networkBufferMb()); // 32 x 1.2 = 38.4, rounded to 4 MB
    assertEquals(25, hi.parallelismOf("enrich")); // required 20 + 5
    assertEquals(20, hi.parallelismOf("source")); // not a key operator: follows the estimate
    assertEquals(7, hi.taskManagers()); // ceil(25 / 4)

    PipelineConfig lo = space.target(observation(c, 20, true, 1e9), filled(-1));
    assertEquals(2.0, lo.taskManagerCpu());
    assertEquals(4.0, lo.taskManagerMemoryGb());
    assertEquals(5, lo.checkpointIntervalSeconds());
    assertEquals(24, lo.networkBufferMb()); // 32 x 0.8 = 25.6, rounded to 4 MB
    assertEquals(16, lo.parallelismOf("enrich")); // 20 - 5 = 15: inside the dead band of 16
  }

  @Test
  void outOfRangeAndNanActionsAreClampedAndWrongLengthsRefused() {
    PipelineConfig c = Snapshots.defaultConfig();
    StateEncoder.Observation o = observation(c, 20, true, 1e9);
    assertEquals(space.target(o, filled(1)), space.target(o, filled(7)));
    double[] nan = space.keep(o);
    nan[ActionSpace.CPU] = Double.NaN; // read as 0: keep the 4 cores
    assertEquals(4.0, space.target(o, nan).taskManagerCpu());
    assertThrows(IllegalArgumentException.class, () -> space.target(o, new double[3]));
  }

  @Test
  void theKeepActionKeepsTheConfiguration() {
    PipelineConfig c = Snapshots.defaultConfig();
    for (int required : new int[] {12, 16, 19}) {
      StateEncoder.Observation o = observation(c, required, true, 1e9);
      assertEquals(c, space.target(o, space.keep(o)), "required " + required);
    }
  }

  @Test
  void smallChangesStayInsideTheDeadBands() {
    PipelineConfig c = Snapshots.defaultConfig();
    StateEncoder.Observation o = observation(c, 17, true, 1e9);
    double[] a = space.keep(o);
    a[0] = 0.2; // enrich 17 + 1 = 18: within the dead band of 16
    a[ActionSpace.CPU] = 0.2; // within the resource dead band
    a[ActionSpace.BUFFER] = -0.25;
    assertEquals(c, space.target(o, a));
  }

  @Test
  void resourcesMoveFromTheCurrentValueTowardsTheEndsOfTheirRanges() {
    PipelineConfig c = Snapshots.defaultConfig(); // 4 cores, 16 GB, 30 s
    StateEncoder.Observation o = observation(c, 16, true, 1e9);
    double[] a = space.keep(o);
    a[ActionSpace.CPU] = 0.625; // half-way beyond the 0.25 dead band: 4 + 0.5 x (8 - 4)
    a[ActionSpace.MEMORY] = -0.625; // 16 - 0.5 x (16 - 4)
    a[ActionSpace.CHECKPOINT] = -0.625; // 30 - 0.5 x (30 - 5) = 17.5, rounded to 5 s
    PipelineConfig t = space.target(o, a);
    assertEquals(6.0, t.taskManagerCpu());
    assertEquals(10.0, t.taskManagerMemoryGb());
    assertEquals(20, t.checkpointIntervalSeconds());
  }

  @Test
  void parallelismNeverGoesBelowTheFloorAndTaskManagersFollowTheLargest() {
    PipelineConfig c = Snapshots.defaultConfig();
    PipelineConfig t = space.target(observation(c, 4, true, 1e9), filled(-1));
    t.parallelism().values().forEach(p -> assertTrue(p >= settings.minParallelism()));
    assertEquals(1, t.taskManagers()); // ceil(4 / 4)
    assertTrue(t.structuralErrors().isEmpty(), t.structuralErrors().toString());
  }

  @Test
  void nothingChangesWhileTheJobIsDownOrRightAfterAChange() {
    PipelineConfig c = Snapshots.defaultConfig();
    assertEquals(c, space.target(observation(c, 40, false, 1e9), filled(1)));
    assertEquals(c, space.target(observation(c, 40, true, 60), filled(1)));
    // a pure scale-down waits for the scale-down interval, a scale-up does not
    double[] keepRes = space.keep(observation(c, 8, true, 600));
    Arrays.fill(keepRes, 0, 4, 0);
    assertEquals(
        c.parallelism(), space.target(observation(c, 8, true, 600), keepRes).parallelism());
    assertEquals(8, space.target(observation(c, 8, true, 1e9), keepRes).parallelismOf("enrich"));
    assertEquals(
        40,
        space
            .target(observation(c, 40, true, 600), space.keep(observation(c, 40, true, 600)))
            .parallelismOf("source"));
  }
}
