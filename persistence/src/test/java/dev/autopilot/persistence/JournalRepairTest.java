package dev.autopilot.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies on the plugin itself what the README's "Corrupt journal" procedure relies on: a row
 * marked deleted is skipped by the entity's replay and by the query API, and its sequence number is
 * not reused.
 */
class JournalRepairTest {
  @TempDir Path dir;
  private ActorTestKit kit;

  @BeforeEach
  void start() {
    kit = ActorTestKit.create("journal-repair", TestJournal.h2(dir));
    JournalSchema.ensure(kit.system());
  }

  @AfterEach
  void stop() {
    kit.shutdownTestKit();
  }

  private void note(PersistenceId id, String... texts) {
    TestProbe<Done> probe = kit.createTestProbe();
    var entity = kit.spawn(TestJournal.NoteEntity.create(id));
    for (String text : texts) {
      entity.tell(new TestJournal.NoteEntity.Command(text, probe.getRef()));
      probe.expectMessage(Done.getInstance());
    }
    kit.stop(entity);
  }

  private AuditReplay.Result replay() throws Exception {
    return AuditReplay.create(kit.system())
        .replayAll()
        .toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
  }

  @Test
  void aQuarantinedRowIsSkippedByReplayAndItsSequenceNumberIsNotReused() throws Exception {
    PersistenceId id = PersistenceId.of("meta", "p1");
    note(id, "n1", "n2");
    Object[] ser = TestJournal.serializerOf(kit.system(), "meta|p1", 1);
    TestJournal.insertRow(
        kit.system(),
        "meta|p1",
        3,
        (Integer) ser[0],
        (String) ser[1],
        "{not json".getBytes(StandardCharsets.UTF_8));
    assertEquals(3, replay().errors().get(0).sequenceNr());

    JournalRepair repair = JournalRepair.create(kit.system());
    JournalRepair.Row row = repair.find("meta|p1", 3).orElseThrow();
    assertEquals("{not json", row.payloadText());
    assertEquals(ser[1], row.manifest());
    assertFalse(row.deleted());
    assertTrue(repair.quarantine("meta|p1", 3));
    assertFalse(repair.quarantine("meta|p1", 3), "already quarantined");
    assertTrue(repair.find("meta|p1", 3).orElseThrow().deleted());

    // The entity recovers without the row, and numbers its next event after it.
    note(id, "n4");
    AuditReplay.Result after = replay();
    assertEquals(List.of(), after.errors());
    assertEquals(
        List.of(1L, 2L, 4L), after.records().stream().map(AuditRecord::sequenceNr).toList());
    assertEquals(
        List.of("n1", "n2", "n4"),
        after.records().stream()
            .map(r -> ((TestJournal.NoteEntity.Noted) r.event()).text())
            .toList());

    assertTrue(repair.restore("meta|p1", 3));
    assertFalse(repair.find("meta|p1", 3).orElseThrow().deleted());
    assertEquals(3, replay().errors().get(0).sequenceNr());
  }

  @Test
  void aMissingRowIsAnError() {
    JournalRepair repair = JournalRepair.create(kit.system());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> repair.quarantine("meta|p9", 7));
    assertEquals("the journal has no row meta|p9 sequence_nr 7", e.getMessage());
  }

  @Test
  void theFailureLineNamesTheEntityTheRowAndTheProcedure() {
    assertEquals(
        "journal of meta|p1 cannot be replayed at sequence nr 3: boom; see README 'Corrupt"
            + " journal'",
        new JournalRecovery.Failed("meta|p1", "meta", 3, "boom").message());
    assertEquals(
        "journal of meta|p1 cannot be replayed: boom; see README 'Corrupt journal'",
        new JournalRecovery.Failed("meta|p1", "meta", 0, "boom").message());
  }
}
