package dev.autopilot.agents.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.meta.policy.AdmissionSettings;
import dev.autopilot.agents.meta.policy.Mode;
import dev.autopilot.agents.meta.policy.Range;
import dev.autopilot.agents.meta.policy.Risk;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetaSettingsTest {

  @Test
  void defaultsAreTheDesignNumbers() {
    MetaSettings s = MetaSettings.create(ConfigFactory.load());
    AdmissionSettings a = s.arbiter().admission();
    assertEquals(0.10, a.maxThroughputDrop());
    assertEquals(0.20, a.maxLatencyRise());
    assertEquals(4, a.minParallelism());
    assertEquals(0.80, a.maxCapacityFraction());
    assertEquals(new Range(4, 256), a.ranges().parallelism());
    assertEquals(new Range(16, 128), a.ranges().networkBufferMb());
    assertEquals(new Range(5, 60), a.ranges().checkpointIntervalSeconds());
    assertEquals(new Range(4, 16), a.ranges().taskManagerMemoryGb());
    assertEquals(new Range(2, 8), a.ranges().taskManagerCpu());
    assertEquals(1, a.ranges().taskManagers().min());
    assertEquals(960, a.cluster().totalCores());
    assertEquals(3840, a.cluster().totalMemoryGb());
    assertEquals(18, s.verification().windowTicks());
    assertEquals(0.15, s.verification().throughputShortfall());
    assertEquals(0.25, s.verification().latencyExcess());
    assertEquals(5, s.historySize());
    assertEquals(Mode.AUTONOMOUS, s.mode());
    assertEquals(Risk.HIGH, s.arbiter().approvalRisk());
    assertEquals(MetaSettings.DISPATCHER_PATH, s.actuator().dispatcher());
    assertTrue(ConfigFactory.load().hasPath(MetaSettings.DISPATCHER_PATH + ".type"));
  }

  @Test
  void overridesAreRead() {
    Config c =
        ConfigFactory.parseMap(
                Map.of(
                    "autopilot.meta.mode", "approval",
                    "autopilot.meta.approval-risk", "medium",
                    "autopilot.meta.decision-deadline", "250ms",
                    "autopilot.meta.constraints.cooldown-ticks", "3"))
            .withFallback(ConfigFactory.load());
    MetaSettings s = MetaSettings.create(c);
    assertEquals(Mode.APPROVAL, s.mode());
    assertEquals(Risk.MEDIUM, s.arbiter().approvalRisk());
    assertEquals(Duration.ofMillis(250), s.decisionDeadline());
    assertEquals(3, s.arbiter().admission().cooldownTicks());
  }

  @Test
  void proposersDefaultToEveryAgentAndCanLeaveOneOut() {
    assertEquals(
        java.util.List.of(
            dev.autopilot.api.AgentKind.PREDICTION,
            dev.autopilot.api.AgentKind.RECOVERY,
            dev.autopilot.api.AgentKind.OPTIMIZATION),
        MetaSettings.create(ConfigFactory.load()).proposers());
    Config c =
        ConfigFactory.parseString("autopilot.meta.proposers = [Recovery, optimization]")
            .withFallback(ConfigFactory.load());
    assertEquals(
        java.util.List.of(
            dev.autopilot.api.AgentKind.RECOVERY, dev.autopilot.api.AgentKind.OPTIMIZATION),
        MetaSettings.create(c).proposers());
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = ';',
      value = {
        "[]; at least one agent",
        "[prediction, prediction]; listed twice",
        "[meta]; unknown agent 'meta'",
        "[predictoin]; unknown agent 'predictoin'"
      })
  void badProposersAreRefusedWithAClearMessage(String list, String message) {
    Config c =
        ConfigFactory.parseString("autopilot.meta.proposers = " + list)
            .withFallback(ConfigFactory.load());
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> MetaSettings.create(c));
    assertTrue(e.getMessage().startsWith("autopilot.meta.proposers"), e.getMessage());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void referenceConfSetsNoPekkoKeyButSerialization() throws Exception {
    // This module's own reference.conf (not the merged classpath one).
    java.net.URL classes = MetaSettings.class.getProtectionDomain().getCodeSource().getLocation();
    Config ref = ConfigFactory.parseURL(new java.net.URL(classes, "reference.conf"));
    assertEquals(java.util.Set.of("autopilot", "pekko"), ref.root().keySet());
    assertEquals(java.util.Set.of("meta"), ref.getConfig("autopilot").root().keySet());
    assertEquals(java.util.Set.of("actor"), ref.getConfig("pekko").root().keySet());
    assertEquals(
        java.util.Set.of("serialization-bindings"), ref.getConfig("pekko.actor").root().keySet());
  }
}
