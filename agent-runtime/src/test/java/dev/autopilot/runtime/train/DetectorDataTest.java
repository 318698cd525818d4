package dev.autopilot.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.recovery.detect.SnapshotFeatures;
import dev.autopilot.api.FailureMode;
import dev.autopilot.runtime.sim.SimSettings;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The detector training data covers configuration changes during normal operation. */
class DetectorDataTest {

  static final SimSettings SIM = SimSettings.create(ConfigFactory.load());

  @Test
  void normalStretchesHoldLabelledNormalConfigChangesOfSeveralKinds() {
    Set<DetectorData.ChangeKind> kinds = EnumSet.noneOf(DetectorData.ChangeKind.class);
    int recentIdx = SnapshotFeatures.index("config_change_recent");
    int changes = 0;
    for (long seed = 1; seed <= 2; seed++) {
      long faultTick = SIM.ticksPerDay() - 400;
      List<DetectorData.Change> applied = new ArrayList<>();
      DetectorData.Episode e =
          DetectorData.episode(
              SIM, seed, FailureMode.MEMORY_LEAK, faultTick, 180, true, applied);
      for (DetectorData.Change c : applied) {
        kinds.add(c.kind());
        assertTrue(c.tick() < faultTick, "changes only before the fault: " + c);
        assertFalse(e.faulty()[(int) c.tick()], "the change's tick is normal: " + c);
        if (c.kind() != DetectorData.ChangeKind.RESTART) {
          assertEquals(
              1f, e.features()[(int) c.tick() + 1][recentIdx], 1e-6, "features see " + c);
        }
      }
      for (int t = 0; t < faultTick; t++) {
        assertFalse(e.faulty()[t], "no fault before injection, tick " + t);
      }
      changes += applied.size();
    }
    assertTrue(changes >= 12, "about one change an hour over 2 days, got " + changes);
    assertTrue(kinds.contains(DetectorData.ChangeKind.RESCALE), "kinds " + kinds);
    assertTrue(kinds.size() >= 3, "kinds " + kinds);
  }

  @Test
  void faultsAreRepairedAndTheRecoveryIsLabelledNormalAfterTheGrace() {
    int repaired = 0;
    FailureMode[] modes = {
      FailureMode.TASK_CRASH, FailureMode.CONFIGURATION_ERROR, FailureMode.NETWORK_PARTITION
    };
    for (FailureMode mode : modes) {
      long faultTick = SIM.ticksPerDay() - 500;
      DetectorData.Episode e =
          DetectorData.episode(SIM, 11, mode, faultTick, 360, true, new ArrayList<>());
      boolean[] settled = e.settledNormal();
      int last = e.length() - 1;
      if (e.normalPrefix() < e.length() && !e.faulty()[last]) {
        repaired++;
        assertTrue(settled[last], mode + ": settled normal at the end");
      }
      for (int t = 0; t < e.length(); t++) {
        if (e.faulty()[t]) {
          for (int u = t; u < Math.min(e.length(), t + 31); u++) {
            assertFalse(settled[u], mode + ": tick " + u + " within the grace after a fault");
          }
        }
      }
    }
    assertTrue(repaired >= 2, "repaired " + repaired + " of " + modes.length);
  }

  @Test
  void withoutChangesTheConfigurationNeverChanges() {
    List<DetectorData.Change> applied = new ArrayList<>();
    DetectorData.Episode e =
        DetectorData.episode(
            SIM, 5, FailureMode.MEMORY_LEAK, SIM.ticksPerDay() - 400, 180, false, applied);
    assertTrue(applied.isEmpty());
    int recentIdx = SnapshotFeatures.index("config_change_recent");
    for (float[] f : e.features()) {
      assertEquals(0f, f[recentIdx]);
    }
  }
}
