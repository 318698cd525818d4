package dev.autopilot.runtime.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The settings read every key of {@code autopilot.flink-rest} and reject bad values clearly. */
class FlinkRestSettingsTest {

  @Test
  void readsTheShippedDefaults() {
    FlinkRestSettings s = FlinkRestSettings.create(ConfigFactory.load());
    assertEquals("http", s.baseUrl().getScheme());
    assertEquals(3, s.retry().maxAttempts());
    assertEquals(30, s.retry().maxRetriesPerMinute());
    assertEquals(Duration.ofMillis(200), s.pollInterval());
    assertEquals(Optional.empty(), s.savepointDirectory(), "empty means the cluster's directory");
    assertEquals(1024, s.rememberedActions());
  }

  @Test
  void rejectsABadUrlAndABadRetryPolicyNamingTheKey() {
    IllegalArgumentException url =
        assertThrows(
            IllegalArgumentException.class,
            () -> FlinkRestSettings.create(override("base-url = \"ftp://x\"")));
    assertTrue(url.getMessage().contains("autopilot.flink-rest.base-url"), url.getMessage());
    IllegalArgumentException retry =
        assertThrows(
            IllegalArgumentException.class,
            () -> FlinkRestSettings.create(override("retry.jitter = 1.5")));
    assertTrue(retry.getMessage().contains("autopilot.flink-rest.retry"), retry.getMessage());
    IllegalArgumentException poll =
        assertThrows(
            IllegalArgumentException.class,
            () -> FlinkRestSettings.create(override("poll-interval = 0s")));
    assertTrue(poll.getMessage().contains("poll-interval"), poll.getMessage());
  }

  private static Config override(String line) {
    return ConfigFactory.parseString("autopilot.flink-rest." + line)
        .withFallback(ConfigFactory.load());
  }
}
