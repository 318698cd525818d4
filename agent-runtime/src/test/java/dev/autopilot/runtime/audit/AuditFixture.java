package dev.autopilot.runtime.audit;

import com.typesafe.config.Config;
import dev.autopilot.api.AuditEvent;
import dev.autopilot.api.Explanation;
import dev.autopilot.persistence.JsonSerializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * A small journaled entity whose events implement {@link AuditEvent} (plus one that does not), the
 * journal it writes for the audit tests, and raw JDBC access to corrupt that journal.
 */
final class AuditFixture {
  private AuditFixture() {}

  static final Explanation APPLIED =
      new Explanation(
          "optimization-p1-3-0 (optimization)",
          List.of("cpu 0.91 > 0.80", "lag rising 12%/min"),
          "under-provisioned window-agg",
          "window-agg parallelism 16 -> 24",
          "throughput +18%, p99 -30%",
          "verify over 18 ticks: throughput >= 85% of predicted");

  static final Explanation ROLLED_BACK =
      new Explanation(
          "verification failed at tick 9",
          List.of("throughput 61% of predicted"),
          "the change did not relieve the bottleneck",
          "rollback window-agg parallelism 24 -> 16",
          "back to the known-good configuration",
          "rolled back after 6 of 18 ticks");

  /** A test entity writing audit events. */
  static final class Entity
      extends EventSourcedBehavior<Entity.Command, JsonSerializable, List<String>> {
    interface Command extends JsonSerializable {}

    record Observe(long tick, ActorRef<Done> replyTo) implements Command {}

    record Change(long tick, String summary, Explanation explanation, ActorRef<Done> replyTo)
        implements Command {}

    record Mark(String note, ActorRef<Done> replyTo) implements Command {}

    /** An audit event without explanation. */
    record TickObserved(String pipelineId, long tick) implements AuditEvent {
      @Override
      public String summary() {
        return "observed tick " + tick;
      }
    }

    /** An audit event with explanation. */
    record ChangeApplied(String pipelineId, long tick, String summary, Explanation explanation)
        implements AuditEvent {
      @Override
      public Explanation explanationOrNull() {
        return explanation;
      }
    }

    /** A journaled event that is not an audit event. */
    record Marked(String note) implements JsonSerializable {}

    private final String pipelineId;

    private Entity(PersistenceId id, String pipelineId) {
      super(id);
      this.pipelineId = pipelineId;
    }

    static Behavior<Command> create(String agent, String pipelineId) {
      return new Entity(PersistenceId.of(agent, pipelineId), pipelineId);
    }

    @Override
    public List<String> emptyState() {
      return List.of();
    }

    @Override
    public CommandHandler<Command, JsonSerializable, List<String>> commandHandler() {
      return newCommandHandlerBuilder()
          .forAnyState()
          .onCommand(
              Observe.class,
              c ->
                  Effect()
                      .persist(new TickObserved(pipelineId, c.tick()))
                      .thenReply(c.replyTo(), s -> Done.getInstance()))
          .onCommand(
              Change.class,
              c ->
                  Effect()
                      .persist(
                          new ChangeApplied(pipelineId, c.tick(), c.summary(), c.explanation()))
                      .thenReply(c.replyTo(), s -> Done.getInstance()))
          .onCommand(
              Mark.class,
              c ->
                  Effect()
                      .persist(new Marked(c.note()))
                      .thenReply(c.replyTo(), s -> Done.getInstance()))
          .build();
    }

    @Override
    public EventHandler<List<String>, JsonSerializable> eventHandler() {
      return newEventHandlerBuilder()
          .forAnyState()
          .onAnyEvent(
              (state, e) -> {
                List<String> next = new ArrayList<>(state);
                next.add(e.getClass().getSimpleName());
                return List.copyOf(next);
              });
    }
  }

  /**
   * Writes the fixture journal: meta|p1 observes ticks 1 and 3 and marks once, actuator|p1 applies
   * a change at tick 3 and rolls it back at tick 9, meta|p2 observes tick 2.
   */
  static void populate(ActorTestKit kit) {
    TestProbe<Done> probe = kit.createTestProbe();
    ActorRef<Entity.Command> meta1 = kit.spawn(Entity.create("meta", "p1"));
    ActorRef<Entity.Command> actuator1 = kit.spawn(Entity.create("actuator", "p1"));
    ActorRef<Entity.Command> meta2 = kit.spawn(Entity.create("meta", "p2"));
    List<Runnable> steps =
        List.of(
            () -> meta1.tell(new Entity.Observe(1, probe.getRef())),
            () -> meta2.tell(new Entity.Observe(2, probe.getRef())),
            () -> meta1.tell(new Entity.Observe(3, probe.getRef())),
            () ->
                actuator1.tell(
                    new Entity.Change(3, "applied window-agg 16 -> 24", APPLIED, probe.getRef())),
            () -> meta1.tell(new Entity.Mark("operator note", probe.getRef())),
            () ->
                actuator1.tell(
                    new Entity.Change(
                        9, "rolled back window-agg 24 -> 16", ROLLED_BACK, probe.getRef())));
    for (Runnable step : steps) {
      step.run();
      probe.expectMessage(Done.getInstance());
    }
    kit.stop(meta1);
    kit.stop(actuator1);
    kit.stop(meta2);
  }

  /**
   * Copies row {@code fromSeq} of an entity to a new row, with a payload and manifest of choice.
   */
  static void insertRow(
      Config config,
      String persistenceId,
      long seq,
      String manifest,
      byte[] payload,
      String copyFrom)
      throws SQLException {
    try (Connection c = connect(config)) {
      int serId;
      try (PreparedStatement q =
          c.prepareStatement(
              "SELECT \"event_ser_id\" FROM \"event_journal\" WHERE \"persistence_id\" = ?"
                  + " AND \"sequence_number\" = 1")) {
        q.setString(1, copyFrom);
        try (ResultSet rs = q.executeQuery()) {
          rs.next();
          serId = rs.getInt(1);
        }
      }
      try (PreparedStatement st =
          c.prepareStatement(
              "INSERT INTO \"event_journal\" (\"deleted\", \"persistence_id\","
                  + " \"sequence_number\", \"writer\", \"write_timestamp\", \"adapter_manifest\","
                  + " \"event_payload\", \"event_ser_id\", \"event_ser_manifest\")"
                  + " VALUES (FALSE, ?, ?, 'test', 0, '', ?, ?, ?)")) {
        st.setString(1, persistenceId);
        st.setLong(2, seq);
        st.setBytes(3, payload);
        st.setInt(4, serId);
        st.setString(5, manifest);
        st.executeUpdate();
      }
    }
  }

  /** The manifest of an entity's first row. */
  static String manifestOf(Config config, String persistenceId) throws SQLException {
    try (Connection c = connect(config);
        PreparedStatement q =
            c.prepareStatement(
                "SELECT \"event_ser_manifest\" FROM \"event_journal\" WHERE \"persistence_id\" = ?"
                    + " AND \"sequence_number\" = 1")) {
      q.setString(1, persistenceId);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private static Connection connect(Config config) throws SQLException {
    String base = "pekko-persistence-jdbc.shared-databases.slick.db.";
    return DriverManager.getConnection(
        config.getString(base + "url"),
        config.getString(base + "user"),
        config.getString(base + "password"));
  }
}
