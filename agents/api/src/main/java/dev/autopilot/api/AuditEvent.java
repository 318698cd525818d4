package dev.autopilot.api;

import dev.autopilot.persistence.JsonSerializable;

/**
 * An event that belongs on the audit timeline. Every journaled event of every agent implements
 * it, so {@code autopilot audit} can print the decision timeline without knowing each entity.
 */
public interface AuditEvent extends JsonSerializable {

  /** The pipeline the event concerns. */
  String pipelineId();

  /** The tick at which it happened. */
  long tick();

  /** A one-line summary for the audit table. */
  String summary();

  /** The explanation record for applied or rolled-back changes; null for other events. */
  default Explanation explanationOrNull() {
    return null;
  }
}
