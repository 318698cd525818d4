package dev.autopilot.persistence;

import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.db.SlickDatabase;
import org.apache.pekko.persistence.jdbc.db.SlickExtension;
import org.apache.pekko.persistence.jdbc.db.SlickExtensionImpl;

/** Plain JDBC access to the plugin's own (shared) database, and the configured table names. */
final class JournalDatabase {
  private JournalDatabase() {}

  /** A connection from the plugin's pool; the caller closes it. */
  static Connection connect(ActorSystem<?> system) throws SQLException {
    Config journal = system.settings().config().getConfig("jdbc-journal");
    SlickDatabase db = ((SlickExtensionImpl) SlickExtension.get(system)).database(journal);
    return db.database().source().createConnection();
  }

  /** The quoted, optionally schema-qualified event journal table. */
  static String eventJournalTable(Config config) {
    return table(config.getConfig("jdbc-journal.tables.event_journal"));
  }

  /** The quoted, optionally schema-qualified snapshot table. */
  static String snapshotTable(Config config) {
    return table(config.getConfig("jdbc-snapshot-store.tables.snapshot"));
  }

  /** A quoted column name of the event journal table. */
  static String journalColumn(Config config, String key) {
    return quote(config.getString("jdbc-journal.tables.event_journal.columnNames." + key));
  }

  private static String table(Config table) {
    String schema = table.getString("schemaName");
    String name = quote(table.getString("tableName"));
    return schema.isEmpty() ? name : quote(schema) + "." + name;
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
