package dev.autopilot.agents.recovery.detect.stream;

import java.util.ArrayList;
import java.util.List;

/**
 * When a detector (re)learns from the past of its series: first at row {@code first}, then each
 * time the row count doubles, then every {@code window} rows; each fit uses at most the last {@code
 * window} rows before the fit row, and the fitted model scores the rows up to the next fit. Rows
 * before {@code first} are not scored.
 *
 * @param first rows seen before the first fit
 * @param window most rows a fit learns from, and the refit period once reached
 */
public record RefitSchedule(int first, int window) {

  public RefitSchedule {
    if (first < 1 || window < first) {
      throw new IllegalArgumentException(
          "need 1 <= first <= window, got first " + first + ", window " + window);
    }
  }

  /**
   * One fit: learn from rows {@code [trainFrom, scoreFrom)}, score rows {@code [scoreFrom,
   * scoreTo)}.
   */
  public record Segment(int trainFrom, int scoreFrom, int scoreTo) {}

  /** The segments of a series of {@code n} rows, in order. */
  public List<Segment> segments(int n) {
    List<Segment> out = new ArrayList<>();
    int fit = first;
    while (fit < n) {
      int next = fit < window ? Math.min(2 * fit, window) : fit + window;
      out.add(new Segment(Math.max(0, fit - window), fit, Math.min(n, next)));
      fit = next;
    }
    return out;
  }
}
