package dev.autopilot.agents.prediction.features;

import java.util.Arrays;

/**
 * The values of a few series over a trailing event-time window, with the trend statistics the
 * violation forecaster reads: least-squares slopes over the whole window and over its most recent
 * part, an EWMA level and rolling percentiles. Pure and deterministic; not thread-safe.
 *
 * <p>Entries older than the window (by event time) are evicted when a newer one arrives, so gaps in
 * telemetry shrink the window instead of stretching it. The buffer holds at most {@code capacity}
 * entries; beyond that the oldest are evicted too.
 */
final class TrailingWindow {

  private final int series;
  private final int capacity;
  private final long windowMillis;
  private final long recentMillis;
  private final double alpha;
  private final long[] times;
  private final double[][] values; // [series][capacity] ring
  private final double[] ewma;
  private final double[] scratch;
  private int start;
  private int size;
  private boolean primed;

  /**
   * @param series number of series
   * @param capacity most entries kept
   * @param windowMillis length of the window, event-time ms
   * @param recentMillis length of the recent part for the short slope, ms
   * @param ewmaSpan span of the EWMA in entries ({@code alpha = 2 / (span + 1)})
   */
  TrailingWindow(int series, int capacity, long windowMillis, long recentMillis, int ewmaSpan) {
    this.series = series;
    this.capacity = capacity;
    this.windowMillis = windowMillis;
    this.recentMillis = recentMillis;
    this.alpha = 2.0 / (ewmaSpan + 1);
    this.times = new long[capacity];
    this.values = new double[series][capacity];
    this.ewma = new double[series];
    this.scratch = new double[capacity];
  }

  /** Forgets every entry and the EWMA levels. */
  void clear() {
    start = 0;
    size = 0;
    primed = false;
  }

  /** Entries in the window. */
  int size() {
    return size;
  }

  /** Adds the values of one tick ({@code series} of them) at an event time after the last one. */
  void add(long timeMillis, double[] v) {
    while (size > 0 && (size == capacity || times[start] <= timeMillis - windowMillis)) {
      start = (start + 1) % capacity;
      size--;
    }
    int at = (start + size) % capacity;
    times[at] = timeMillis;
    for (int k = 0; k < series; k++) {
      values[k][at] = v[k];
      ewma[k] = primed ? ewma[k] + alpha * (v[k] - ewma[k]) : v[k];
    }
    primed = true;
    size++;
  }

  /** EWMA level of series {@code k}. */
  double ewma(int k) {
    return primed ? ewma[k] : 0;
  }

  /**
   * Least-squares slope of series {@code k} per minute of event time over the entries of the last
   * {@code recent ? recentMillis : windowMillis}; 0 with fewer than two entries.
   */
  double slopePerMinute(int k, boolean recent) {
    if (size < 2) {
      return 0;
    }
    long last = times[(start + size - 1) % capacity];
    long from = recent ? last - recentMillis : last - windowMillis;
    double n = 0;
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (int i = 0; i < size; i++) {
      int at = (start + i) % capacity;
      if (times[at] <= from) {
        continue;
      }
      double x = (times[at] - last) / 60_000.0;
      double y = values[k][at];
      n++;
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    double den = n * sxx - sx * sx;
    return n < 2 || den <= 1e-12 ? 0 : (n * sxy - sx * sy) / den;
  }

  /**
   * Percentiles (0-1, nearest rank) of series {@code k} over the window, one sort for all of them;
   * 0 when the window is empty.
   */
  void percentiles(int k, double[] qs, double[] out) {
    if (size == 0) {
      Arrays.fill(out, 0, qs.length, 0);
      return;
    }
    for (int i = 0; i < size; i++) {
      scratch[i] = values[k][(start + i) % capacity];
    }
    Arrays.sort(scratch, 0, size);
    for (int j = 0; j < qs.length; j++) {
      int rank = (int) Math.ceil(qs[j] * size) - 1;
      out[j] = scratch[Math.max(0, Math.min(size - 1, rank))];
    }
  }
}
