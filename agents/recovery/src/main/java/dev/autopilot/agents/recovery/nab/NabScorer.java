package dev.autopilot.agents.recovery.nab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The scoring of the Numenta Anomaly Benchmark (NAB v1.1: {@code nab/sweeper.py}, the threshold
 * optimisation of {@code nab/optimizer.py} and the normalisation of {@code nab/runner.py}).
 *
 * <ul>
 *   <li>The first {@code min(floor(0.15 * rows), 0.15 * 5000)} rows of each file are probationary
 *       and not scored.
 *   <li>A detection (a row whose anomaly score is at least the threshold) inside a window is worth
 *       {@code tpWeight * S(p) / S(-1)}, where {@code S(x) = 2 / (1 + e^(5x)) - 1} is the scaled
 *       sigmoid and {@code p = -(end - i + 1) / width} the relative position in the window: the
 *       left edge earns the full weight, later detections less. Only the best (earliest) detection
 *       of a window counts; a window without detection costs {@code fnWeight}.
 *   <li>A detection outside every window costs {@code fpWeight * S(p)}, {@code p = |i - end| /
 *       (width - 1)} measured from the end of the preceding window (so close after a window it is
 *       cheap, 3 window-widths later it costs the full {@code fpWeight}); before the first window
 *       it always costs {@code fpWeight}.
 *   <li>One threshold per profile is chosen for the whole corpus, the one that maximises the summed
 *       raw score over all files.
 *   <li>The normalised score is {@code 100 * (raw - null) / (perfect - null)}: {@code null} is the
 *       optimised raw score of NAB's null detector (constant score 0.5), {@code perfect} is the
 *       number of windows times {@code tpWeight}.
 * </ul>
 *
 * <p>Pure and stateless.
 */
public final class NabScorer {

  /** NAB's probationary fraction. */
  public static final double PROBATION_PERCENT = 0.15;

  /** The null detector's constant score. */
  static final double NULL_SCORE = 0.5;

  private static final int PROBATIONARY = -2;
  private static final int OUTSIDE = -1;

  private final double probationPercent;

  /** A scorer with NAB's probationary fraction 0.15. */
  public NabScorer() {
    this(PROBATION_PERCENT);
  }

  /**
   * @param probationPercent fraction of each file (capped at {@code probationPercent * 5000} rows)
   *     that is not scored
   */
  public NabScorer(double probationPercent) {
    if (!(probationPercent >= 0 && probationPercent < 1)) {
      throw new IllegalArgumentException("probationPercent must be in [0, 1): " + probationPercent);
    }
    this.probationPercent = probationPercent;
  }

  /**
   * The raw score of a threshold over a corpus, with NAB's counts of scorable rows.
   *
   * @param threshold rows with anomaly score {@code >=} threshold are detections
   * @param score summed raw NAB score
   * @param tp detections inside windows
   * @param tn rows outside windows not detected
   * @param fp detections outside windows
   * @param fn rows inside windows not detected
   */
  public record ThresholdScore(double threshold, double score, int tp, int tn, int fp, int fn) {}

  /**
   * A profile's result over a corpus.
   *
   * @param profile the profile
   * @param best the best threshold and its raw score
   * @param nullScore the optimised raw score of the null detector
   * @param perfectScore the raw score of a perfect detector
   * @param normalized {@code 100 * (raw - null) / (perfect - null)}
   */
  public record Result(
      NabProfile profile,
      ThresholdScore best,
      double nullScore,
      double perfectScore,
      double normalized) {}

  /** NAB's scaled sigmoid of a relative position (see the class comment). */
  public static double scaledSigmoid(double relativePosition) {
    if (relativePosition >= 3.0) {
      return -1.0;
    }
    return 2.0 / (1.0 + Math.exp(5.0 * relativePosition)) - 1.0;
  }

  /** Rows at the start of a file of {@code rows} rows that are not scored. */
  public double probationaryLength(int rows) {
    return Math.min(Math.floor(probationPercent * rows), probationPercent * 5000);
  }

  /** Per-row sweep values of a file: the weighted score a detection there would earn. */
  static final class Sweep {
    final double[] anomaly;
    final double[] weighted;

    /** Corpus-wide window id, {@link #OUTSIDE} or {@link #PROBATIONARY}. */
    final int[] window;

    Sweep(int n) {
      anomaly = new double[n];
      weighted = new double[n];
      window = new int[n];
    }
  }

  Sweep sweep(NabFile file, NabProfile profile, int windowIdBase) {
    int n = file.scores().length;
    Sweep s = new Sweep(n);
    double maxTp = scaledSigmoid(-1.0);
    double probation = probationaryLength(n);
    List<NabFile.Window> windows = file.windows();
    int next = 0;
    NabFile.Window cur = null;
    int curId = OUTSIDE;
    NabFile.Window prev = null;
    for (int i = 0; i < n; i++) {
      double a = file.scores()[i];
      if (Double.isNaN(a)) {
        throw new IllegalArgumentException(file.name() + ": anomaly score of row " + i + " is NaN");
      }
      if (next < windows.size() && i == windows.get(next).start()) {
        cur = windows.get(next);
        curId = windowIdBase + next;
        next++;
      }
      double w;
      if (cur != null) {
        double position = -(cur.end() - i + 1) / (double) cur.width();
        w = scaledSigmoid(position) * profile.tpWeight() / maxTp;
      } else {
        double position =
            prev == null ? 3.0 : Math.abs(prev.end() - i) / (double) (prev.width() - 1);
        w = scaledSigmoid(position) * profile.fpWeight();
      }
      s.anomaly[i] = a;
      s.weighted[i] = w;
      s.window[i] = i >= probation ? (cur != null ? curId : OUTSIDE) : PROBATIONARY;
      if (cur != null && i == cur.end()) {
        prev = cur;
        cur = null;
        curId = OUTSIDE;
      }
    }
    return s;
  }

