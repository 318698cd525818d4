package dev.autopilot.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditReplayTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private ActorTestKit kit;

  @BeforeEach
  void start() {
    kit = ActorTestKit.create("audit-replay", TestJournal.h2(dir));
    JournalSchema.ensure(kit.system());
  }

  @AfterEach
  void stop() {
    kit.shutdownTestKit();
  }

  private void note(String agent, String pipeline, String... texts) {
    TestProbe<Done> probe = kit.createTestProbe();
    var entity = kit.spawn(TestJournal.NoteEntity.create(PersistenceId.of(agent, pipeline)));
    for (String text : texts) {
      entity.tell(new TestJournal.NoteEntity.Command(text, probe.getRef()));
      probe.expectMessage(Done.getInstance());
    }
    kit.stop(entity);
  }

  private AuditReplay.Result await(java.util.concurrent.CompletionStage<AuditReplay.Result> r)
      throws Exception {
    return r.toCompletableFuture()
        .get(TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private static String text(AuditRecord r) {
    return ((TestJournal.NoteEntity.Noted) r.event()).text();
  }

  @Test
  void replaysAllEntitiesInOrderAndFiltersByPipeline() throws Exception {
    note("meta", "p1", "m1", "m2", "m3");
    note("actuator", "p1", "a1", "a2");
    note("meta", "p2", "x1");

    AuditReplay.Result all = await(AuditReplay.create(kit.system()).replayAll());
    assertEquals(List.of(), all.errors());
    assertEquals(
        List.of("actuator|p1", "actuator|p1", "meta|p1", "meta|p1", "meta|p1", "meta|p2"),
        all.records().stream().map(AuditRecord::persistenceId).toList());
    assertEquals(
        List.of(1L, 2L, 1L, 2L, 3L, 1L),
        all.records().stream().map(AuditRecord::sequenceNr).toList());
    assertEquals(
        List.of("a1", "a2", "m1", "m2", "m3", "x1"),
        all.records().stream().map(AuditReplayTest::text).toList());
    AuditRecord first = all.records().get(0);
    assertEquals("actuator", first.agent());
    assertEquals("p1", first.pipeline());
    assertEquals(new TestJournal.NoteEntity.Noted("p1", 1, "a1"), first.event());

    AuditReplay.Result p2 = await(AuditReplay.create(kit.system()).replayPipeline("p2"));
    assertEquals(List.of("x1"), p2.records().stream().map(AuditReplayTest::text).toList());
    AuditReplay.Result none = await(AuditReplay.create(kit.system()).replayPipeline("p9"));
    assertTrue(none.records().isEmpty());
  }

  @Test
  void corruptRowsAreNamedAndTheReplayGoesOn() throws Exception {
    note("meta", "p1", "m1", "m2");
    note("recovery", "p1", "r1");
    Object[] ser = TestJournal.serializerOf(kit.system(), "recovery|p1", 1);
    int serId = (Integer) ser[0];
    String manifest = (String) ser[1];
    byte[] goodPayload = (byte[]) ser[2];
    // An unknown manifest in an entity of its own.
    TestJournal.insertRow(
        kit.system(),
        "actuator|p1",
        1,
        serId,
        "dev.autopilot.Gone",
        "{}".getBytes(StandardCharsets.UTF_8));
    // Invalid JSON at recovery|p1 #2, then a readable row #3 after it.
    TestJournal.insertRow(
        kit.system(),
        "recovery|p1",
        2,
        serId,
        manifest,
        "{not json".getBytes(StandardCharsets.UTF_8));
    TestJournal.insertRow(kit.system(), "recovery|p1", 3, serId, manifest, goodPayload);

    AuditReplay.Result result = await(AuditReplay.create(kit.system()).replayPipeline("p1"));

    assertEquals(2, result.errors().size(), result.errors().toString());
    AuditReplay.ReplayError unknown = result.errors().get(0);
    assertEquals("actuator|p1", unknown.persistenceId());
    assertEquals(1, unknown.sequenceNr());
    assertTrue(
        unknown.message().startsWith("journal row actuator|p1 sequence_nr 1 cannot be read: "),
        unknown.message());
    assertTrue(unknown.message().contains("dev.autopilot.Gone"), unknown.message());
    AuditReplay.ReplayError invalid = result.errors().get(1);
    assertEquals("recovery|p1", invalid.persistenceId());
    assertEquals(2, invalid.sequenceNr());
    assertTrue(
        invalid.message().startsWith("journal row recovery|p1 sequence_nr 2 cannot be read: "),
        invalid.message());

    assertEquals(
        List.of("meta|p1#1", "meta|p1#2", "recovery|p1#1", "recovery|p1#3"),
        result.records().stream().map(r -> r.persistenceId() + "#" + r.sequenceNr()).toList());
    assertEquals(
        List.of("m1", "m2", "r1", "r1"),
        result.records().stream().map(AuditReplayTest::text).toList());
  }
}
