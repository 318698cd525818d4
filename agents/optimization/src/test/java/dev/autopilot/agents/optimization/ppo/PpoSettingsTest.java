package dev.autopilot.agents.optimization.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PpoSettingsTest {

  @Test
  void defaultsAreTheIssuesNumbers() {
    PpoSettings s = PpoSettings.defaults();
    assertEquals(3e-4, s.learningRate());
    assertEquals(0.99, s.gamma());
    assertEquals(0.95, s.gaeLambda());
    assertEquals(0.2, s.clip());
    assertEquals(0.01, s.entropyCoef());
    assertEquals(0.5, s.valueCoef());
    assertEquals(2048, s.rolloutSteps());
    assertEquals(10, s.epochs());
    assertEquals(32, s.minibatch());
    assertEquals(20, s.logRatioClamp());
    assertEquals(0.5, s.maxGradNorm());
    assertEquals(List.of(256, 128, 64), s.hidden());
  }

  @Test
  void readsTheSectionOrTheRoot() {
    Config root = ConfigFactory.defaultReference();
    assertEquals(
        PpoSettings.fromConfig(root), PpoSettings.fromConfig(root.getConfig(PpoSettings.PATH)));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "learning-rate = -0.001 | learning-rate",
        "learning-rate = 0      | learning-rate",
        "gamma = 1.5            | gamma",
        "gae-lambda = -0.1      | gae-lambda",
        "clip = 0               | clip",
        "clip = 1               | clip",
        "entropy-coef = -0.01   | entropy-coef",
        "value-coef = 0         | value-coef",
        "rollout-steps = 0      | rollout-steps",
        "epochs = 0             | epochs",
        "minibatch = 4096       | minibatch",
        "minibatch = 0          | minibatch",
        "max-grad-norm = 0      | max-grad-norm",
        "log-ratio-clamp = 0    | log-ratio-clamp",
        "log-ratio-clamp = 100  | log-ratio-clamp",
        "initial-log-std = 5    | initial-log-std",
        "hidden = []            | hidden",
        "hidden = [64, 0]       | hidden",
        "clip = lots            | clip",
      })
  void rejectsImpossibleValuesNamingTheKey(String override, String key) {
    Config c =
        ConfigFactory.parseString(PpoSettings.PATH + "." + override)
            .withFallback(ConfigFactory.defaultReference());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PpoSettings.fromConfig(c));
    assertTrue(e.getMessage().contains(key), e.getMessage());
    assertTrue(e.getMessage().startsWith(PpoSettings.PATH), e.getMessage());
  }

  @Test
  void aMissingKeyIsAClearError() {
    Config c = ConfigFactory.parseString("autopilot.optimization.ppo { gamma = 0.9 }");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PpoSettings.fromConfig(c));
    assertTrue(e.getMessage().contains("learning-rate"), e.getMessage());
  }

  @Test
  void withersKeepTheRest() {
    PpoSettings s = PpoSettings.defaults().withRolloutSteps(16);
    assertEquals(16, s.rolloutSteps());
    assertEquals(16, s.minibatch()); // capped at the rollout
    assertEquals(PpoSettings.defaults().gamma(), s.gamma());
    assertEquals(3, PpoSettings.defaults().withEpochs(3).epochs());
  }
}
