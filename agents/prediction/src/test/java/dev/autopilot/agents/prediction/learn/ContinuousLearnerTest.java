package dev.autopilot.agents.prediction.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ContinuousLearnerTest {

  static LearningSettings settings(
      int interval, int buffer, int keepEvery, int minSamples, int minPositives, int window) {
    return new LearningSettings(
        true,
        interval,
        buffer,
        keepEvery,
        minSamples,
        minPositives,
        window,
        0.25,
        PromotionMetric.F1,
        0.0,
        0.0,
        Duration.ofSeconds(30),
        "autopilot.prediction.learning.dispatcher");
  }

  private static float[] f(long tick) {
    return new float[] {tick};
  }

  @Test
  void aTickIsLabelledHorizonTicksLaterWithAnyViolationAfterIt() {
    ContinuousLearner l = new ContinuousLearner(settings(10, 100, 1, 2, 1, 100), 3);
    // tick 0 waits; ticks 1..3 decide its label; violation at tick 2 only.
    l.observe(0, f(0), false);
    l.observe(1, f(1), false);
    l.observe(2, f(2), true);
    assertEquals(0, l.labelledTotal(), "tick 0's horizon 1..3 is not complete at tick 2");
    l.observe(3, f(3), false);
    assertEquals(1, l.labelledTotal());
    assertEquals(1, l.windowPositives(), "tick 0: violation at tick 2 is within 1..3");
    l.observe(4, f(4), false);
    l.observe(5, f(5), false);
    // tick 1 (2 in 2..4) and tick 2 (3..5: none; its own violation does not count) labelled
    assertEquals(3, l.labelledTotal());
    assertEquals(2, l.windowPositives());
    assertEquals(3, l.pendingSize());
  }

  @Test
  void aGapDropsTheVectorsStillWaiting() {
    ContinuousLearner l = new ContinuousLearner(settings(10, 100, 1, 2, 1, 100), 3);
    l.observe(0, f(0), false);
    l.observe(1, f(1), false);
    l.observe(5, f(5), true);
    assertEquals(1, l.pendingSize(), "only tick 5 waits");
    assertEquals(0, l.labelledTotal());
    assertThrows(IllegalArgumentException.class, () -> l.observe(5, f(5), false));
  }

  @Test
  void aTickWithoutFeaturesStillLabelsOthers() {
    ContinuousLearner l = new ContinuousLearner(settings(10, 100, 1, 2, 1, 100), 2);
    l.observe(0, f(0), false);
    l.observe(1, null, true);
    l.observe(2, null, false);
    assertEquals(1, l.labelledTotal());
    assertEquals(1, l.windowPositives());
    assertEquals(0, l.pendingSize());
  }

  @Test
  void theWindowIsHeldOutAndOlderTicksTrainWithNegativesDownSampled() {
    // horizon 1: tick t is labelled with the flag of t+1. Every 4th tick is violated.
    ContinuousLearner l = new ContinuousLearner(settings(1, 1000, 2, 2, 1, 10), 1);
    for (long t = 0; t <= 40; t++) {
      l.observe(t, f(t), t % 4 == 0);
    }
    assertEquals(40, l.labelledTotal());
    assertEquals(10, l.windowSize(), "the most recent ten labelled ticks");
    // 30 older ticks: 7 violated (t = 3, 7, ..., 27), 23 quiet of which one in two is kept
    assertEquals(7, l.trainingPositives());
    assertEquals(7 + 12, l.trainingSize());
    ContinuousLearner.TrainingSet set = l.startTraining(40);
    assertEquals(30, set.windowFirstTick());
    assertEquals(39, set.windowLastTick());
    assertEquals(10, set.windowLabels().length);
    assertEquals(19, set.samples());
    // chronological split: the trainer's validation rows are the newest of the training rows
    float last = set.trainFeatures()[set.trainFeatures().length - 1][0];
    assertTrue(last < set.trainerValidationFeatures()[0][0]);
    assertTrue(set.trainerValidationFeatures()[set.trainerValidationLabels().length - 1][0] < 30);
    assertEquals(5, set.trainerValidationLabels().length, "25 % of 19 rows, rounded");
  }

  @Test
  void theTrainingBufferIsBounded() {
    ContinuousLearner l = new ContinuousLearner(settings(1, 5, 1, 2, 1, 2), 1);
    for (long t = 0; t <= 20; t++) {
      l.observe(t, f(t), false);
    }
    assertEquals(5, l.trainingSize());
    ContinuousLearner.TrainingSet set = l.startTraining(20);
    assertArrayEquals(new float[] {13}, set.trainFeatures()[0], "ticks 13..17 remain");
  }

  @Test
  void retrainingIsDueWithEnoughRowsOfBothClassesAndThenEveryInterval() {
    ContinuousLearner l = new ContinuousLearner(settings(50, 1000, 1, 20, 2, 10), 1);
    long t = 0;
    for (; t <= 15; t++) {
      l.observe(t, f(t), t % 3 == 0);
    }
    assertNotNull(l.whyNotDue(t), "too few training rows");
    for (; l.whyNotDue(t) != null && t < 200; t++) {
      l.observe(t, f(t), t % 3 == 0);
    }
    assertTrue(l.retrainDue(t));
    assertNull(l.whyNotDue(t));
    assertEquals(31, t, "20 training rows + 10 window rows + 1 horizon tick");
    l.startTraining(t);
    assertFalse(l.retrainDue(t + 1));
    assertFalse(l.retrainDue(t + 49));
    assertTrue(l.retrainDue(t + 50));
  }

  @Test
  void retrainingNeedsViolations() {
    ContinuousLearner l = new ContinuousLearner(settings(1, 1000, 1, 20, 2, 10), 1);
    for (long t = 0; t < 100; t++) {
      l.observe(t, f(t), false);
    }
    assertFalse(l.retrainDue(100));
    assertTrue(l.whyNotDue(100).contains("0 violated"));
  }

  @Test
  void theBaselineForecastsOfTheWindowGoIntoTheTrainingSetWhenEveryWindowTickHasOne() {
    ContinuousLearner l = new ContinuousLearner(settings(1, 100, 1, 2, 1, 4), 1);
    for (long t = 0; t < 10; t++) {
      l.observe(t, f(t), t % 3 == 0, t % 2 == 0);
    }
    ContinuousLearner.TrainingSet set = l.startTraining(10);
    // labelled ticks 0..8; the window holds the last 4 (5..8), each with its baseline forecast
    assertEquals(5, set.windowFirstTick());
    assertArrayEquals(new boolean[] {false, true, false, true}, set.windowBaselineAlarms());

    ContinuousLearner mixed = new ContinuousLearner(settings(1, 100, 1, 2, 1, 4), 1);
    for (long t = 0; t < 10; t++) {
      mixed.observe(t, f(t), t % 3 == 0, t == 7 ? null : Boolean.TRUE);
    }
    assertNull(
        mixed.startTraining(10).windowBaselineAlarms(),
        "a window tick without a baseline forecast (a model was in use): none");
  }

  @Test
  void withoutAModelInUseTrainingsAreRetriedAtTheColdInterval() {
    LearningSettings base = settings(100, 1000, 1, 4, 1, 4);
    LearningSettings s =
        new LearningSettings(
            true,
            100,
            1000,
            1,
            4,
            1,
            4,
            0.25,
            PromotionMetric.F1,
            0.0,
            0.0,
            Duration.ofSeconds(30),
            base.dispatcher(),
            10);
    ContinuousLearner l = new ContinuousLearner(s, 1);
    long t = 0;
    for (; t < 12; t++) {
      l.observe(t, f(t), t % 2 == 0);
    }
    assertTrue(l.retrainDue(t, false), "the first training as soon as the data suffices");
    l.startTraining(t);
    assertFalse(l.retrainDue(t + 9, false));
    assertTrue(l.retrainDue(t + 10, false), "cold: retried after 10 ticks");
    assertFalse(l.retrainDue(t + 10, true), "with a model in use: the regular 100 ticks");
    assertTrue(l.whyNotDue(t + 10, true).startsWith("last training at tick"));
    assertTrue(l.retrainDue(t + 100, true));
    assertEquals(100, base.retrainIntervalTicks(false), "by default the cold interval is the same");
  }
}
