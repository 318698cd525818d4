package dev.autopilot.runtime.journal;

import com.typesafe.config.Config;
import dev.autopilot.runtime.PostgresTestDatabase;
import dev.autopilot.runtime.cluster.ScratchDatabase;

/**
 * A corrupt journal row on PostgreSQL (a fresh database per test). Fails when PostgreSQL is
 * unreachable and {@code CI=true}; skipped otherwise.
 */
class PostgresCorruptJournalIT extends CorruptJournalContract {
  private ScratchDatabase database;

  @Override
  protected Config journalConfig() {
    database = PostgresTestDatabase.create("autopilot_corrupt_it");
    return PostgresTestDatabase.localConfig(database);
  }

  @Override
  protected void afterJournal() {
    if (database != null) {
      database.close();
    }
  }
}
