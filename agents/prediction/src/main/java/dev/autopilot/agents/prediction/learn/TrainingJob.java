package dev.autopilot.agents.prediction.learn;

import dev.autopilot.agents.prediction.model.ViolationModel;
import dev.autopilot.agents.prediction.model.ViolationModelCodec;
import dev.autopilot.agents.prediction.model.ViolationTrainer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One retraining, run off the actor's message loop: trains a candidate on a {@link
 * ContinuousLearner.TrainingSet}, scores the candidate and the current model on the held-out recent
 * window, and applies the promotion rule. Blocking; at most one training runs at a time in the JVM
 * (PyTorch allows one gradient collector per process), later ones wait for the lock.
 *
 * <p>The current model is rebuilt from its bytes for the job, so the entity's own instance (not
 * thread-safe) is never touched off its loop. Without a current model (a cold start) the candidate
 * competes against the Holt baseline's binary forecasts on the window when the set carries them
 * (probability 1 at an alarm, 0 otherwise, threshold 0.5: the decision the baseline acted on), else
 * against a model that never predicts a violation (probability = the training base rate, which
 * stays under its threshold 1). The AUC floor applies in both cases.
 */
public final class TrainingJob {
  private static final ReentrantLock ONE_AT_A_TIME = new ReentrantLock(true);
  private static final AtomicInteger IN_FLIGHT = new AtomicInteger();

  /**
   * The outcome of a training that ran to completion.
   *
   * @param candidate the trained model
   * @param candidateBytes its bytes when promoted, else null
   * @param promoted whether it beats the current model
   * @param reason why it was (not) promoted
   * @param candidateMetrics candidate on the window
   * @param currentMetrics current model on the window
   * @param samples rows the candidate was fitted on (training plus the trainer's validation)
   */
  public record Result(
      ViolationModel candidate,
      byte[] candidateBytes,
      boolean promoted,
      String reason,
      Map<String, Double> candidateMetrics,
      Map<String, Double> currentMetrics,
      int samples) {}

  private TrainingJob() {}

  /**
   * Trainings submitted in this JVM and not finished yet (queued or running, timed out ones
   * included until their thread ends). A simulation driver waits for 0 before it advances event
   * time, so that a training costs no event time and a run is reproducible.
   */
  public static int inFlight() {
    return IN_FLIGHT.get();
  }

  /**
   * Submits {@link #run} to an executor (the learning dispatcher). The future completes with the
   * result, with the trainer's exception, or with a {@link java.util.concurrent.TimeoutException}
   * when the training runs longer than {@code trainingTimeout} once started (its thread still runs
   * to its end). Callbacks registered on the future before it completes run before {@link
   * #inFlight} drops.
   */
  public static CompletableFuture<Result> start(
      Executor executor,
      ContinuousLearner.TrainingSet set,
      ViolationTrainer trainer,
      ViolationModelCodec codec,
      byte[] currentBytes,
      int version,
      long seed,
      String featureSchema,
      LearningSettings settings) {
    CompletableFuture<Result> future = new CompletableFuture<>();
    IN_FLIGHT.incrementAndGet();
    try {
      executor.execute(
          () -> {
            try {
              future.complete(
                  run(
                      set,
                      trainer,
                      codec,
                      currentBytes,
                      version,
                      seed,
                      featureSchema,
                      settings,
                      () ->
                          future.orTimeout(
                              settings.trainingTimeout().toMillis(), TimeUnit.MILLISECONDS)));
            } catch (Throwable t) {
              future.completeExceptionally(t);
            } finally {
              IN_FLIGHT.decrementAndGet();
            }
          });
    } catch (RuntimeException e) {
      IN_FLIGHT.decrementAndGet();
      future.completeExceptionally(e);
    }
    return future;
  }

