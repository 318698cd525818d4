package dev.autopilot.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.recovery.policy.RecoverySettings;
import dev.autopilot.api.FailureMode;
import dev.autopilot.runtime.sim.SimSettings;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IncidentGeneratorTest {
  private static final IncidentGenerator GEN =
      new IncidentGenerator(
          SimSettings.create(ConfigFactory.load()),
          RecoverySettings.create(ConfigFactory.load()),
          new IncidentGenerator.Settings(
              80, 160, 0.5, 90, new int[] {2, 5, 10, 20, 40, 80, 160}, 1, 600, 0));

  @ParameterizedTest
  @EnumSource(FailureMode.class)
  void everyModeGivesALabelledDetectedIncident(FailureMode mode) {
    IncidentGenerator.Incident inc = GEN.incident("t", mode, false, 1000 + mode.ordinal());
    assertNotNull(inc, mode + " could not be injected");
    List<IncidentGenerator.Sample> samples = inc.samples();
    assertNull(samples.get(0).label(), "healthy sample first");
    assertTrue(samples.get(0).ticksAfterInjection() < 0);
    long detection = samples.stream().filter(IncidentGenerator.Sample::atDetection).count();
    assertEquals(1, detection);
    assertTrue(inc.detected(), mode + " not detected within the wait");
    samples.stream()
        .filter(s -> s.ticksAfterInjection() >= 0)
        .forEach(s -> assertEquals(mode, s.label()));
    if (mode == FailureMode.MEMORY_LEAK) {
      // a leak left alone always ends in an OOM kill that crashes the task
      assertEquals(List.of(FailureMode.TASK_CRASH), inc.childModes());
    } else {
      assertTrue(inc.childModes().isEmpty(), "no cascade asked for: " + inc.childModes());
    }
  }

  @Test
  void cascadesKeepTheRootCauseAsLabel() {
    IncidentGenerator.Incident inc = GEN.incident("c", FailureMode.NETWORK_PARTITION, true, 77);
    assertEquals(List.of(FailureMode.CHECKPOINT_TIMEOUT), inc.childModes());
    inc.samples().stream()
        .filter(s -> s.label() != null)
        .forEach(s -> assertEquals(FailureMode.NETWORK_PARTITION, s.label()));
  }

  @Test
  void sameSeedSameIncident() {
    IncidentGenerator.Incident a = GEN.incident("a", FailureMode.DISK_FULL, true, 5);
    IncidentGenerator.Incident b = GEN.incident("b", FailureMode.DISK_FULL, true, 5);
    assertEquals(a.detectionDelay(), b.detectionDelay());
    assertEquals(a.samples().size(), b.samples().size());
    for (int i = 0; i < a.samples().size(); i++) {
      assertEquals(a.samples().get(i).symptoms(), b.samples().get(i).symptoms());
    }
  }
}
