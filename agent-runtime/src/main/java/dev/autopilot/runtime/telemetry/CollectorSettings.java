package dev.autopilot.runtime.telemetry;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of the {@link TelemetryCollector}, from {@code autopilot.collector} (see {@code
 * runtime.conf}).
 *
 * @param interval wall-clock time between two collections
 * @param initialDelay wall-clock time from the collector's start to its first collection
 * @param observeTimeout longest wait for one platform call (list the pipelines, observe one)
 */
public record CollectorSettings(Duration interval, Duration initialDelay, Duration observeTimeout) {

  /** Config path of the collector's settings. */
  public static final String ROOT = "autopilot.collector";

  public CollectorSettings {
    requirePositive("interval", interval);
    requirePositive("observe-timeout", observeTimeout);
    if (initialDelay == null || initialDelay.isNegative()) {
      throw new IllegalArgumentException(ROOT + ".initial-delay must be >= 0, was " + initialDelay);
    }
  }

  /** Reads {@code autopilot.collector} from the application config. */
  public static CollectorSettings create(Config root) {
    Config c = root.getConfig(ROOT);
    return new CollectorSettings(
        c.getDuration("interval"), c.getDuration("initial-delay"), c.getDuration("observe-timeout"));
  }

  /** The same settings with another interval. */
  public CollectorSettings withInterval(Duration newInterval) {
    return new CollectorSettings(newInterval, initialDelay, observeTimeout);
  }

  private static void requirePositive(String key, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(ROOT + "." + key + " must be > 0, was " + d);
    }
  }
}
