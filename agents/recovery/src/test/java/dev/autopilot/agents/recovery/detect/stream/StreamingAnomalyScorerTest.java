package dev.autopilot.agents.recovery.detect.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.model.TrainOptions;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StreamingAnomalyScorerTest {

  /** Small fits so that the learnt detectors run in a unit test. */
  private static final StreamSettings FAST =
      new StreamSettings(
          new RefitSchedule(128, 256),
          8,
          30,
          128,
          16,
          new TrainOptions(2, 64, 7, 0.2, 1, 1e-3f),
          10,
          8,
          new TrainOptions(1, 64, 7, 0.2, 1, 1e-3f),
          new AnomalyLikelihood(1, 8640, 32, 100, 0.03, Math.sqrt(0.0003)),
          0.05,
          32,
          5.0,
          0,
          7);

  /** A daily-like sine with noise and a spike at row 450. */
  static double[] series(int n, long seed) {
    Random r = new Random(seed);
    double[] v = new double[n];
    for (int t = 0; t < n; t++) {
      v[t] = 10 + 3 * Math.sin(2 * Math.PI * t / 48.0) + 0.3 * r.nextGaussian();
    }
    if (n > 450) {
      v[450] += 12;
    }
    return v;
  }

  @ParameterizedTest
  @EnumSource(DetectorKind.class)
  void scoresOfEarlyRowsDoNotDependOnLaterRows(DetectorKind kind) {
    StreamingAnomalyScorer s = new StreamingAnomalyScorer(FAST);
    double[] full = series(560, 1);
    double[] changed = full.clone();
    for (int t = 400; t < changed.length; t++) {
      changed[t] = -changed[t] * 5;
    }
    double[] prefix = Arrays.copyOf(full, 400);
    double[] a = s.score(full, kind);
    double[] b = s.score(changed, kind);
    double[] c = s.score(prefix, kind);
    assertArrayEquals(c, Arrays.copyOf(a, 400), 0.0, "appending rows changed earlier scores");
    assertArrayEquals(c, Arrays.copyOf(b, 400), 0.0, "changing later rows changed earlier scores");
    assertEquals(full.length, a.length);
    for (double x : a) {
      assertTrue(x >= 0 && x <= 1, "score outside [0, 1]: " + x);
    }
  }

  @Test
  void spikeScoresHigherThanOrdinaryRows() {
    double[] v = series(600, 2);
    double[] s = new StreamingAnomalyScorer(FAST).score(v, DetectorKind.IFOREST);
    double ordinary = 0;
    for (int t = 300; t < 440; t++) {
      ordinary = Math.max(ordinary, s[t]);
    }
    assertTrue(s[450] > ordinary, "spike " + s[450] + " vs ordinary max " + ordinary);
  }

  @Test
  void missingValuesGetFiniteScores() {
    double[] v = series(400, 3);
    v[0] = Double.NaN;
    v[200] = Double.NaN;
    v[201] = Double.POSITIVE_INFINITY;
    double[] s = new StreamingAnomalyScorer(FAST).score(v, DetectorKind.ENSEMBLE);
    for (double x : s) {
      assertTrue(x >= 0 && x <= 1, "score " + x);
    }
  }

  @Test
  void rangeBreakoutFiresBeyondTheSeenRangePlusTolerance() {
    double[] v = new double[100];
    for (int t = 0; t < v.length; t++) {
      v[t] = t % 10;
    }
    v[60] = 9.4; // within 5 % of the range (0.45) above the maximum 9
    v[70] = 10.0; // beyond 9.4 + 0.05 * 9.4
    boolean[] b = StreamingAnomalyScorer.breakouts(v, 0.05, 32);
    assertTrue(!b[60] && b[70]);
    assertEquals(1, count(b));
  }

  private static int count(boolean[] b) {
    int n = 0;
    for (boolean x : b) {
      n += x ? 1 : 0;
    }
    return n;
  }

  @Test
  void refitScheduleDoublesThenSlides() {
    assertEquals(
        List.of(
            new RefitSchedule.Segment(0, 100, 200),
            new RefitSchedule.Segment(0, 200, 400),
            new RefitSchedule.Segment(0, 400, 800),
            new RefitSchedule.Segment(0, 800, 1600),
            new RefitSchedule.Segment(800, 1600, 1700)),
        new RefitSchedule(100, 800).segments(1700));
  }

  @Test
  void likelihoodIsLowForOrdinaryAndHighForSurprisingScores() {
    double[] raw = new double[300];
    Random r = new Random(4);
    for (int t = 0; t < raw.length; t++) {
      raw[t] = t < 20 ? Double.NaN : 0.4 + 0.02 * r.nextGaussian();
    }
    raw[250] = 0.9;
    double[] s = new AnomalyLikelihood(1, 1000, 32, 100, 0.03, 0.01).surprises(raw);
    assertEquals(Math.log10(2), s[10], 1e-12);
    assertTrue(s[250] > 20, "surprise of a 25-sigma score: " + s[250]);
    assertTrue(s[200] < 5, "surprise of an ordinary score: " + s[200]);
  }

  @Test
  void logErfcAgreesWithErfcAndStaysFiniteFarOut() {
    for (double z : new double[] {0, 0.5, 1, 2, 4}) {
      assertEquals(Math.log(AnomalyLikelihood.erfc(z)), AnomalyLikelihood.logErfc(z), 1e-9);
    }
    assertTrue(Double.isFinite(AnomalyLikelihood.logErfc(100)));
  }
}
