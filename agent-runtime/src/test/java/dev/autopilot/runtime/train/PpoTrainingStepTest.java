package dev.autopilot.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autopilot.agents.optimization.learned.LearnedPolicies;
import dev.autopilot.agents.optimization.learned.PpoLearnedPolicy;
import dev.autopilot.agents.optimization.rl.RlSettings;
import dev.autopilot.api.model.ModelBundle;
import dev.autopilot.api.model.ModelRuntime;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.optimize.LearningCurve;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train optimization --iterations 2} in miniature: tiny rollouts, short episodes. */
class PpoTrainingStepTest {

  @TempDir Path root;

  @Test
  void writesThePolicyTheLearningCurveAndTheShadowEvaluation() throws Exception {
    ModelRuntime.configureOffline();
    PpoTrainingStep step =
        new PpoTrainingStep(new PpoTrainingStep.Budget(2, 64, 1, 0.25, 0.25, 1), RuntimeConfig.load());
    ModelBundle.Writer w = ModelBundle.create(root, LearnedPolicies.FAMILY, 1, Map.of("seed", 3));
    StringWriter err = new StringWriter();
    Map<String, Object> headline =
        step.train(new TrainingContext(3, 1, w, root.resolve("work"), new PrintWriter(err), false));
    Path dir = w.commit();

    assertEquals(2, headline.get("iterations"));
    assertTrue(headline.containsKey("beatsBaseline"), headline.toString());
    List<String> csv = Files.readAllLines(dir.resolve("learning-curve.csv"));
    assertEquals(LearningCurve.HEADER, csv.get(0));
    assertEquals(3, csv.size()); // header + 2 iterations
    assertEquals(LearningCurve.HEADER.split(",").length, csv.get(1).split(",").length);
    String html = Files.readString(dir.resolve("learning-curve.html"));
    assertTrue(html.contains("<svg") && html.contains("throughput achievement"));
    assertTrue(html.contains("latency compliance") && html.contains("resource efficiency"));

    JsonNode manifest = new ObjectMapper().readTree(dir.resolve(ModelBundle.MANIFEST).toFile());
    JsonNode ppo = manifest.path("training").path("ppo");
    assertEquals(2, ppo.path("iterations").asInt());
    assertEquals("optimization-state/1", ppo.path("stateSchema").asText());
    assertTrue(ppo.path("ppoSettings").has("learningRate"), ppo.toString());
    // checkpoint selection scored the untrained policy and both iterations, and saved the best
    JsonNode selection = ppo.path("selectionRewardByIteration");
    assertEquals(3, selection.size(), selection.toString());
    int selected = ppo.path("selectedIteration").asInt();
    double best = selection.path(String.valueOf(selected)).asDouble();
    selection.forEach(r -> assertTrue(r.asDouble() <= best, selection.toString()));
    assertEquals(selected, headline.get("selectedIteration"));
    JsonNode shadow =
        manifest
            .path("components")
            .path(PpoLearnedPolicy.COMPONENT)
            .path("metrics")
            .path(LearnedPolicies.SHADOW_KEY);
    assertEquals(1, shadow.path("validationSeeds").size());
    assertTrue(shadow.path("baselineSlaViolationPct").isNumber());

    PpoLearnedPolicy policy =
        LearnedPolicies.load(root, 1, RlSettings.create(RuntimeConfig.load()));
    assertEquals(1, policy.version());
    assertEquals(1, policy.evaluation().validationSeeds().size());
  }
}
