package dev.autopilot.agents.prediction.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LearnedPolicySettingsTest {

  @Test
  void defaultsAreTheLearnedPolicyWithTheCalibratedThresholdAndAThreeMinuteLeadTime() {
    LearnedPolicySettings s = LearnedPolicySettings.create(ConfigFactory.load());
    assertEquals(LearnedPolicySettings.Kind.LEARNED, s.policy());
    assertEquals(OptionalDouble.empty(), s.thresholdOverride());
    PredictionSettings p = PredictionSettings.create(ConfigFactory.load());
    assertEquals(18, p.leadTimeTicks(), "3 minutes of 10 s ticks");
    assertEquals(30, p.horizonTicks(), "the forecast peak covers the next 5 minutes");
  }

  @Test
  void holtAndAnOverrideAreRead() {
    LearnedPolicySettings s =
        LearnedPolicySettings.create(
            ConfigFactory.parseString(
                    "autopilot.prediction { policy = HOLT, decision-threshold = \"0.7\" }")
                .withFallback(ConfigFactory.load()));
    assertEquals(LearnedPolicySettings.Kind.HOLT, s.policy());
    assertEquals(OptionalDouble.of(0.7), s.thresholdOverride());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "policy = rules; unknown policy 'rules', expected learned or holt",
        "decision-threshold = 1.5; must be 'model' or a probability in (0, 1), was 1.5",
        "decision-threshold = 0; must be 'model' or a probability in (0, 1), was 0.0",
        "decision-threshold = high; must be 'model' or a probability in (0, 1), was 'high'"
      })
  void badValuesAreRefusedWithAClearMessage(String setting, String message) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LearnedPolicySettings.create(
                    ConfigFactory.parseString("autopilot.prediction." + setting)
                        .withFallback(ConfigFactory.load())));
    assertTrue(e.getMessage().startsWith("autopilot.prediction."), e.getMessage());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void everyKeyOfThisModulesReferenceConfHasItsOwnComment() throws Exception {
    List<String> lines;
    try (InputStream in = PredictionSettings.class.getResourceAsStream("/reference.conf")) {
      lines =
          new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip).toList();
    }
    assertTrue(lines.contains("autopilot.prediction {"), "read this module's reference.conf");
    List<String> uncommented = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (!line.startsWith("#") && line.contains("=") && !lines.get(i - 1).startsWith("#")) {
        uncommented.add(line);
      }
    }
    assertTrue(uncommented.isEmpty(), "keys without a comment: " + uncommented);
  }
}
