package dev.autopilot.persistence;

import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.persistence.jdbc.testkit.javadsl.SchemaUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the journal, snapshot and durable-state tables at startup with the plugin's {@code
 * SchemaUtils.createIfNotExists}, which can run any number of times. The plugin's script logs and
 * skips statements that fail, so this class then checks that the journal and snapshot tables can be
 * read, and reports an unreachable or unusable database as a {@link SchemaException} naming it.
 */
public final class JournalSchema {
  private static final Logger LOG = LoggerFactory.getLogger(JournalSchema.class);

  private JournalSchema() {}

  /** The schema could not be created or checked. */
  public static final class SchemaException extends RuntimeException {
    SchemaException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Creates the tables if they do not exist and checks them; blocks up to {@code
   * autopilot.db.schema-timeout}.
   *
   * @throws SchemaException when the database is unreachable or the tables cannot be used
   */
  public static void ensure(ActorSystem<?> system) {
    Config config = system.settings().config();
    DatabaseSettings db = DatabaseSettings.create(config);
    long timeoutMillis = db.schemaTimeout().toMillis();
    try {
      SchemaUtils.createIfNotExists(system)
          .toCompletableFuture()
          .get(timeoutMillis, TimeUnit.MILLISECONDS);
      check(system, config);
    } catch (TimeoutException e) {
      throw new SchemaException(
          "journal database " + db.describe() + " did not answer within " + db.schemaTimeout(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaException("interrupted while creating the journal schema", e);
    } catch (ExecutionException e) {
      throw failure(db, e.getCause());
    } catch (SQLException | RuntimeException e) {
      throw failure(db, e);
    }
    SchemaStatus.get(system).created.set(true);
    LOG.info("Journal schema ready in {}", db.describe());
  }

  /** Whether {@link #ensure} succeeded on this actor system. */
  public static boolean isCreated(ActorSystem<?> system) {
    return SchemaStatus.get(system).created.get();
  }

  private static void check(ActorSystem<?> system, Config config) throws SQLException {
    try (Connection c = JournalDatabase.connect(system);
        Statement st = c.createStatement()) {
      st.executeQuery("SELECT 1 FROM " + JournalDatabase.eventJournalTable(config) + " WHERE 1 = 0")
          .close();
      st.executeQuery("SELECT 1 FROM " + JournalDatabase.snapshotTable(config) + " WHERE 1 = 0")
          .close();
    }
  }

  private static SchemaException failure(DatabaseSettings db, Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return new SchemaException(
        "cannot create or use the journal schema in "
            + db.describe()
            + ": "
            + root.getClass().getSimpleName()
            + ": "
            + root.getMessage(),
        cause);
  }

  /** Per actor system: whether the schema was created. */
  static final class SchemaStatus implements Extension {
    private static final ExtensionId<SchemaStatus> ID =
        new ExtensionId<>() {
          @Override
          public SchemaStatus createExtension(ActorSystem<?> system) {
            return new SchemaStatus();
          }
        };

    final AtomicBoolean created = new AtomicBoolean(false);

    static SchemaStatus get(ActorSystem<?> system) {
      return system.registerExtension(ID);
    }
  }
}
