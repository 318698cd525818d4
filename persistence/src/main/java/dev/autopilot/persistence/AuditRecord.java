package dev.autopilot.persistence;

/**
 * One journaled event, as the audit replays it.
 *
 * @param persistenceId the entity, {@code <agent>|<pipeline>}
 * @param sequenceNr the event's sequence number within the entity
 * @param event the deserialized event
 */
public record AuditRecord(String persistenceId, long sequenceNr, Object event) {

  /** The persistence-id prefix: the entity type, for the agents the agent name. */
  public String agent() {
    return AuditReplay.agentOf(persistenceId);
  }

  /** The persistence-id suffix: the pipeline (entity id). */
  public String pipeline() {
    return AuditReplay.pipelineOf(persistenceId);
  }
}
