package dev.autopilot.agents.optimization.ppo;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.util.List;

/**
 * Settings of the PPO trainer, read once from {@code autopilot.optimization.ppo} (this module's
 * {@code reference.conf} documents every key and holds every default: issue 5's numbers plus our
 * gradient clipping and initial log-std).
 *
 * @param learningRate Adam learning rate (positive)
 * @param gamma discount factor, in [0, 1]
 * @param gaeLambda GAE lambda, in [0, 1]
 * @param clip clip range of the probability ratio, in (0, 1)
 * @param entropyCoef weight of the entropy bonus (at least 0)
 * @param valueCoef weight of the critic's squared error (positive)
 * @param rolloutSteps transitions per iteration (at least 1)
 * @param epochs passes over a rollout per update (at least 1)
 * @param minibatch transitions per gradient step, in [1, rolloutSteps]
 * @param maxGradNorm largest L2 gradient norm of each network per step (positive; infinity for no
 *     clipping)
 * @param logRatioClamp the log-ratio is clamped to plus or minus this before {@code exp} (positive,
 *     at most 80 so that {@code exp} stays finite in float)
 * @param initialLogStd initial log standard deviation of every action dimension, in [-10, 2]
 * @param hidden hidden layer widths of the actor and the critic (at least one, each at least 1)
 */
public record PpoSettings(
    double learningRate,
    double gamma,
    double gaeLambda,
    double clip,
    double entropyCoef,
    double valueCoef,
    int rolloutSteps,
    int epochs,
    int minibatch,
    double maxGradNorm,
    double logRatioClamp,
    double initialLogStd,
    List<Integer> hidden) {

  /** The configuration path of these settings. */
  public static final String PATH = "autopilot.optimization.ppo";

  public PpoSettings {
    require(learningRate > 0 && Double.isFinite(learningRate), "learning-rate must be > 0");
    require(gamma >= 0 && gamma <= 1, "gamma must be in [0, 1]");
    require(gaeLambda >= 0 && gaeLambda <= 1, "gae-lambda must be in [0, 1]");
    require(clip > 0 && clip < 1, "clip must be in (0, 1)");
    require(entropyCoef >= 0 && Double.isFinite(entropyCoef), "entropy-coef must be >= 0");
    require(valueCoef > 0 && Double.isFinite(valueCoef), "value-coef must be > 0");
    require(rolloutSteps >= 1, "rollout-steps must be >= 1");
    require(epochs >= 1, "epochs must be >= 1");
    require(minibatch >= 1, "minibatch must be >= 1");
    require(
        minibatch <= rolloutSteps,
        "minibatch (" + minibatch + ") must not exceed rollout-steps (" + rolloutSteps + ")");
    require(maxGradNorm > 0, "max-grad-norm must be > 0");
    require(logRatioClamp > 0 && logRatioClamp <= 80, "log-ratio-clamp must be in (0, 80]");
    require(initialLogStd >= -10 && initialLogStd <= 2, "initial-log-std must be in [-10, 2]");
    require(hidden != null && !hidden.isEmpty(), "hidden must list at least one layer width");
    hidden = List.copyOf(hidden);
    for (Integer h : hidden) {
      require(
          h != null && h >= 1 && h <= 4096, "hidden layer widths must be in [1, 4096]: " + hidden);
    }
  }

  /**
   * Reads the settings from a configuration: the root configuration (with {@code
   * autopilot.optimization.ppo}), or that section itself.
   *
   * @throws IllegalArgumentException when a key is missing, of the wrong type, or impossible
   */
  public static PpoSettings fromConfig(Config c) {
    Config s = c.hasPath(PATH) ? c.getConfig(PATH) : c;
    try {
      return new PpoSettings(
          s.getDouble("learning-rate"),
          s.getDouble("gamma"),
          s.getDouble("gae-lambda"),
          s.getDouble("clip"),
          s.getDouble("entropy-coef"),
          s.getDouble("value-coef"),
          s.getInt("rollout-steps"),
          s.getInt("epochs"),
          s.getInt("minibatch"),
          s.getDouble("max-grad-norm"),
          s.getDouble("log-ratio-clamp"),
          s.getDouble("initial-log-std"),
          s.getIntList("hidden"));
    } catch (ConfigException e) {
      throw new IllegalArgumentException(PATH + ": " + e.getMessage(), e);
    }
  }

  /** The defaults of this module's {@code reference.conf}. */
  public static PpoSettings defaults() {
    return fromConfig(ConfigFactory.defaultReference());
  }

  /** These settings with another rollout length (the minibatch is capped at it). */
  public PpoSettings withRolloutSteps(int n) {
    return new PpoSettings(
        learningRate,
        gamma,
        gaeLambda,
        clip,
        entropyCoef,
        valueCoef,
        n,
        epochs,
        Math.min(minibatch, Math.max(1, n)),
        maxGradNorm,
        logRatioClamp,
        initialLogStd,
        hidden);
  }

  /** These settings with another number of epochs per update. */
  public PpoSettings withEpochs(int n) {
    return new PpoSettings(
        learningRate,
        gamma,
        gaeLambda,
        clip,
        entropyCoef,
        valueCoef,
        rolloutSteps,
        n,
        minibatch,
        maxGradNorm,
        logRatioClamp,
        initialLogStd,
        hidden);
  }

  /** These settings with other hidden layer widths. */
  public PpoSettings withHidden(List<Integer> widths) {
    return new PpoSettings(
        learningRate,
        gamma,
        gaeLambda,
        clip,
        entropyCoef,
        valueCoef,
        rolloutSteps,
        epochs,
        minibatch,
        maxGradNorm,
        logRatioClamp,
        initialLogStd,
        widths);
  }

  /** The hidden widths as an array. */
  int[] hiddenArray() {
    return hidden.stream().mapToInt(Integer::intValue).toArray();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(PATH + ": " + message);
    }
  }
}
