package dev.autopilot.runtime.flink.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import dev.autopilot.runtime.RuntimeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded session's node configuration: its own fresh journal, the run's tick and SLA. */
class EmbeddedFlinkSessionConfigTest {
  private static final String SLICK = "pekko-persistence-jdbc.shared-databases.slick.db.url";

  @TempDir Path dir;

  @Test
  void theJournalIsTheRunsOwnFreshH2FileNotTheDefaultDatabase() throws Exception {
    Config loaded = RuntimeConfig.load("local", com.typesafe.config.ConfigFactory.empty());
    Path journal = dir.resolve("journal");
    Files.createDirectories(journal);
    Files.writeString(journal.resolve("autopilot.mv.db"), "a previous run");
    Config node =
        EmbeddedFlinkSession.nodeConfig(loaded, journal, EmbeddedRunSettings.create(loaded));
    String url = node.getString(SLICK);
    assertTrue(
        url.startsWith("jdbc:h2:file:" + journal.toAbsolutePath().resolve("autopilot")),
        "the journal plugin uses the run's directory, was " + url);
    assertTrue(!loaded.getString(SLICK).equals(url), "not the database the config was loaded with");
    assertEquals(0, Files.list(journal).count(), "the previous run's journal files are deleted");
  }
}
