package dev.autopilot.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code autopilot.kubernetes} read from this module's reference.conf, and validated. */
class KubernetesSettingsTest {

  private static Config withOverride(String hocon) {
    return ConfigFactory.parseString(hocon)
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
  }

  @Test
  void theReferenceConfigReads() {
    KubernetesSettings s = KubernetesSettings.create(ConfigFactory.defaultReference().resolve());
    assertEquals(Map.of("autopilot.dev/managed", "true"), s.labelSelector());
    assertEquals("autopilot.dev/managed=true", s.labelSelectorString());
    assertEquals("autopilot.dev/operator-vertices", s.operatorVerticesAnnotation());
    assertEquals(4, s.retry().maxAttempts());
    assertEquals(Duration.ofSeconds(5), s.eviction().initialBackoff());
    assertEquals(12, s.settle().drain());
    assertEquals("http://orders-rest." + s.namespace() + ":8081", s.restEndpointOf("orders"));
  }

  @Test
  void impossibleValuesNameTheirKey() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                KubernetesSettings.create(
                    withOverride("autopilot.kubernetes.remembered-actions = 0")));
    assertTrue(e.getMessage().contains("remembered-actions"), e.getMessage());
    ConfigException r =
        assertThrows(
            ConfigException.class,
            () ->
                KubernetesSettings.create(
                    withOverride("autopilot.kubernetes.eviction.jitter = 1.5")));
    assertTrue(
        r.getMessage().contains("eviction") && r.getMessage().contains("jitter"), r.getMessage());
  }
}
