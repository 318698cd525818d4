package dev.autopilot.agents.optimization.learned;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autopilot.agents.optimization.ppo.PpoPolicy;
import dev.autopilot.agents.optimization.rl.ActionSpace;
import dev.autopilot.agents.optimization.rl.RlSettings;
import dev.autopilot.agents.optimization.rl.StateEncoder;
import dev.autopilot.api.model.ModelBundle;
import dev.autopilot.api.model.ModelException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads the optimization agent's learned policy from a pinned bundle version of family {@value
 * #FAMILY}: from the models directory when it holds that version, else from the release bundle on
 * the classpath ({@code models/optimization/v<N>/}), as {@code ViolationModels} does for
 * prediction.
 *
 * <p>The bundle's component {@value PpoLearnedPolicy#COMPONENT} holds the {@link PpoPolicy} bytes;
 * its metrics hold the state and action schemas ({@link StateEncoder#SCHEMA}, {@link
 * ActionSpace#SCHEMA}) and the {@link ShadowEvaluation} under {@value #SHADOW_KEY}. A policy whose
 * schemas differ from this build's is refused: its inputs would mean something else.
 */
public final class LearnedPolicies {

  /** Model family of the optimization agent's bundle. */
  public static final String FAMILY = "optimization";

  /** Component metric holding the shadow evaluation. */
  public static final String SHADOW_KEY = "shadowEvaluation";

  /** Component metric holding the action schema (the state schema is the feature schema). */
  public static final String ACTION_SCHEMA_KEY = "actionSchema";

  private static final ObjectMapper JSON = new ObjectMapper();

  private LearnedPolicies() {}

  /**
   * The PPO policy of a bundle version, run with this module's default encoder and action-space
   * settings ({@code autopilot.optimization.rl} of {@code reference.conf}).
   *
   * @throws ModelException when the bundle or component is missing, corrupt or of another schema
   */
  public static PpoLearnedPolicy load(Path modelsDir, int version) {
    return load(modelsDir, version, RlSettings.defaults());
  }

  /**
   * The PPO policy of a bundle version.
   *
   * @param modelsDir directory of bundles, or null for the classpath only
   * @param version pinned bundle version
   * @param settings the encoder and action-space settings to run it with
   * @throws ModelException when the bundle or component is missing, corrupt or of another schema
   */
  public static PpoLearnedPolicy load(Path modelsDir, int version, RlSettings settings) {
    ModelBundle bundle = ModelBundle.load(modelsDir, FAMILY, version);
    if (!bundle.has(PpoLearnedPolicy.COMPONENT)) {
      throw new ModelException(bundle.location() + ": no component " + PpoLearnedPolicy.COMPONENT);
    }
    ModelBundle.Component c = bundle.component(PpoLearnedPolicy.COMPONENT);
    if (!StateEncoder.SCHEMA.equals(c.featureSchema())) {
      throw new ModelException(
          bundle.location()
              + ": policy reads state schema "
              + c.featureSchema()
              + ", this build"
              + " encodes "
              + StateEncoder.SCHEMA);
    }
    Map<String, Object> metrics = c.metrics() == null ? Map.of() : c.metrics();
    Object actionSchema = metrics.get(ACTION_SCHEMA_KEY);
    if (!ActionSpace.SCHEMA.equals(actionSchema)) {
      throw new ModelException(
          bundle.location()
              + ": policy writes action schema "
              + actionSchema
              + ", this build"
              + " reads "
              + ActionSpace.SCHEMA);
    }
    String source = bundle.location() + "/" + c.file();
    PpoPolicy policy = PpoPolicy.fromBytes(bundle.read(PpoLearnedPolicy.COMPONENT), source);
    ShadowEvaluation evaluation = ShadowEvaluation.none();
    Object shadow = metrics.get(SHADOW_KEY);
    if (shadow != null) {
      try {
        evaluation = JSON.convertValue(shadow, ShadowEvaluation.class);
      } catch (IllegalArgumentException e) {
        throw new ModelException(
            bundle.location() + ": unreadable " + SHADOW_KEY + ": " + e.getMessage(), e);
      }
    }
    try {
      return new PpoLearnedPolicy(version, policy, settings, evaluation);
    } catch (IllegalArgumentException e) {
      throw new ModelException(source + ": " + e.getMessage(), e);
    }
  }

  /** The shadow evaluation as the bundle's component metrics store it. */
  public static Object toMetric(ShadowEvaluation evaluation) {
    return JSON.convertValue(evaluation, Map.class);
  }
}
