package dev.autopilot.agents.prediction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.prediction.forecast.DemandForecaster;
import dev.autopilot.agents.prediction.model.FeaturePipeline;
import dev.autopilot.agents.prediction.model.ViolationModel;
import dev.autopilot.agents.prediction.policy.HoltForecaster;
import dev.autopilot.agents.prediction.policy.LearnedPolicySettings;
import dev.autopilot.agents.prediction.policy.LearnedPreScalePolicy;
import dev.autopilot.agents.prediction.policy.PreScalePolicy;
import dev.autopilot.agents.prediction.policy.PredictionSettings;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class PreScalersTest {
  private static final PredictionSettings SETTINGS =
      PredictionSettings.create(ConfigFactory.load());
  private static final LearnedPolicySettings LEARNED =
      new LearnedPolicySettings(LearnedPolicySettings.Kind.LEARNED, OptionalDouble.empty());

  private static LearnedComponents withModel(String modelSchema) {
    return new LearnedComponents() {
      @Override
      public Optional<ViolationModel> loadModel() {
        return Optional.of(
            new ViolationModel() {
              @Override
              public int version() {
                return 3;
              }

              @Override
              public String featureSchema() {
                return modelSchema;
              }

              @Override
              public double threshold() {
                return 0.5;
              }

              @Override
              public double probability(float[] features) {
                return 0;
              }

              @Override
              public Map<String, Double> metrics() {
                return Map.of();
              }
            });
      }

      @Override
      public FeaturePipeline newFeatures() {
        return new FeaturePipeline() {
          @Override
          public String schema() {
            return "s1";
          }

          @Override
          public int size() {
            return 1;
          }

          @Override
          public float[] observe(TelemetrySnapshot snapshot, SlaSpec sla) {
            return new float[1];
          }

          @Override
          public void reset() {}
        };
      }

      @Override
      public DemandForecaster newForecaster() {
        return LearnedComponents.holtForecaster(SETTINGS);
      }
    };
  }

  @Test
  void holtIsTheBaseline() {
    var holt = new LearnedPolicySettings(LearnedPolicySettings.Kind.HOLT, OptionalDouble.empty());
    var policy = PreScalers.factory(SETTINGS, holt, withModel("s1")).apply("p1");
    assertInstanceOf(PreScalePolicy.class, policy);
    assertEquals("holt", policy.name());
  }

  @Test
  void learnedWithAModelOnItsSchemaIsLearned() {
    var policy = PreScalers.factory(SETTINGS, LEARNED, withModel("s1")).apply("p1");
    assertEquals("learned", assertInstanceOf(LearnedPreScalePolicy.class, policy).name());
  }

  @Test
  void learnedFallsBackToHoltWithoutAModelOrWithAMismatchedOne() {
    assertInstanceOf(
        PreScalePolicy.class,
        PreScalers.factory(SETTINGS, LEARNED, LearnedComponents.none(SETTINGS)).apply("p1"));
    assertInstanceOf(
        PreScalePolicy.class, PreScalers.factory(SETTINGS, LEARNED, withModel("s0")).apply("p1"));
  }

  @Test
  void theDefaultDemandForecasterIsHolt() {
    DemandForecaster f = LearnedComponents.none(SETTINGS).newForecaster();
    assertInstanceOf(HoltForecaster.class, f);
  }
}
