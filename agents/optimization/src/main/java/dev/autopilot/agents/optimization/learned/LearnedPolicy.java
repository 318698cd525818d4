package dev.autopilot.agents.optimization.learned;

import dev.autopilot.api.ExpectedEffect;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.List;
import java.util.Optional;

/**
 * A learned configuration policy as the optimization agent runs it (the PPO policy, behind this
 * seam so the agent does not depend on how it was trained). It keeps the working memory it needs
 * (trailing windows, the last changes) and refills it from telemetry after a restart. Pure: no
 * Pekko, no clock. Not thread-safe; one instance per actor.
 */
public interface LearnedPolicy {

  /** Version of the policy bundle; journaled with every proposal it makes, shadow or live. */
  int version();

  /**
   * The configuration the policy would run now.
   *
   * @param snapshot the tick's telemetry (valid, of this pipeline)
   * @param sla the pipeline's SLA
   * @return the recommended target, or empty to keep the current configuration
   */
  Optional<Recommendation> recommend(TelemetrySnapshot snapshot, SlaSpec sla);

  /** What the bundle's offline shadow evaluation against the DS2 baseline found. */
  ShadowEvaluation evaluation();

  /**
   * A new instance of the same policy (the same model, shared) with empty working memory, for
   * another entity: the bundle is read once per node, not once per entity start.
   */
  LearnedPolicy fresh();

  /**
   * A recommended configuration.
   *
   * @param target the whole configuration the policy wants
   * @param confidence 0–1
   * @param expectedEffect what the policy predicts once it settles
   * @param evidence the observations behind it, human-readable
   */
  record Recommendation(
      PipelineConfig target, double confidence, ExpectedEffect expectedEffect, List<String> evidence) {
    public Recommendation {
      evidence = evidence == null ? List.of() : List.copyOf(evidence);
    }
  }
}
