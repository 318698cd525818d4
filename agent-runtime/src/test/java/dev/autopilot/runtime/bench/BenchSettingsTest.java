package dev.autopilot.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.runtime.bench.baseline.RuleBasedSettings;
import dev.autopilot.runtime.bench.baseline.StaticSettings;
import dev.autopilot.runtime.bench.baseline.fko.FkoSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchSettingsTest {

  @Test
  void benchConfHoldsThePaperNumbersInTicks() {
    BenchSettings s = BenchSettings.create(ConfigFactory.parseResources("bench.conf").resolve());
    assertEquals(10, s.tickSeconds());
    assertEquals(8, s.minFaultKinds());
    assertEquals(new StaticSettings(75), s.staticController());
    assertEquals(new RuleBasedSettings(0.80, 30, 0.30, 60, 10, 4, 256, 30, 27, 30), s.ruleBased());
    assertEquals(
        Map.of("job.autoscaler.enabled", "true", "job.autoscaler.vertex.min-parallelism", "4"),
        s.fko().options());
    assertEquals(2000, s.maxPointsPerSeries());
    assertEquals(200, s.progressRedrawMillis());
    assertEquals(10, s.progressPlainLinePercent());
  }

  @Test
  void theFkoBaselineMustEnableTheAutoscaler() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new FkoSettings(Map.of("job.autoscaler.enabled", "false")));
    assertTrue(e.getMessage().contains("job.autoscaler.enabled"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new FkoSettings(Map.of("job.autoscaler.enabled", "maybe")));
  }

  @Test
  void durationsRoundUpToWholeTicks() {
    assertEquals(75, BenchSettings.ticks(Duration.ofSeconds(750), 10));
    assertEquals(28, BenchSettings.ticks(Duration.ofSeconds(271), 10));
    assertEquals(0, BenchSettings.ticks(Duration.ZERO, 10));
    assertEquals(10, BenchSettings.ticks(Duration.ofMinutes(5), 30));
  }
}
