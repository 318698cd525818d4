package dev.autopilot.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.persistence.DatabaseSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalProbeTest {

  @Test
  void upWhileTheDatabaseAnswersAndAgainAfterAFailure(@TempDir Path dir) {
    DatabaseSettings h2 =
        new DatabaseSettings(
            DatabaseSettings.Kind.H2,
            "jdbc:h2:file:" + dir.resolve("probe") + ";DATABASE_TO_UPPER=false",
            "sa",
            "",
            Duration.ofSeconds(5));
    try (JournalProbe probe = new JournalProbe(h2, Duration.ofSeconds(1))) {
      JournalProbe.Result first = probe.check();
      assertTrue(first.up(), () -> "H2 answers: " + first.reason());
      assertNull(first.reason());
      assertTrue(probe.check().up(), "the kept connection answers again");
    }
  }

  /** A local port nothing listens on (it was free a moment ago). */
  static int unusedPort() throws IOException {
    try (ServerSocket free = new ServerSocket(0)) {
      return free.getLocalPort();
    }
  }

  @Test
  void downWithTheReasonWhenNothingListens() throws IOException {
    int port = unusedPort();
    DatabaseSettings pg =
        new DatabaseSettings(
            DatabaseSettings.Kind.POSTGRES,
            "jdbc:postgresql://127.0.0.1:" + port + "/journal",
            "postgres",
            "",
            Duration.ofSeconds(5));
    try (JournalProbe probe = new JournalProbe(pg, Duration.ofSeconds(1))) {
      JournalProbe.Result r = probe.check();
      assertFalse(r.up());
      assertTrue(r.reason().contains("127.0.0.1:" + port), r.reason());
      assertTrue(r.reason().contains("unreachable"), r.reason());
      assertFalse(probe.check().up(), "still down on the next check");
    }
  }
}