  /**
   * Trains and judges a candidate. Blocking.
   *
   * @param set the rows
   * @param trainer the trainer
   * @param codec model bytes
   * @param currentBytes bytes of the current model, null when there is none
   * @param version the candidate's version
   * @param seed training seed
   * @param featureSchema the entity's feature schema (the candidate must report it)
   * @param settings the promotion rule
   * @param started called once the job holds the JVM's training slot (starts its timeout)
   * @throws RuntimeException whatever the trainer or the codec throws
   */
  public static Result run(
      ContinuousLearner.TrainingSet set,
      ViolationTrainer trainer,
      ViolationModelCodec codec,
      byte[] currentBytes,
      int version,
      long seed,
      String featureSchema,
      LearningSettings settings,
      Runnable started) {
    ONE_AT_A_TIME.lock();
    try {
      started.run();
      ViolationModel candidate =
          trainer.train(
              set.trainFeatures(),
              set.trainLabels(),
              set.trainerValidationFeatures(),
              set.trainerValidationLabels(),
              version,
              seed);
      return judge(set, candidate, codec, currentBytes, featureSchema, settings);
    } finally {
      ONE_AT_A_TIME.unlock();
    }
  }

  /** Scores a trained candidate against the current model on the window (the promotion rule). */
  static Result judge(
      ContinuousLearner.TrainingSet set,
      ViolationModel candidate,
      ViolationModelCodec codec,
      byte[] currentBytes,
      String featureSchema,
      LearningSettings settings) {
    Map<String, Double> cand =
        WindowMetrics.of(
            probabilities(candidate, set.windowFeatures()),
            set.windowLabels(),
            candidate.threshold());
    Map<String, Double> current;
    String against = "";
    if (currentBytes == null && set.windowBaselineAlarms() != null) {
      boolean[] alarms = set.windowBaselineAlarms();
      double[] p = new double[alarms.length];
      for (int i = 0; i < p.length; i++) {
        p[i] = alarms[i] ? 1.0 : 0.0;
      }
      current = WindowMetrics.of(p, set.windowLabels(), 0.5);
      against = " (against the Holt baseline's forecasts)";
    } else if (currentBytes == null) {
      against = " (against no model: never alarming)";
      double[] base = new double[set.windowLabels().length];
      Arrays.fill(base, Math.min(set.trainPositiveRate(), 0.999));
      current = WindowMetrics.of(base, set.windowLabels(), 1.0);
    } else {
      ViolationModel model = codec.decode(currentBytes);
      current =
          WindowMetrics.of(
              probabilities(model, set.windowFeatures()), set.windowLabels(), model.threshold());
    }
    PromotionMetric metric = settings.promotionMetric();
    String figures =
        String.format(
            Locale.ROOT,
            "%s %.4f vs %.4f on %d window ticks%s",
            metric.configName(),
            cand.get(metric.key()),
            current.get(metric.key()),
            set.windowLabels().length,
            against);
    if (!featureSchema.equals(candidate.featureSchema())) {
      return new Result(
          candidate,
          null,
          false,
          "candidate feature schema " + candidate.featureSchema() + " is not " + featureSchema,
          cand,
          current,
          set.samples());
    }
    double auc = cand.get(WindowMetrics.AUC);
    if (auc < settings.minCandidateAuc()) {
      return new Result(
          candidate,
          null,
          false,
          String.format(
              Locale.ROOT,
              "candidate AUC %.4f is below min-candidate-auc %.2f (%s)",
              auc,
              settings.minCandidateAuc(),
              figures),
          cand,
          current,
          set.samples());
    }
    boolean promote = metric.beats(cand, current, settings.minImprovement());
    return new Result(
        candidate,
        promote ? codec.encode(candidate) : null,
        promote,
        (promote ? "better: " : "not better: ") + figures,
        cand,
        current,
        set.samples());
  }

  private static double[] probabilities(ViolationModel model, float[][] features) {
    double[] p = new double[features.length];
    for (int i = 0; i < features.length; i++) {
      p[i] = model.probability(features[i]);
    }
    return p;
  }
}
