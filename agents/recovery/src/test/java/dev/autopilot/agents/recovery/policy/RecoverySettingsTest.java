package dev.autopilot.agents.recovery.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.api.FailureMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecoverySettingsTest {

  @Test
  void readsEveryKeyOfTheReferenceConfiguration() {
    RecoverySettings s = RecoverySettings.create(ConfigFactory.load());
    assertEquals(Signal.values().length, s.floors().size());
    assertEquals(FailureMode.values().length, s.rules().weights().size());
    assertEquals(1.5, s.ladder().expandBuffersFactor(), "32 -> 48 MB");
    assertEquals(List.of(1, 2, 3), s.ladder().restoreCheckpointsBack());
    assertEquals(1.0, s.symptoms().stuckBusy().apply(0.0), "a falling ramp: zero busy is stuck");
  }

  @Test
  void overridesApply() {
    RecoverySettings s =
        RecoverySettings.create(
            ConfigFactory.parseString("autopilot.recovery.incident.open-consecutive-ticks = 5")
                .withFallback(ConfigFactory.load()));
    assertEquals(5, s.incident().openConsecutiveTicks());
  }

  @Test
  void aRampNeedsTwoDistinctPoints() {
    assertThrows(IllegalArgumentException.class, () -> Ramp.of(List.of(1.0)));
    assertThrows(IllegalArgumentException.class, () -> new Ramp(2, 2));
    assertEquals(0.5, new Ramp(0, 2).apply(1));
    assertEquals(0.0, new Ramp(0, 2).apply(Double.NaN));
  }

  @Test
  void everyKeyOfReferenceConfHasItsComment() throws IOException {
    List<String> lines;
    try (InputStream in = RecoverySettings.class.getResourceAsStream("/reference.conf")) {
      lines =
          new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip).toList();
    }
    assertTrue(lines.contains("autopilot.recovery {"), "read this module's reference.conf");
    List<String> uncommented = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (!line.startsWith("#") && line.contains("=")) {
        String previous = i == 0 ? "" : lines.get(i - 1);
        if (!previous.startsWith("#")) {
          uncommented.add(line);
        }
      }
    }
    assertTrue(uncommented.isEmpty(), "keys without a comment: " + uncommented);
  }
}
