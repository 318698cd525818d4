package dev.autopilot.runtime.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.prediction.LearnedComponents;
import dev.autopilot.agents.prediction.PredictionModelSettings;
import dev.autopilot.agents.prediction.model.PredictionModels;
import dev.autopilot.agents.prediction.policy.PredictionSettings;
import org.junit.jupiter.api.Test;

/** Which learned forecaster parts the composition root wires for {@code models.start}. */
class PredictionModelsLoaderTest {

  private static Config start(String value) {
    return ConfigFactory.parseString("autopilot.prediction.models.start = " + value)
        .withFallback(ConfigFactory.load());
  }

  @Test
  void theDefaultStartIsTheReleaseModel() {
    assertEquals(
        PredictionModelSettings.Start.RELEASE,
        PredictionModelSettings.create(ConfigFactory.load()).start());
  }

  @Test
  void aColdStartWiresTheLearningPartsWithoutAReleaseModel() {
    PredictionModels models = PredictionModelsLoader.load(start("cold"));
    assertNull(models.release(), "no release model");
    assertTrue(models.canLearn(), "features, trainer and codec");
    assertEquals(150, models.features().get().size());
    PredictionSettings settings = PredictionSettings.create(ConfigFactory.load());
    LearnedComponents components =
        LearnedComponents.of(models, () -> LearnedComponents.holtForecaster(settings), settings);
    assertTrue(components.coldStart());
    assertTrue(components.loadModel().isEmpty());
  }

  @Test
  void anUnknownStartIsRefusedWithTheKeyNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> PredictionModelSettings.create(start("warm")));
    assertTrue(e.getMessage().contains("autopilot.prediction.models.start"), e.getMessage());
  }
}
