package dev.autopilot.runtime.bench.scale;

import java.util.Arrays;

/**
 * Collects durations (nanoseconds) from any thread and reports their percentiles by the
 * nearest-rank method: the p-th percentile of n sorted values is the value at rank ⌈p/100 · n⌉ (the
 * smallest value with at least p % of the values at or below it). Every value is kept, so the
 * percentiles are exact.
 */
public final class LatencyRecorder {
  private long[] values = new long[1024];
  private int size;

  /** Records one duration, nanoseconds (negative durations are refused). */
  public synchronized void record(long nanos) {
    if (nanos < 0) {
      throw new IllegalArgumentException("a duration cannot be negative, was " + nanos + " ns");
    }
    if (size == values.length) {
      values = Arrays.copyOf(values, values.length * 2);
    }
    values[size++] = nanos;
  }

  /** Number of recorded durations. */
  public synchronized int count() {
    return size;
  }

  /**
   * The nearest-rank percentile, milliseconds.
   *
   * @param p the percentile, in (0, 100]
   * @throws IllegalStateException when nothing was recorded
   */
  public synchronized double percentileMillis(double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("a percentile must be in (0, 100], was " + p);
    }
    if (size == 0) {
      throw new IllegalStateException("no duration recorded");
    }
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * size);
    return sorted[Math.max(rank, 1) - 1] / 1e6;
  }

  /** The largest recorded duration, milliseconds (0 when nothing was recorded). */
  public synchronized double maxMillis() {
    long max = 0;
    for (int i = 0; i < size; i++) {
      max = Math.max(max, values[i]);
    }
    return max / 1e6;
  }

  /** The mean recorded duration, milliseconds (0 when nothing was recorded). */
  public synchronized double meanMillis() {
    if (size == 0) {
      return 0;
    }
    double sum = 0;
    for (int i = 0; i < size; i++) {
      sum += values[i];
    }
    return sum / size / 1e6;
  }
}