  /**
   * The raw score of every threshold over a corpus (NAB's {@code calcScoreByThreshold} on the rows
   * of all files), in decreasing threshold order; the first entry (threshold 1.1) detects nothing.
   */
  public List<ThresholdScore> scoresByThreshold(List<NabFile> files, NabProfile profile) {
    int rows = 0;
    int windowCount = 0;
    List<Sweep> sweeps = new ArrayList<>(files.size());
    for (NabFile f : files) {
      sweeps.add(sweep(f, profile, windowCount));
      windowCount += f.windows().size();
      rows += f.scores().length;
    }
    double[] anomaly = new double[rows];
    double[] weighted = new double[rows];
    int[] window = new int[rows];
    int m = 0;
    for (Sweep s : sweeps) {
      for (int i = 0; i < s.anomaly.length; i++) {
        if (s.window[i] != PROBATIONARY) {
          anomaly[m] = s.anomaly[i];
          weighted[m] = s.weighted[i];
          window[m] = s.window[i];
          m++;
        }
      }
    }
    Integer[] order = new Integer[m];
    for (int i = 0; i < m; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -anomaly[i]));

    // Windows with at least one scorable row start as misses.
    double[] part = new double[windowCount];
    boolean[] scorable = new boolean[windowCount];
    int tn = 0;
    int fn = 0;
    for (int i = 0; i < m; i++) {
      if (window[i] >= 0) {
        scorable[window[i]] = true;
        fn++;
      } else {
        tn++;
      }
    }
    double windowSum = 0;
    for (int w = 0; w < windowCount; w++) {
      if (scorable[w]) {
        part[w] = -profile.fnWeight();
        windowSum += part[w];
      }
    }
    double fpSum = 0;
    int tp = 0;
    int fp = 0;
    List<ThresholdScore> out = new ArrayList<>();
    double threshold = 1.1;
    for (int k = 0; k < m; k++) {
      int i = order[k];
      if (anomaly[i] != threshold) {
        out.add(new ThresholdScore(threshold, fpSum + windowSum, tp, tn, fp, fn));
        threshold = anomaly[i];
      }
      if (window[i] >= 0) {
        tp++;
        fn--;
        double before = part[window[i]];
        double after = Math.max(before, weighted[i]);
        part[window[i]] = after;
        windowSum += after - before;
      } else {
        fp++;
        tn--;
        fpSum += weighted[i];
      }
    }
    out.add(new ThresholdScore(threshold, fpSum + windowSum, tp, tn, fp, fn));
    return out;
  }

  /** The threshold with the highest raw score over the corpus (ties: the highest threshold). */
  public ThresholdScore optimize(List<NabFile> files, NabProfile profile) {
    ThresholdScore best = null;
    for (ThresholdScore t : scoresByThreshold(files, profile)) {
      if (best == null || t.score() > best.score()) {
        best = t;
      }
    }
    return best;
  }

  /**
   * The raw score of one file at a fixed threshold (rows with score {@code >=} threshold are
   * detections), as NAB's {@code scoreDataSet}.
   */
  public double score(NabFile file, NabProfile profile, double threshold) {
    Sweep s = sweep(file, profile, 0);
    double[] part = new double[file.windows().size()];
    boolean[] scorable = new boolean[part.length];
    double fpSum = 0;
    for (int i = 0; i < s.anomaly.length; i++) {
      int w = s.window[i];
      if (w == PROBATIONARY) {
        continue;
      }
      boolean detected = s.anomaly[i] >= threshold;
      if (w >= 0) {
        if (!scorable[w]) {
          scorable[w] = true;
          part[w] = -profile.fnWeight();
        }
        if (detected) {
          part[w] = Math.max(part[w], s.weighted[i]);
        }
      } else if (detected) {
        fpSum += s.weighted[i];
      }
    }
    double sum = fpSum;
    for (int w = 0; w < part.length; w++) {
      sum += scorable[w] ? part[w] : 0;
    }
    return sum;
  }

  /** The null detector's files: the same rows and windows, every score 0.5. */
  public static List<NabFile> nullDetector(List<NabFile> files) {
    List<NabFile> out = new ArrayList<>(files.size());
    for (NabFile f : files) {
      double[] s = new double[f.scores().length];
      Arrays.fill(s, NULL_SCORE);
      out.add(new NabFile(f.name(), s, f.windows()));
    }
    return out;
  }

  /** Optimised, normalised score of a corpus for one profile. */
  public Result evaluate(List<NabFile> files, NabProfile profile) {
    ThresholdScore best = optimize(files, profile);
    double nullScore = optimize(nullDetector(files), profile).score();
    int windows = 0;
    for (NabFile f : files) {
      windows += f.windows().size();
    }
    double perfect = windows * profile.tpWeight();
    double normalized =
        perfect == nullScore ? 0.0 : 100.0 * (best.score() - nullScore) / (perfect - nullScore);
    return new Result(profile, best, nullScore, perfect, normalized);
  }
}
