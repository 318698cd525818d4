package dev.autopilot.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import dev.autopilot.agents.optimization.policy.OptimizationSettings;
import dev.autopilot.agents.prediction.features.SnapshotFeaturePipeline;
import dev.autopilot.agents.prediction.features.ViolationLabels;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.bench.ProgressListener;
import dev.autopilot.runtime.loop.PipelineSlas;
import dev.autopilot.runtime.sim.SimSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Simulated, labelled days for the violation forecaster. */
class PredictionDataTest {

  private static final Config CONFIG = RuntimeConfig.load();
  private static final SimSettings SIM = SimSettings.create(CONFIG);
  private static final OptimizationSettings OPT = OptimizationSettings.create(CONFIG);
  private static final SlaSpec SLA = PipelineSlas.of(CONFIG, List.of("p1")).get("p1");

  @Test
  void aDayGivesOneLabelledVectorPerTickWithAWholeHorizon() throws Exception {
    PredictionData.Run run = new PredictionData.Run(11, 3, 1);
    PredictionData.Samples a =
        PredictionData.generate(SIM, OPT, SLA, List.of(run), 1, ProgressListener.none());
    long day = SIM.ticksPerDay();
    assertEquals(day, a.ticks());
    assertEquals(
        day - PredictionData.WARMUP_TICKS - ViolationLabels.HORIZON, a.size());
    assertEquals(SnapshotFeaturePipeline.SIZE, a.features()[0].length);
    for (float[] row : a.features()) {
      for (float v : row) {
        assertTrue(Float.isFinite(v));
      }
    }
    // a positive row needs a violated tick; every violated tick makes the rows before it positive
    double rate = a.positiveRate();
    assertTrue(a.violatedTicks() == 0 ? rate == 0 : rate > 0, a.violatedTicks() + " " + rate);

    // the same run again gives the same samples (seeded simulator, controller and repairs)
    PredictionData.Samples b =
        PredictionData.generate(SIM, OPT, SLA, List.of(run), 2, ProgressListener.none());
    assertArrayEquals(a.labels(), b.labels());
    for (int i = 0; i < a.size(); i += 97) {
      assertArrayEquals(a.features()[i], b.features()[i]);
    }
  }
}
