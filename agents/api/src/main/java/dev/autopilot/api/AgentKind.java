package dev.autopilot.api;

import java.util.Locale;

/** The agents of a pipeline. The entity type name is the persistence-id prefix. */
public enum AgentKind {
  PREDICTION,
  RECOVERY,
  OPTIMIZATION,
  META,
  ACTUATOR;

  /** Sharding entity type name and persistence-id prefix: {@code <name>|<pipeline>}. */
  public String entityTypeName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
