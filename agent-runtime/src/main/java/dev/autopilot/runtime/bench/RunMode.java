package dev.autopilot.runtime.bench;

import java.util.Locale;
import java.util.Optional;

/** How the agents' decisions reach the platform during a run (baselines always act). */
public enum RunMode {
  /** The agents act. */
  AUTONOMOUS,
  /** The agents decide and journal, and never act. */
  SHADOW;

  /** The name used on the command line and in results.json. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode with this id (case-insensitive), if any. */
  public static Optional<RunMode> fromId(String id) {
    String wanted = id.trim().toLowerCase(Locale.ROOT);
    for (RunMode m : values()) {
      if (m.id().equals(wanted)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
