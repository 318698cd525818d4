package dev.autopilot.runtime.audit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.runtime.RuntimeConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The audit round trip on the embedded H2 journal. */
class AuditCommandTest extends AuditRoundTripContract {
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
