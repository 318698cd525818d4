package dev.autopilot.runtime.audit;

import com.typesafe.config.Config;
import dev.autopilot.runtime.PostgresTestDatabase;
import dev.autopilot.runtime.cluster.ScratchDatabase;

/**
 * The audit round trip on PostgreSQL (a fresh database per test). Fails when PostgreSQL is
 * unreachable and {@code CI=true}; skipped otherwise.
 */
class PostgresJournalIT extends AuditRoundTripContract {
  private ScratchDatabase database;

  @Override
  protected Config journalConfig() {
    database = PostgresTestDatabase.create("autopilot_journal_it");
    return PostgresTestDatabase.localConfig(database);
  }

  @Override
  protected void afterJournal() {
    if (database != null) {
      database.close();
    }
  }
}
