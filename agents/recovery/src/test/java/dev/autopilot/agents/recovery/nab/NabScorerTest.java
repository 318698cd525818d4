package dev.autopilot.agents.recovery.nab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class NabScorerTest {

  private static final NabScorer SCORER = new NabScorer();

  static List<NabProfile> profiles() {
    return NabProfile.ALL;
  }

  /** 100 rows (15 probationary), one window over rows 40..49. */
  private static NabFile file(double... detectionsAt) {
    double[] s = new double[100];
    for (double d : detectionsAt) {
      s[(int) d] = 1.0;
    }
    return new NabFile("f.csv", s, List.of(new NabFile.Window(40, 49)));
  }

  private static List<NabFile> corpus(boolean perfect) {
    double[] a = new double[1000];
    double[] b = new double[300];
    List<NabFile.Window> wa = List.of(new NabFile.Window(300, 399), new NabFile.Window(700, 749));
    List<NabFile.Window> wb = List.of(new NabFile.Window(100, 129));
    if (perfect) {
      for (NabFile.Window w : wa) {
        a[w.start()] = 1;
      }
      b[100] = 1;
    } else {
      Arrays.fill(a, 0.3);
      Arrays.fill(b, 0.3);
    }
    return List.of(new NabFile("a.csv", a, wa), new NabFile("b.csv", b, wb));
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void perfectDetectorScores100(NabProfile profile) {
    NabScorer.Result r = SCORER.evaluate(corpus(true), profile);
    assertEquals(3 * profile.tpWeight(), r.best().score(), 1e-9);
    assertEquals(100.0, r.normalized(), 1e-9);
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void nullAndConstantDetectorsScore0(NabProfile profile) {
    List<NabFile> nulls = NabScorer.nullDetector(corpus(true));
    assertEquals(0.0, SCORER.evaluate(nulls, profile).normalized(), 1e-9);
    assertEquals(0.0, SCORER.evaluate(corpus(false), profile).normalized(), 1e-9);
    assertEquals(-3 * profile.fnWeight(), SCORER.evaluate(nulls, profile).nullScore(), 1e-9);
  }

  @Test
  void scaledSigmoidMatchesNab() {
    assertEquals(0.98661, NabScorer.scaledSigmoid(-1.0), 1e-5);
    assertEquals(0.84828, NabScorer.scaledSigmoid(-0.5), 1e-5);
    assertEquals(0.0, NabScorer.scaledSigmoid(0.0), 1e-12);
    assertEquals(-0.98661, NabScorer.scaledSigmoid(1.0), 1e-5);
    assertEquals(-1.0, NabScorer.scaledSigmoid(3.0), 0);
  }

  @Test
  void handComputedTinyCase() {
    // Detection at row 45: position -(49 - 45 + 1) / 10 = -0.5, worth S(-0.5) / S(-1) = 0.859793.
    // Row 47 is a later detection in the same window: it does not count.
    // Row 59 is a false positive 10 rows after the window: S(10 / 9) * fp = -0.99229 * fp.
    // Row 20 precedes every window: costs the full fp weight. Row 5 is probationary.
    NabFile f = file(5, 20, 45, 47, 59);
    assertEquals(0.6406397940, SCORER.score(f, NabProfile.STANDARD, 0.5), 1e-9);
    assertEquals(
        0.8597925669 - 0.22 - 0.2183055458,
        SCORER.score(f, NabProfile.REWARD_LOW_FP_RATE, 0.5),
        1e-9);
    // A miss costs fnWeight: 2 in reward_low_FN_rate.
    assertEquals(-2.0, SCORER.score(file(), NabProfile.REWARD_LOW_FN_RATE, 0.5), 1e-12);
    // The sweep over all thresholds agrees with the fixed-threshold score.
    NabScorer.ThresholdScore best = SCORER.optimize(List.of(f), NabProfile.STANDARD);
    assertEquals(0.6406397940, best.score(), 1e-9);
    assertEquals(1.0, best.threshold(), 0);
    assertEquals(2, best.tp());
    assertEquals(2, best.fp());
  }

  @Test
  void firstRowOfWindowEarnsFullWeightAndLastAlmostNothing() {
    assertEquals(1.0, SCORER.score(file(40), NabProfile.STANDARD, 0.5), 1e-12);
    assertEquals(
        NabScorer.scaledSigmoid(-0.1) / NabScorer.scaledSigmoid(-1),
        SCORER.score(file(49), NabProfile.STANDARD, 0.5),
        1e-12);
  }

  @Test
  void probationIsCappedAt750Rows() {
    assertEquals(15, SCORER.probationaryLength(100), 0);
    assertEquals(750, SCORER.probationaryLength(22_695), 0);
  }

  @Test
  void rejectsNaNScoresAndBadWindows() {
    double[] s = new double[10];
    s[3] = Double.NaN;
    NabFile f = new NabFile("x.csv", s, List.of());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> SCORER.score(f, NabProfile.STANDARD, 0.5));
    assertEquals("x.csv: anomaly score of row 3 is NaN", e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new NabFile("y.csv", new double[5], List.of(new NabFile.Window(2, 7))));
  }
}
