package dev.autopilot.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The violation step's pure helpers. */
class ViolationTrainingStepTest {

  @Test
  void managedMetricsLeaveUnmanagedRowsOut() {
    float[][] f = new float[4][1];
    PredictionData.Samples s =
        new PredictionData.Samples(
            f,
            new boolean[] {true, false, true, true},
            new boolean[] {true, true, false, false},
            0,
            4,
            List.of());
    double[] p = {0.9, 0.2, 0.1, 0.1};
    Map<String, Double> m = ViolationTrainingStep.managedOnly(p, s, 0.5);
    assertEquals(2, m.get("samples"));
    assertEquals(1.0, m.get("recall"));
    assertEquals(1.0, m.get("accuracy"));

    PredictionData.Samples none =
        new PredictionData.Samples(f, new boolean[4], new boolean[4], 0, 4, List.of());
    assertTrue(ViolationTrainingStep.managedOnly(p, none, 0.5).isEmpty());
  }
}
