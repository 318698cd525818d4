package dev.autopilot.agents.recovery.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.recovery.drift.HealthMonitor;
import dev.autopilot.agents.recovery.drift.HealthSettings;
import dev.autopilot.api.FailureMode;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The health monitor over the policy's detector bank (here, beside the snapshot fixtures). */
class HealthMonitorTest {
  private final RecoverySettings settings = Signatures.settings();
  private final HealthSettings health = HealthSettings.create(ConfigFactory.load());

  @Test
  void aCpuSaturatedNodeDegradesInfrastructureMoreThanTheModelSubsystem() {
    DetectorBank bank = new DetectorBank(settings);
    HealthMonitor monitor = new HealthMonitor(health, settings.detector().cusumH());
    Random rnd = new Random(3);
    long tick = 0;
    for (; tick < 200; tick++) {
      bank.update(Signatures.healthy(tick, rnd), true);
      monitor.update(bank, 0.1, false);
    }
    Map<String, Double> calm = monitor.indices();
    assertTrue(calm.get("infrastructure") < 0.3, "calm " + calm);
    int k = 0;
    for (; tick < 230; tick++) {
      bank.update(Signatures.fault(FailureMode.CPU_SATURATION, tick, k++, rnd), false);
      monitor.update(bank, 0.9, true);
    }
    Map<String, Double> hot = monitor.indices();
    assertTrue(
        hot.get("infrastructure") > calm.get("infrastructure") + 0.3,
        "calm " + calm + " hot " + hot + " scores " + monitor.lastScores());
    assertTrue(hot.get("global") > calm.get("global"), "global " + calm + " -> " + hot);
    assertTrue(hot.keySet().containsAll(java.util.List.of("global", "infrastructure", "data", "model")));
    for (double v : hot.values()) {
      assertTrue(v >= 0 && v <= 1, "index in [0, 1]: " + hot);
    }
  }

  @Test
  void withoutAnEnsembleTheModelSubsystemKeepsItsInitialIndex() {
    DetectorBank bank = new DetectorBank(settings);
    HealthMonitor monitor = new HealthMonitor(health, settings.detector().cusumH());
    Random rnd = new Random(4);
    for (long tick = 0; tick < 50; tick++) {
      bank.update(Signatures.healthy(tick, rnd), true);
      monitor.update(bank, Double.NaN, false);
    }
    assertEquals(health.initial(), monitor.indices().get("model"), 1e-12);
    assertTrue(!monitor.lastScores().containsKey("adwin-ensemble"));
  }
}
