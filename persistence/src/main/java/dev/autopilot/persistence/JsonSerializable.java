package dev.autopilot.persistence;

/**
 * The project's one serialization marker. Every message, event and state that crosses a node
 * boundary or reaches the journal implements it, and is serialized with Jackson JSON (bound in this
 * module's {@code reference.conf}). Persisted classes are never renamed or moved without a {@code
 * JacksonMigration}.
 */
public interface JsonSerializable {}
