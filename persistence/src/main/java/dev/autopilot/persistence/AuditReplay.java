package dev.autopilot.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Replays the journal through the persistence query API ({@link JdbcReadJournal}: {@code
 * currentPersistenceIds}, {@code currentEventsByPersistenceId}), for all entities or for those of
 * one pipeline. Entities come in persistence-id order, the events of each in sequence order.
 *
 * <p>A journal row that cannot be deserialized (unknown manifest, invalid payload) does not stop
 * the replay: it becomes a {@link ReplayError} naming the persistence id and sequence number, and
 * the replay goes on with the following events of that entity and with the other entities.
 */
public final class AuditReplay {
  private static final char SEPARATOR = '|';

  private final ActorSystem<?> system;
  private final JdbcReadJournal readJournal;
  private final Executor blocking;

  private AuditReplay(ActorSystem<?> system) {
    this.system = system;
    this.readJournal =
        PersistenceQuery.get(system)
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
  }

  /** A replayer over the journal configured in this actor system. */
  public static AuditReplay create(ActorSystem<?> system) {
    return new AuditReplay(system);
  }

  /**
   * A journal row that could not be read.
   *
   * @param persistenceId the entity
   * @param sequenceNr the row's sequence number
   * @param message what went wrong, naming the entity and the sequence number
   */
  public record ReplayError(String persistenceId, long sequenceNr, String message) {}

  /**
   * The outcome of a replay.
   *
   * @param records the events read, by entity then sequence number
   * @param errors the rows that could not be read
   */
  public record Result(List<AuditRecord> records, List<ReplayError> errors) {
    public Result {
      records = List.copyOf(records);
      errors = List.copyOf(errors);
    }
  }

  /** Replays every entity of the journal. */
  public CompletionStage<Result> replayAll() {
    return replay(null);
  }

  /** Replays the entities of one pipeline ({@code <agent>|<pipelineId>}). */
  public CompletionStage<Result> replayPipeline(String pipelineId) {
    return replay(Objects.requireNonNull(pipelineId, "pipelineId"));
  }

  /** The pipeline (entity id) of a persistence id {@code <agent>|<pipeline>}; empty if none. */
  public static String pipelineOf(String persistenceId) {
    int i = persistenceId.indexOf(SEPARATOR);
    return i < 0 ? "" : persistenceId.substring(i + 1);
  }

  /** The agent (entity type) of a persistence id {@code <agent>|<pipeline>}. */
  public static String agentOf(String persistenceId) {
    int i = persistenceId.indexOf(SEPARATOR);
    return i < 0 ? persistenceId : persistenceId.substring(0, i);
  }

  private CompletionStage<Result> replay(String pipelineOrNull) {
    return readJournal
        .currentPersistenceIds()
        .filter(id -> pipelineOrNull == null || pipelineOf(id).equals(pipelineOrNull))
        .runWith(Sink.seq(), system)
        .thenCompose(
            ids -> {
              List<String> sorted = new ArrayList<>(ids);
              sorted.sort(null);
              List<AuditRecord> records = new ArrayList<>();
              List<ReplayError> errors = new ArrayList<>();
              CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
              for (String id : sorted) {
                chain = chain.thenCompose(v -> replayEntity(id, 1, records, errors));
              }
              return chain.thenApply(v -> new Result(records, errors));
            });
  }

  /**
   * Reads an entity from {@code fromSeq} in the plugin's batches. The plugin fails a whole batch
   * when one of its rows cannot be deserialized, so after a failure the entity is read row by row
   * until the bad row is found; reading then resumes in batches after it.
   */
  private CompletionStage<Void> replayEntity(
      String id, long fromSeq, List<AuditRecord> records, List<ReplayError> errors) {
    List<AuditRecord> read = new ArrayList<>();
    return read(id, fromSeq, Long.MAX_VALUE, read)
        .thenCompose(
            failure -> {
              records.addAll(read);
              if (failure == null) {
                return CompletableFuture.completedFuture(null);
              }
              long last = read.isEmpty() ? fromSeq - 1 : read.get(read.size() - 1).sequenceNr();
              return rowByRow(id, last, failure, false, records, errors);
            });
  }

  private CompletionStage<Void> rowByRow(
      String id,
      long last,
      Throwable batchFailure,
      boolean readAny,
      List<AuditRecord> records,
      List<ReplayError> errors) {
    return CompletableFuture.supplyAsync(() -> nextRowAfter(id, last), blocking)
        .thenCompose(
            next -> {
              if (next.isEmpty()) {
                if (!readAny) {
                  // The batch failed but no row is left: the failure was not a row's.
                  errors.add(error(id, last + 1, batchFailure));
                }
                return CompletableFuture.<Void>completedFuture(null);
              }
              long seq = next.getAsLong();
              List<AuditRecord> one = new ArrayList<>();
              return read(id, seq, seq, one)
                  .thenCompose(
                      failure -> {
                        if (failure == null) {
                          records.addAll(one);
                          return rowByRow(id, seq, batchFailure, true, records, errors);
                        }
                        errors.add(error(id, seq, failure));
                        return replayEntity(id, seq + 1, records, errors);
                      });
            });
  }

  /** Reads a range into {@code into}; completes with the failure, or null when it read it all. */
  private CompletionStage<Throwable> read(
      String id, long fromSeq, long toSeq, List<AuditRecord> into) {
    return readJournal
        .currentEventsByPersistenceId(id, fromSeq, toSeq)
        .runForeach(env -> into.add(new AuditRecord(id, env.sequenceNr(), env.event())), system)
        .handle((done, failure) -> failure);
  }

  private static ReplayError error(String id, long seq, Throwable failure) {
    return new ReplayError(
        id,
        seq,
        "journal row " + id + " sequence_nr " + seq + " cannot be read: " + describe(failure));
  }

  /** The smallest sequence number above {@code after} still in the journal for this entity. */
  private OptionalLong nextRowAfter(String id, long after) {
    var config = system.settings().config();
    String pid = JournalDatabase.journalColumn(config, "persistenceId");
    String seq = JournalDatabase.journalColumn(config, "sequenceNumber");
    String deleted = JournalDatabase.journalColumn(config, "deleted");
    String sql =
        "SELECT MIN("
            + seq
            + ") FROM "
            + JournalDatabase.eventJournalTable(config)
            + " WHERE "
            + pid
            + " = ? AND "
            + seq
            + " > ? AND "
            + deleted
            + " = FALSE";
    try (Connection c = JournalDatabase.connect(system);
        PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, id);
      st.setLong(2, after);
      try (ResultSet rs = st.executeQuery()) {
        if (rs.next()) {
          long min = rs.getLong(1);
          return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(min);
        }
        return OptionalLong.empty();
      }
    } catch (SQLException e) {
      return OptionalLong.empty();
    }
  }

  /** A failure and its first cause, on one line. */
  static String describe(Throwable failure) {
    Throwable t = failure;
    while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    StringBuilder sb =
        new StringBuilder(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
    Throwable cause = t.getCause();
    if (cause != null && cause != t) {
      sb.append(" (caused by ")
          .append(cause.getClass().getSimpleName())
          .append(": ")
          .append(cause.getMessage())
          .append(')');
    }
    return sb.toString().replaceAll("\\s*\\R\\s*", " ");
  }
}
