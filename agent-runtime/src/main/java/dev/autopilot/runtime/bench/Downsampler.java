package dev.autopilot.runtime.bench;

import java.util.Arrays;

/**
 * Reduces a long series to a bounded number of points for a chart, keeping its extremes: the series
 * is cut into {@code maxPoints / 2} buckets of consecutive points, and each bucket keeps its
 * minimum and its maximum, in their original order. A one-tick spike therefore survives whatever
 * the compression, and the polyline still spans the bucket's range.
 */
public final class Downsampler {

  private Downsampler() {}

  /**
   * A series of points.
   *
   * @param x abscissas (ticks), non-decreasing
   * @param y ordinates
   */
  public record Series(long[] x, double[] y) {
    public Series {
      if (x.length != y.length) {
        throw new IllegalArgumentException(
            "x and y differ in length: " + x.length + " / " + y.length);
      }
    }

    public int size() {
      return x.length;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Series s && Arrays.equals(x, s.x) && Arrays.equals(y, s.y);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(x) + Arrays.hashCode(y);
    }

    @Override
    public String toString() {
      return "Series[" + x.length + " points]";
    }
  }

  /** At most {@code maxPoints} points (at least 2) of {@code s}, min and max per bucket. */
  public static Series minMax(Series s, int maxPoints) {
    if (maxPoints < 2) {
      throw new IllegalArgumentException("maxPoints must be >= 2, was " + maxPoints);
    }
    int n = s.size();
    if (n <= maxPoints) {
      return s;
    }
    int buckets = maxPoints / 2;
    long[] xs = new long[buckets * 2];
    double[] ys = new double[buckets * 2];
    int out = 0;
    for (int b = 0; b < buckets; b++) {
      int from = (int) ((long) b * n / buckets);
      int to = (int) ((long) (b + 1) * n / buckets);
      int min = from;
      int max = from;
      for (int i = from + 1; i < to; i++) {
        if (s.y()[i] < s.y()[min]) {
          min = i;
        }
        if (s.y()[i] > s.y()[max]) {
          max = i;
        }
      }
      int first = Math.min(min, max);
      int second = Math.max(min, max);
      xs[out] = s.x()[first];
      ys[out++] = s.y()[first];
      if (second != first) {
        xs[out] = s.x()[second];
        ys[out++] = s.y()[second];
      }
    }
    return new Series(Arrays.copyOf(xs, out), Arrays.copyOf(ys, out));
  }
}
