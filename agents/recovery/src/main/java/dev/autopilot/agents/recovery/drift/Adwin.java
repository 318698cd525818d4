package dev.autopilot.agents.recovery.drift;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * ADWIN, adaptive windowing (Bifet and Gavaldà, "Learning from time-changing data with adaptive
 * windowing", SDM 2007), with the exponential histogram of ADWIN2: the window is kept as buckets
 * whose sizes are powers of two, at most {@code maxBuckets} per size, so memory and time per sample
 * are O(log W).
 *
 * <p>After each sample every split of the window into an older part W0 and a newer part W1 at a
 * bucket boundary is tested; when {@code |mean(W0) - mean(W1)| > eps_cut} the oldest bucket is
 * dropped and the test repeats, so the window shrinks to the data since the change. As in the
 * reference implementation (MOA), {@code eps_cut = sqrt(2 m v ln(2 ln(W) / delta)) + (2/3) m ln(2
 * ln(W) / delta)} with {@code m = 1/(n0 - 4) + 1/(n1 - 4)} and {@code v} the window variance.
 *
 * <p>Mutable; not thread-safe.
 */
public final class Adwin {

  private static final int MIN_SUB_WINDOW = 5;

  /** One bucket: count, sum and sum of squared deviations from its mean. */
  private record Bucket(long n, double sum, double m2) {
    double mean() {
      return sum / n;
    }

    static Bucket merge(Bucket a, Bucket b) {
      long n = a.n + b.n;
      double d = a.mean() - b.mean();
      return new Bucket(n, a.sum + b.sum, a.m2 + b.m2 + d * d * a.n * b.n / n);
    }
  }

  private final double delta;
  private final int maxBuckets;

  /** rows.get(i): buckets of 2^i samples, newest first. */
  private final List<ArrayDeque<Bucket>> rows = new ArrayList<>();

  private long width;
  private double total;
  private double m2;
  private long detections;
  private double lastRatio;

  /**
   * @param delta confidence (false-alarm bound), for example 0.002
   */
  public Adwin(double delta) {
    this(delta, 5);
  }

  /**
   * @param delta confidence (false-alarm bound)
   * @param maxBuckets buckets of each size kept before two are merged (M in the paper)
   */
  public Adwin(double delta, int maxBuckets) {
    if (!(delta > 0 && delta < 1)) {
      throw new IllegalArgumentException("ADWIN delta must be in (0, 1), got " + delta);
    }
    if (maxBuckets < 2) {
      throw new IllegalArgumentException("ADWIN needs maxBuckets >= 2, got " + maxBuckets);
    }
    this.delta = delta;
    this.maxBuckets = maxBuckets;
  }

  /**
   * Adds one sample.
   *
   * @return whether a change was detected (the window was shrunk)
   */
  public boolean update(double x) {
    if (!Double.isFinite(x)) {
      throw new IllegalArgumentException("ADWIN sample must be finite, got " + x);
    }
    insert(new Bucket(1, x, 0), 0);
    boolean changed = false;
    lastRatio = 0;
    while (true) {
      double ratio = largestCutRatio();
      lastRatio = Math.max(lastRatio, Math.min(ratio, 1e9));
      if (ratio <= 1) {
        break;
      }
      dropOldest();
      changed = true;
    }
    if (changed) {
      detections++;
    }
    return changed;
  }

  private void insert(Bucket b, int row) {
    if (rows.size() <= row) {
      rows.add(new ArrayDeque<>());
    }
    // Keep the running totals exact: adding a new sample changes them; merging does not.
    if (row == 0) {
      if (width > 0) {
        double d = b.mean() - total / width;
        m2 += d * d * width / (width + 1.0);
      }
      width += 1;
      total += b.sum;
    }
    ArrayDeque<Bucket> r = rows.get(row);
    r.addFirst(b);
    if (r.size() > maxBuckets) {
      Bucket oldest = r.pollLast();
      Bucket second = r.pollLast();
      insert(Bucket.merge(second, oldest), row + 1);
    }
  }

  /** Largest |mean(W0) - mean(W1)| / eps_cut over the bucket boundaries (0 if none testable). */
  private double largestCutRatio() {
    if (width < 2L * MIN_SUB_WINDOW) {
      return 0;
    }
    double v = m2 / width;
    double dd = Math.log(2 * Math.log(width) / delta);
    long n0 = 0;
    double s0 = 0;
    double best = 0;
    for (int i = rows.size() - 1; i >= 0; i--) {
      Iterator<Bucket> it = rows.get(i).descendingIterator();
      while (it.hasNext()) {
        Bucket b = it.next();
        n0 += b.n;
        s0 += b.sum;
        long n1 = width - n0;
        if (n0 < MIN_SUB_WINDOW || n1 < MIN_SUB_WINDOW) {
          continue;
        }
        double diff = Math.abs(s0 / n0 - (total - s0) / n1);
        double m = 1.0 / (n0 - MIN_SUB_WINDOW + 1) + 1.0 / (n1 - MIN_SUB_WINDOW + 1);
        double eps = Math.sqrt(2 * m * v * dd) + 2.0 / 3.0 * dd * m;
        best = Math.max(best, eps > 0 ? diff / eps : (diff > 0 ? Double.MAX_VALUE : 0));
      }
    }
    return best;
  }

  private void dropOldest() {
    for (int i = rows.size() - 1; i >= 0; i--) {
      ArrayDeque<Bucket> r = rows.get(i);
      if (r.isEmpty()) {
        continue;
      }
      Bucket b = r.pollLast();
      long n = width - b.n;
      if (n == 0) {
        width = 0;
        total = 0;
        m2 = 0;
      } else {
        double restMean = (total - b.sum) / n;
        double d = b.mean() - restMean;
        m2 = Math.max(0, m2 - b.m2 - d * d * b.n * n / width);
        width = n;
        total -= b.sum;
      }
      if (r.isEmpty() && i == rows.size() - 1) {
        rows.remove(i);
      }
      return;
    }
  }

  /** Samples in the current window. */
  public long width() {
    return width;
  }

  /** Mean of the current window (NaN when empty). */
  public double mean() {
    return width == 0 ? Double.NaN : total / width;
  }

  /** Variance of the current window (0 when empty). */
  public double variance() {
    return width == 0 ? 0 : m2 / width;
  }

  /** Changes detected so far. */
  public long detections() {
    return detections;
  }

  /**
   * Change score of the last sample in [0, 1]: the largest mean difference over its cut threshold,
   * capped at 1 (1 means a change was detected).
   */
  public double score() {
    return Math.min(1, lastRatio);
  }
}
