package dev.autopilot.agents.prediction.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.prediction.policy.PredictionSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LearningSettingsTest {

  @Test
  void referenceConfReadsAndValidates() {
    LearningSettings s = LearningSettings.create(ConfigFactory.load());
    assertTrue(s.enabled());
    assertEquals(8640, s.retrainIntervalTicks());
    assertEquals(PromotionMetric.F1, s.promotionMetric());
    assertEquals("autopilot.prediction.learning.dispatcher", s.dispatcher());
    assertEquals(
        1, ConfigFactory.load().getInt(s.dispatcher() + ".thread-pool-executor.fixed-pool-size"));
  }

  @Test
  void badValuesGetAClearMessage() {
    Config bad =
        ConfigFactory.parseString("autopilot.prediction.learning.promotion-metric = accuracy")
            .withFallback(ConfigFactory.load());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LearningSettings.create(bad));
    assertTrue(e.getMessage().contains("promotion-metric"), e.getMessage());
    Config tooFew =
        ConfigFactory.parseString(
                "autopilot.prediction.learning { min-samples = 10, buffer-ticks = 5 }")
            .withFallback(ConfigFactory.load());
    e = assertThrows(IllegalArgumentException.class, () -> LearningSettings.create(tooFew));
    assertTrue(e.getMessage().startsWith("autopilot.prediction.learning: min-samples"));
  }

  @Test
  void everyKeyOfReferenceConfHasItsComment() throws IOException {
    List<String> lines;
    try (InputStream in = PredictionSettings.class.getResourceAsStream("/reference.conf")) {
      lines =
          new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip).toList();
    }
    assertTrue(lines.contains("autopilot.prediction {"), "read this module's reference.conf");
    List<String> uncommented = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (!line.startsWith("#") && (line.contains("=") || line.endsWith("{"))) {
        String previous = i == 0 ? "" : lines.get(i - 1);
        if (!previous.startsWith("#") && !line.startsWith("autopilot.prediction {")) {
          uncommented.add(line);
        }
      }
    }
    assertTrue(uncommented.isEmpty(), "keys without a comment: " + uncommented);
  }
}
