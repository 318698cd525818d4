package dev.autopilot.agents.prediction.model;

import java.util.function.Supplier;

/**
 * The learned forecaster's parts, as the composition root wires them into the prediction agent.
 * Every part is optional; the agent uses what is there:
 *
 * <ul>
 *   <li>no {@code features}, or neither a release model nor learning: the Holt baseline alone,
 *       exactly as without a model ({@link #NONE});
 *   <li>{@code features} and {@code release}: every tick is scored by the release model (its
 *       probability goes into the proposals' evidence and the tick's diagnostics);
 *   <li>{@code features}, {@code trainer} and {@code codec} with learning enabled: the agent also
 *       retrains and promotes; without a release model (a cold start, {@code
 *       autopilot.prediction.models.start = cold}) the Holt baseline decides and forecasts until a
 *       first candidate beats its forecasts on the validation window.
 * </ul>
 *
 * @param features a fresh feature pipeline per entity (stateful, one per pipeline), or null
 * @param release a fresh instance of the pinned release model per entity (a model is not
 *     thread-safe), or null when none is pinned
 * @param trainer the trainer (blocking; the agent calls it off its message loop), or null
 * @param codec model bytes for the journal, or null (then nothing can be promoted)
 */
public record PredictionModels(
    Supplier<FeaturePipeline> features,
    Supplier<ViolationModel> release,
    ViolationTrainer trainer,
    ViolationModelCodec codec) {

  /** No model: the Holt baseline only. */
  public static final PredictionModels NONE = new PredictionModels(null, null, null, null);

  /** Whether the agent can score ticks or learn at all. */
  public boolean hasFeatures() {
    return features != null;
  }

  /** Whether the agent can train and journal new versions. */
  public boolean canLearn() {
    return features != null && trainer != null && codec != null;
  }
}
