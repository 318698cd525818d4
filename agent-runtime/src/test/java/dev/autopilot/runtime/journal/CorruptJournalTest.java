package dev.autopilot.runtime.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.runtime.RuntimeConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** A corrupt journal row on the embedded H2 journal. */
class CorruptJournalTest extends CorruptJournalContract {
  @TempDir Path dir;

  @Override
  protected Config journalConfig() {
    return RuntimeConfig.load(
        "local",
        RuntimeConfig.database(
                "jdbc:h2:file:" + dir.resolve("journal") + ";DATABASE_TO_UPPER=false", "sa", "")
            .withFallback(ConfigFactory.parseString("autopilot.metrics.port = 0")));
  }
}
