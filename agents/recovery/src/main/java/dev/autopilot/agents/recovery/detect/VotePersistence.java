package dev.autopilot.agents.recovery.detect;

import dev.autopilot.api.Diagnostics.DetectorVote;
import java.util.ArrayList;
import java.util.List;

/**
 * The persistence rule of the ensemble: a detector's vote stands only when its raw vote (score over
 * its own threshold) was on in at least {@code k} of its last {@code n} ticks, this one included.
 * Scores pass through unchanged. Removes single-tick noise at the cost of up to {@code k - 1} ticks
 * of detection delay. Stateful (one ring buffer per detector) and not thread-safe.
 */
public final class VotePersistence {

  private final int k;
  private final int n;
  private final boolean[][] history;
  private int filled;
  private int next;

  /**
   * @param k raw votes needed in the window (1..n)
   * @param n window length in ticks
   * @param detectors number of detectors voting each tick
   */
  public VotePersistence(int k, int n, int detectors) {
    if (n < 1 || k < 1 || k > n || detectors < 1) {
      throw new IllegalArgumentException(
          "persistence needs 1 <= k <= n and detectors >= 1, got k=" + k + ", n=" + n);
    }
    this.k = k;
    this.n = n;
    this.history = new boolean[detectors][n];
  }

  /** Records this tick's raw votes and returns the persistent ones, in the same order. */
  public List<DetectorVote> apply(List<DetectorVote> raw) {
    if (raw.size() != history.length) {
      throw new IllegalArgumentException(
          "expected " + history.length + " votes, got " + raw.size());
    }
    for (int d = 0; d < history.length; d++) {
      history[d][next] = raw.get(d).vote();
    }
    next = (next + 1) % n;
    filled = Math.min(n, filled + 1);
    if (k == 1) {
      return raw;
    }
    List<DetectorVote> out = new ArrayList<>(raw.size());
    for (int d = 0; d < history.length; d++) {
      int on = 0;
      for (int j = 0; j < filled; j++) {
        if (history[d][j]) {
          on++;
        }
      }
      DetectorVote v = raw.get(d);
      out.add(on >= k == v.vote() ? v : new DetectorVote(v.detector(), v.score(), on >= k));
    }
    return out;
  }
}
