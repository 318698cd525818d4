package dev.autopilot.persistence;

import com.typesafe.config.Config;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Inspects and quarantines single journal rows, for the operator procedure of the README's "Corrupt
 * journal". Quarantining sets the row's {@code deleted} flag: the plugin's replay and its queries
 * skip deleted rows, while its highest-sequence-number lookup still counts them, so the entity
 * recovers without the row and keeps numbering its new events after it. The row itself stays in the
 * table, to be inspected or {@linkplain #restore restored}.
 */
public final class JournalRepair {
  private final ActorSystem<?> system;
  private final Config config;

  private JournalRepair(ActorSystem<?> system) {
    this.system = system;
    this.config = system.settings().config();
  }

  /** Repairs the journal configured in this actor system. */
  public static JournalRepair create(ActorSystem<?> system) {
    return new JournalRepair(system);
  }

  /**
   * One journal row as stored.
   *
   * @param persistenceId the entity
   * @param sequenceNr the row's sequence number
   * @param deleted whether the row is deleted (quarantined)
   * @param serializerId the serializer id
   * @param manifest the serializer manifest (the event class for Jackson)
   * @param payload the payload bytes
   */
  public record Row(
      String persistenceId,
      long sequenceNr,
      boolean deleted,
      int serializerId,
      String manifest,
      byte[] payload) {
    /** The payload as UTF-8 text (the JSON of a Jackson event). */
    public String payloadText() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  /** The row, if the journal holds it. */
  public Optional<Row> find(String persistenceId, long sequenceNr) throws SQLException {
    String sql =
        "SELECT "
            + column("deleted")
            + ", "
            + column("eventSerId")
            + ", "
            + column("eventSerManifest")
            + ", "
            + column("eventPayload")
            + " FROM "
            + JournalDatabase.eventJournalTable(config)
            + whereRow();
    try (Connection c = JournalDatabase.connect(system);
        PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, persistenceId);
      st.setLong(2, sequenceNr);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new Row(
                persistenceId,
                sequenceNr,
                rs.getBoolean(1),
                rs.getInt(2),
                rs.getString(3),
                rs.getBytes(4)));
      }
    }
  }

  /**
   * Marks the row deleted, so that the entity's replay skips it.
   *
   * @return false when the row was already quarantined
   * @throws IllegalArgumentException when the journal has no such row
   */
  public boolean quarantine(String persistenceId, long sequenceNr) throws SQLException {
    return setDeleted(persistenceId, sequenceNr, true);
  }

  /**
   * Clears the row's deleted flag (undoes {@link #quarantine}).
   *
   * @return false when the row was not quarantined
   * @throws IllegalArgumentException when the journal has no such row
   */
  public boolean restore(String persistenceId, long sequenceNr) throws SQLException {
    return setDeleted(persistenceId, sequenceNr, false);
  }

  private boolean setDeleted(String persistenceId, long sequenceNr, boolean deleted)
      throws SQLException {
    Row row =
        find(persistenceId, sequenceNr)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "the journal has no row " + persistenceId + " sequence_nr " + sequenceNr));
    if (row.deleted() == deleted) {
      return false;
    }
    String sql =
        "UPDATE "
            + JournalDatabase.eventJournalTable(config)
            + " SET "
            + column("deleted")
            + " = ?"
            + whereRow();
    try (Connection c = JournalDatabase.connect(system);
        PreparedStatement st = c.prepareStatement(sql)) {
      st.setBoolean(1, deleted);
      st.setString(2, persistenceId);
      st.setLong(3, sequenceNr);
      return st.executeUpdate() == 1;
    }
  }

  /** {@code WHERE persistence_id = ? AND sequence_number = ?}. */
  private String whereRow() {
    return " WHERE " + column("persistenceId") + " = ? AND " + column("sequenceNumber") + " = ?";
  }

  private String column(String key) {
    return JournalDatabase.journalColumn(config, key);
  }
}
