package dev.autopilot.agents.recovery.nab;

import java.util.List;

/**
 * One scored data file: a detector's anomaly score per row and the labelled anomaly windows as
 * inclusive row-index ranges, in time order and not overlapping.
 *
 * @param name the file's relative path (for messages and window names)
 * @param scores anomaly score per row
 * @param windows labelled anomaly windows
 */
public record NabFile(String name, double[] scores, List<Window> windows) {

  /**
   * An anomaly window over rows {@code start..end} (inclusive).
   *
   * @param start index of the window's first row
   * @param end index of the window's last row
   */
  public record Window(int start, int end) {
    public Window {
      if (start < 0 || end < start) {
        throw new IllegalArgumentException("bad window [" + start + ", " + end + "]");
      }
    }

    int width() {
      return end - start + 1;
    }
  }

  public NabFile {
    windows = List.copyOf(windows);
    for (int i = 0; i < windows.size(); i++) {
      Window w = windows.get(i);
      if (w.end() >= scores.length) {
        throw new IllegalArgumentException(
            name + ": window " + w + " ends after the last row " + (scores.length - 1));
      }
      if (i > 0 && w.start() <= windows.get(i - 1).end()) {
        throw new IllegalArgumentException(name + ": windows overlap or are out of order: " + w);
      }
    }
  }
}
