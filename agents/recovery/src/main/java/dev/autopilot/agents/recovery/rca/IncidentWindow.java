package dev.autopilot.agents.recovery.rca;

import java.util.Map;
import java.util.Optional;

/**
 * The metrics of every service around one incident, with the time and kind of the alarm (the
 * symptom seen at the front end; not the root cause).
 *
 * @param timestamps sample start times, unix seconds, increasing
 * @param series per-service metrics aligned with {@code timestamps}
 * @param alarmTime unix seconds at which the problem was seen; {@code NaN} when unknown
 * @param alarmKind the symptom that raised the alarm, if known
 */
public record IncidentWindow(
    double[] timestamps,
    Map<String, NodeSeries> series,
    double alarmTime,
    Optional<SymptomKind> alarmKind) {

  public IncidentWindow {
    series = Map.copyOf(series);
    if (timestamps.length < 2) {
      throw new IllegalArgumentException(
          "an incident window needs at least 2 samples, got " + timestamps.length);
    }
    for (int i = 1; i < timestamps.length; i++) {
      if (!(timestamps[i] > timestamps[i - 1])) {
        throw new IllegalArgumentException(
            "timestamps must increase, sample " + i + " has " + timestamps[i]);
      }
    }
    for (Map.Entry<String, NodeSeries> e : series.entrySet()) {
      int n = e.getValue().length();
      if (n != 0 && n != timestamps.length) {
        throw new IllegalArgumentException(
            "service " + e.getKey() + " has " + n + " samples, expected " + timestamps.length);
      }
    }
  }

  /**
   * Which samples come before the fault: those that start at least half a sample period before the
   * alarm (a sample's value aggregates the period that follows its timestamp). Without an alarm
   * time, the first third of the window (at least one sample). Always at least one pre-fault and
   * one post-fault sample.
   */
  public boolean[] preFault() {
    int n = timestamps.length;
    boolean[] pre = new boolean[n];
    int count = 0;
    if (!Double.isNaN(alarmTime)) {
      double[] d = new double[n - 1];
      for (int i = 1; i < n; i++) {
        d[i - 1] = timestamps[i] - timestamps[i - 1];
      }
      double period = Stats.median(d);
      for (int i = 0; i < n; i++) {
        pre[i] = timestamps[i] < alarmTime - period / 2;
        count += pre[i] ? 1 : 0;
      }
    } else {
      for (int i = 0; i < Math.max(1, n / 3); i++) {
        pre[i] = true;
        count++;
      }
    }
    if (count == 0) {
      pre[0] = true;
    } else if (count == n) {
      pre[n - 1] = false;
    }
    return pre;
  }
}
