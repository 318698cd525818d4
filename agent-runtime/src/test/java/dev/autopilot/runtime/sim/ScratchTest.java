package dev.autopilot.runtime.sim;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.api.*;
import org.junit.jupiter.api.Test;

class ScratchTest {
  @Test
  void print() {
    SimSettings s = SimSettings.create(ConfigFactory.load());
    Scenario sc = Scenario.defaultScenario(s, 42, 7, 1, 0);
    SimulatedPlatform p = new SimulatedPlatform(s, sc);
    for (int t = 0; t < 8640 * 2; t++) {
      if (t % 360 == 0) {
        GroundTruth g = p.truth("p1");
        TelemetrySnapshot snap = p.observe("p1");
        System.out.printf("t=%d off=%.0f proc=%.0f cap=%.0f lat=%.0f cpu=%.2f lag=%.0f cost=%.2f cp=%.0f state=%s heap=%.2f gc=%.3f busy=%s bp=%s%n",
            t, g.offeredRate(), g.processedRate(), g.capacity(), g.latencyP99Ms(), g.cpuUtilisation(), g.consumerLag(), g.costSoFar(),
            snap.checkpoints().lastDurationMs(), String.format("%.1fGB", snap.operators().stream().mapToDouble(OperatorMetrics::stateSizeBytes).sum()/1e9),
            snap.mean(Metric.HEAP_USED_RATIO), snap.mean(Metric.GC_TIME_RATIO),
            snap.operators().stream().map(o -> String.valueOf(Math.round(o.busyTimeMsPerSecond()))).toList(),
            snap.operators().stream().map(o -> String.valueOf(Math.round(o.backPressuredTimeMsPerSecond()))).toList());
      }
      p.advance();
    }
  }
}
