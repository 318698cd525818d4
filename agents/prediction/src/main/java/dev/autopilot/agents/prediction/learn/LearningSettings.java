package dev.autopilot.agents.prediction.learn;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of the prediction agent's continuous learning, read once from {@code
 * autopilot.prediction.learning} (this module's {@code reference.conf} documents every key and
 * holds every default). Ticks are 10 s of event time.
 *
 * @param enabled whether the agent retrains at all (it still scores with a configured model)
 * @param retrainIntervalTicks ticks between two training attempts
 * @param bufferTicks labelled ticks kept for training (the oldest drop out)
 * @param negativeKeepEvery keep one in this many quiet (unviolated) ticks for training (1: all)
 * @param minSamples training rows needed before a training
 * @param minPositives violated rows needed in the training rows and in the validation window
 * @param validationTicks the most recent labelled ticks, held out from training, on which a
 *     candidate must beat the current model
 * @param trainerValidationShare share of the training rows (the most recent) the trainer uses for
 *     early stopping and threshold calibration
 * @param promotionMetric the figure compared on the validation window
 * @param minImprovement how much better the candidate's figure must be
 * @param minCandidateAuc a candidate whose AUC on the window is below this is never promoted (a
 *     model that alarms on every tick gets a good F1 on a violation-heavy window, but no AUC)
 * @param trainingTimeout a training running longer is given up (journaled as failed)
 * @param dispatcher configuration path of the dispatcher trainings run on
 * @param coldRetrainIntervalTicks ticks between two training attempts while no model is in use (a
 *     cold start, or after a fallback to no model): the Holt baseline decides until one is promoted
 */
public record LearningSettings(
    boolean enabled,
    int retrainIntervalTicks,
    int bufferTicks,
    int negativeKeepEvery,
    int minSamples,
    int minPositives,
    int validationTicks,
    double trainerValidationShare,
    PromotionMetric promotionMetric,
    double minImprovement,
    double minCandidateAuc,
    Duration trainingTimeout,
    String dispatcher,
    int coldRetrainIntervalTicks) {

  /** Configuration path of the settings. */
  public static final String PATH = "autopilot.prediction.learning";

  public LearningSettings {
    require(retrainIntervalTicks >= 1, "retrain-interval-ticks must be >= 1");
    require(bufferTicks >= 1, "buffer-ticks must be >= 1");
    require(negativeKeepEvery >= 1, "negative-keep-every must be >= 1");
    require(minSamples >= 2, "min-samples must be >= 2");
    require(
        minSamples <= bufferTicks,
        "min-samples must be <= buffer-ticks (it could never be reached)");
    require(minPositives >= 1, "min-positives must be >= 1");
    require(validationTicks >= 1, "validation-ticks must be >= 1");
    require(
        trainerValidationShare > 0 && trainerValidationShare < 1,
        "trainer-validation-share must be in (0, 1)");
    require(promotionMetric != null, "promotion-metric is missing");
    require(minImprovement >= 0, "min-improvement must be >= 0");
    require(minCandidateAuc >= 0 && minCandidateAuc <= 1, "min-candidate-auc must be in [0, 1]");
    require(
        trainingTimeout != null && !trainingTimeout.isNegative() && !trainingTimeout.isZero(),
        "training-timeout must be > 0");
    require(dispatcher != null && !dispatcher.isBlank(), "dispatcher path is missing");
    require(coldRetrainIntervalTicks >= 1, "cold-retrain-interval-ticks must be >= 1");
  }

  /** Settings whose cold-start retraining interval is the regular one. */
  public LearningSettings(
      boolean enabled,
      int retrainIntervalTicks,
      int bufferTicks,
      int negativeKeepEvery,
      int minSamples,
      int minPositives,
      int validationTicks,
      double trainerValidationShare,
      PromotionMetric promotionMetric,
      double minImprovement,
      double minCandidateAuc,
      Duration trainingTimeout,
      String dispatcher) {
    this(
        enabled,
        retrainIntervalTicks,
        bufferTicks,
        negativeKeepEvery,
        minSamples,
        minPositives,
        validationTicks,
        trainerValidationShare,
        promotionMetric,
        minImprovement,
        minCandidateAuc,
        trainingTimeout,
        dispatcher,
        retrainIntervalTicks);
  }

  /** Ticks between two training attempts, the shorter cold-start one while no model is in use. */
  public int retrainIntervalTicks(boolean modelInUse) {
    return modelInUse ? retrainIntervalTicks : coldRetrainIntervalTicks;
  }

  /** Reads {@code autopilot.prediction.learning} from the (root) configuration. */
  public static LearningSettings create(Config root) {
    Config c = root.getConfig(PATH);
    if (!c.hasPath("dispatcher.type")) {
      throw new IllegalArgumentException(PATH + ": dispatcher { type = ... } is missing");
    }
    return new LearningSettings(
        c.getBoolean("enabled"),
        c.getInt("retrain-interval-ticks"),
        c.getInt("buffer-ticks"),
        c.getInt("negative-keep-every"),
        c.getInt("min-samples"),
        c.getInt("min-positives"),
        c.getInt("validation-ticks"),
        c.getDouble("trainer-validation-share"),
        PromotionMetric.parse(c.getString("promotion-metric")),
        c.getDouble("min-improvement"),
        c.getDouble("min-candidate-auc"),
        c.getDuration("training-timeout"),
        PATH + ".dispatcher",
        c.getInt("cold-retrain-interval-ticks"));
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(PATH + ": " + message);
    }
  }
}
