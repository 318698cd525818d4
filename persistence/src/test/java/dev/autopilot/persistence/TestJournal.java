package dev.autopilot.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/** Test fixtures: an H2 journal configuration and a tiny event-sourced entity. */
final class TestJournal {
  private TestJournal() {}

  /** A local actor system configuration journaling into an H2 file under {@code dir}. */
  static Config h2(Path dir) {
    return config(dir, ConfigFactory.empty());
  }

  /** Like {@link #h2}, with overrides applied before substitutions are resolved. */
  static Config config(Path dir, Config overrides) {
    String url = "jdbc:h2:file:" + dir.resolve("journal") + ";DATABASE_TO_UPPER=false";
    return DatabaseSettings.applyTo(
        overrides
            .withFallback(ConfigFactory.parseString("autopilot.db.kind = \"\""))
            .withValue("autopilot.db.url", ConfigValueFactory.fromAnyRef(url))
            .withValue("pekko.actor.provider", ConfigValueFactory.fromAnyRef("local"))
            // A loaded two-core machine: the first journal write can take seconds.
            .withValue(
                "pekko.actor.testkit.typed.single-expect-default",
                ConfigValueFactory.fromAnyRef("30s"))
            .withFallback(ConfigFactory.parseResources("persistence-jdbc.conf"))
            .withFallback(ConfigFactory.defaultReference())
            .resolve());
  }

  /** Inserts a raw journal row (for corruption tests). */
  static void insertRow(
      ActorSystem<?> system,
      String persistenceId,
      long seq,
      int serId,
      String manifest,
      byte[] payload)
      throws SQLException {
    String sql =
        "INSERT INTO \"event_journal\" (\"deleted\", \"persistence_id\", \"sequence_number\","
            + " \"writer\", \"write_timestamp\", \"adapter_manifest\", \"event_payload\","
            + " \"event_ser_id\", \"event_ser_manifest\") VALUES (FALSE, ?, ?, 'test', 0, '', ?, ?,"
            + " ?)";
    try (Connection c = JournalDatabase.connect(system);
        PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, persistenceId);
      st.setLong(2, seq);
      st.setBytes(3, payload);
      st.setInt(4, serId);
      st.setString(5, manifest);
      st.executeUpdate();
    }
  }

  /** The serializer id and manifest of an existing row. */
  static Object[] serializerOf(ActorSystem<?> system, String persistenceId, long seq)
      throws SQLException {
    String sql =
        "SELECT \"event_ser_id\", \"event_ser_manifest\", \"event_payload\" FROM \"event_journal\""
            + " WHERE \"persistence_id\" = ? AND \"sequence_number\" = ?";
    try (Connection c = JournalDatabase.connect(system);
        PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, persistenceId);
      st.setLong(2, seq);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return new Object[] {rs.getInt(1), rs.getString(2), rs.getBytes(3)};
      }
    }
  }

  /** A tiny journaled entity: records notes. */
  static final class NoteEntity
      extends EventSourcedBehavior<NoteEntity.Command, NoteEntity.Noted, List<String>> {

    record Command(String text, ActorRef<Done> replyTo) implements JsonSerializable {}

    record Noted(String pipelineId, long tick, String text) implements JsonSerializable {}

    private final String pipelineId;

    private NoteEntity(PersistenceId id) {
      super(id);
      this.pipelineId = AuditReplay.pipelineOf(id.id());
    }

    static Behavior<Command> create(PersistenceId id) {
      return new NoteEntity(id);
    }

    @Override
    public List<String> emptyState() {
      return List.of();
    }

    @Override
    public CommandHandler<Command, Noted, List<String>> commandHandler() {
      return newCommandHandlerBuilder()
          .forAnyState()
          .onCommand(
              Command.class,
              (state, c) ->
                  Effect()
                      .persist(new Noted(pipelineId, state.size() + 1L, c.text()))
                      .thenReply(c.replyTo(), s -> Done.getInstance()))
          .build();
    }

    @Override
    public EventHandler<List<String>, Noted> eventHandler() {
      return newEventHandlerBuilder()
          .forAnyState()
          .onEvent(
              Noted.class,
              (state, e) -> {
                var next = new java.util.ArrayList<>(state);
                next.add(e.text());
                return List.copyOf(next);
              })
          .build();
    }
  }
}
