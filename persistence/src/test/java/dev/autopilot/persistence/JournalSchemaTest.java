package dev.autopilot.persistence;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalSchemaTest {

  @Test
  void createsTheSchemaOnH2AndCanRunTwice(@TempDir Path dir) {
    ActorTestKit kit = ActorTestKit.create("schema", TestJournal.h2(dir));
    try {
      assertFalse(JournalSchema.isCreated(kit.system()));
      JournalSchema.ensure(kit.system());
      JournalSchema.ensure(kit.system());
      assertTrue(JournalSchema.isCreated(kit.system()));

      // The tables work: an entity persists and the schema survives a third run.
      TestProbe<Done> probe = kit.createTestProbe();
      var entity = kit.spawn(TestJournal.NoteEntity.create(PersistenceId.of("meta", "p1")));
      entity.tell(new TestJournal.NoteEntity.Command("hello", probe.getRef()));
      probe.expectMessage(Done.getInstance());
      JournalSchema.ensure(kit.system());
    } finally {
      kit.shutdownTestKit();
    }
  }

  @Test
  void unreachableDatabaseGivesAClearError(@TempDir Path dir) {
    Config config =
        TestJournal.config(
                dir,
                ConfigFactory.parseString(
                    "autopilot.db.pool { connection-timeout = 2s, min-connections = 0 }"))
            .withValue(
                "autopilot.db.url",
                ConfigValueFactory.fromAnyRef("jdbc:postgresql://127.0.0.1:1/nowhere"));
    ActorTestKit kit = ActorTestKit.create("unreachable", DatabaseSettings.applyTo(config));
    try {
      JournalSchema.SchemaException e =
          assertThrows(
              JournalSchema.SchemaException.class, () -> JournalSchema.ensure(kit.system()));
      assertTrue(
          e.getMessage()
              .startsWith(
                  "cannot create or use the journal schema in postgres"
                      + " jdbc:postgresql://127.0.0.1:1/nowhere as user 'postgres': "),
          e.getMessage());
      assertFalse(JournalSchema.isCreated(kit.system()));
    } finally {
      kit.shutdownTestKit();
    }
  }
}
