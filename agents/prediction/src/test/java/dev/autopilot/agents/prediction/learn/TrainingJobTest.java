package dev.autopilot.agents.prediction.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.agents.prediction.model.ViolationModel;
import dev.autopilot.agents.prediction.testing.LogisticCodec;
import dev.autopilot.agents.prediction.testing.LogisticModel;
import dev.autopilot.agents.prediction.testing.LogisticTrainer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TrainingJobTest {
  private final LogisticCodec codec = new LogisticCodec();
  private final LearningSettings settings =
      ContinuousLearnerTest.settings(1, 10_000, 1, 50, 5, 100);

  /** Feature: a noisy precursor in [0, 1]; label: violated when the feature is over 0.6. */
  private ContinuousLearner.TrainingSet set() {
    ContinuousLearner l = new ContinuousLearner(settings, 1);
    java.util.Random r = new java.util.Random(7);
    boolean nextViolated = false;
    for (long t = 0; t < 600; t++) {
      float x = r.nextFloat();
      l.observe(t, new float[] {x}, nextViolated);
      nextViolated = x > 0.6;
    }
    return l.startTraining(600);
  }

  @Test
  void aCandidateThatBeatsTheCurrentModelIsPromotedWithItsBytes() {
    ContinuousLearner.TrainingSet set = set();
    byte[] current = codec.encode(LogisticModel.constant(1, 0.01, 0.5));
    AtomicBoolean started = new AtomicBoolean();
    TrainingJob.Result r =
        TrainingJob.run(
            set,
            new LogisticTrainer(),
            codec,
            current,
            2,
            1L,
            LogisticModel.SCHEMA,
            settings,
            () -> started.set(true));
    assertTrue(started.get());
    assertTrue(r.promoted(), r.reason());
    assertTrue(r.candidateMetrics().get("f1") > 0.9, r.candidateMetrics().toString());
    assertEquals(0.0, r.currentMetrics().get("f1"));
    ViolationModel back = codec.decode(r.candidateBytes());
    assertEquals(2, back.version());
    assertEquals(set.samples(), r.samples());
  }

  @Test
  void aCandidateNoBetterThanTheCurrentModelIsRejected() {
    ContinuousLearner.TrainingSet set = set();
    byte[] current = codec.encode(LogisticModel.step(1, 0.6));
    TrainingJob.Result r =
        TrainingJob.judge(
            set,
            LogisticModel.constant(2, 0.01, 0.5),
            codec,
            current,
            LogisticModel.SCHEMA,
            settings);
    assertFalse(r.promoted());
    assertNull(r.candidateBytes());
    assertTrue(r.reason().startsWith("not better: f1 0.0000 vs 1.0000"), r.reason());

    // The same model as the current one: a tie keeps the current one.
    TrainingJob.Result tie =
        TrainingJob.judge(
            set, LogisticModel.step(2, 0.6), codec, current, LogisticModel.SCHEMA, settings);
    assertFalse(tie.promoted());
  }

  @Test
  void withoutACurrentModelACandidateCompetesAgainstNeverViolated() {
    ContinuousLearner.TrainingSet set = set();
    TrainingJob.Result r =
        TrainingJob.judge(
            set, LogisticModel.step(1, 0.6), codec, null, LogisticModel.SCHEMA, settings);
    assertTrue(r.promoted());
    assertEquals(0.0, r.currentMetrics().get("f1"));
    assertNotNull(r.candidateBytes());
    TrainingJob.Result useless =
        TrainingJob.judge(
            set, LogisticModel.constant(1, 0.01, 0.5), codec, null, LogisticModel.SCHEMA, settings);
    assertFalse(useless.promoted());
  }

  @Test
  void aCandidateThatAlarmsOnEveryTickIsNotPromotedBelowTheAucFloor() {
    ContinuousLearner.TrainingSet set = set();
    LearningSettings floor =
        new LearningSettings(
            true,
            1,
            10_000,
            1,
            50,
            5,
            100,
            0.25,
            PromotionMetric.F1,
            0.0,
            0.55,
            java.time.Duration.ofSeconds(30),
            "autopilot.prediction.learning.dispatcher");
    // always alarms: F1 beats a current model that never alarms, but AUC is 0.5
    TrainingJob.Result r =
        TrainingJob.judge(
            set, LogisticModel.constant(2, 0.9, 0.5), codec, null, LogisticModel.SCHEMA, floor);
    assertTrue(r.candidateMetrics().get("f1") > r.currentMetrics().get("f1"));
    assertFalse(r.promoted());
    assertTrue(
        r.reason().startsWith("candidate AUC 0.5000 is below min-candidate-auc 0.55"), r.reason());
    assertTrue(
        TrainingJob.judge(set, LogisticModel.step(2, 0.6), codec, null, LogisticModel.SCHEMA, floor)
            .promoted());
  }

  @Test
  void aStartedTrainingIsInFlightUntilItEndsAndTimesOutWhenItRunsTooLong() throws Exception {
    ContinuousLearner.TrainingSet set = set();
    LearningSettings quick =
        new LearningSettings(
            true,
            1,
            10_000,
            1,
            50,
            5,
            100,
            0.25,
            PromotionMetric.F1,
            0.0,
            0.0,
            java.time.Duration.ofMillis(200),
            "autopilot.prediction.learning.dispatcher");
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.ExecutorService executor =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      int before = TrainingJob.inFlight();
      java.util.concurrent.CompletableFuture<TrainingJob.Result> future =
          TrainingJob.start(
              executor,
              set,
              (x, y, vx, vy, v, seed) -> {
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return LogisticModel.step(v, 0.6);
              },
              codec,
              null,
              2,
              1L,
              LogisticModel.SCHEMA,
              quick);
      java.util.concurrent.ExecutionException e =
          assertThrows(java.util.concurrent.ExecutionException.class, future::get);
      assertTrue(e.getCause() instanceof java.util.concurrent.TimeoutException, e.toString());
      assertEquals(before + 1, TrainingJob.inFlight(), "its thread still runs");
      release.countDown();
      executor.shutdown();
      assertTrue(executor.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS));
      assertEquals(before, TrainingJob.inFlight());

      java.util.concurrent.CompletableFuture<TrainingJob.Result> ok =
          TrainingJob.start(
              Runnable::run,
              set,
              new LogisticTrainer(),
              codec,
              null,
              3,
              1L,
              LogisticModel.SCHEMA,
              quick);
      assertTrue(ok.get().promoted());
      assertEquals(before, TrainingJob.inFlight());
    } finally {
      release.countDown();
      executor.shutdownNow();
    }
  }

  @Test
  void aCandidateOfAnotherFeatureSchemaIsRejected() {
    TrainingJob.Result r =
        TrainingJob.judge(set(), LogisticModel.step(1, 0.6), codec, null, "other-schema", settings);
    assertFalse(r.promoted());
    assertTrue(r.reason().contains("feature schema"));
  }

  @Test
  void aFailingTrainerPropagatesAndReleasesTheTrainingSlot() {
    ContinuousLearner.TrainingSet set = set();
    assertThrows(
        IllegalStateException.class,
        () ->
            TrainingJob.run(
                set,
                (x, y, vx, vy, v, s) -> {
                  throw new IllegalStateException("boom");
                },
                codec,
                null,
                1,
                1L,
                LogisticModel.SCHEMA,
                settings,
                () -> {}));
    // the next training still runs
    TrainingJob.Result r =
        TrainingJob.run(
            set,
            new LogisticTrainer(),
            codec,
            null,
            2,
            1L,
            LogisticModel.SCHEMA,
            settings,
            () -> {});
    assertTrue(r.promoted());
  }

  /** The set of {@link #set()} with baseline forecasts on its window. */
  private ContinuousLearner.TrainingSet withBaseline(
      ContinuousLearner.TrainingSet set, java.util.function.IntPredicate alarm) {
    boolean[] alarms = new boolean[set.windowLabels().length];
    for (int i = 0; i < alarms.length; i++) {
      alarms[i] = alarm.test(i);
    }
    return new ContinuousLearner.TrainingSet(
        set.tick(),
        set.trainFeatures(),
        set.trainLabels(),
        set.trainerValidationFeatures(),
        set.trainerValidationLabels(),
        set.windowFeatures(),
        set.windowLabels(),
        set.windowFirstTick(),
        set.windowLastTick(),
        alarms);
  }

  @Test
  void withoutACurrentModelACandidateMustBeatTheBaselineForecastsOnTheWindow() {
    ContinuousLearner.TrainingSet plain = set();
    boolean[] labels = plain.windowLabels();
    // a weak baseline: alarms on every third window tick
    ContinuousLearner.TrainingSet weak = withBaseline(plain, i -> i % 3 == 0);
    TrainingJob.Result r =
        TrainingJob.run(
            weak,
            new LogisticTrainer(),
            codec,
            null,
            1,
            1L,
            LogisticModel.SCHEMA,
            settings,
            () -> {});
    assertTrue(r.promoted(), r.reason());
    assertTrue(r.reason().contains("against the Holt baseline's forecasts"), r.reason());
    assertEquals(0.5, r.currentMetrics().get(WindowMetrics.THRESHOLD));
    double weakF1 = r.currentMetrics().get(WindowMetrics.F1);
    assertTrue(weakF1 > 0 && weakF1 < r.candidateMetrics().get(WindowMetrics.F1), r.reason());

    // a perfect baseline cannot be beaten on F1
    ContinuousLearner.TrainingSet perfect = withBaseline(plain, i -> labels[i]);
    TrainingJob.Result kept =
        TrainingJob.run(
            perfect,
            new LogisticTrainer(),
            codec,
            null,
            1,
            1L,
            LogisticModel.SCHEMA,
            settings,
            () -> {});
    assertFalse(kept.promoted(), kept.reason());
    assertNull(kept.candidateBytes());
    assertEquals(1.0, kept.currentMetrics().get(WindowMetrics.F1));
    assertTrue(kept.reason().startsWith("not better: f1"), kept.reason());
  }
}
