package dev.autopilot.runtime.drill;

import dev.autopilot.persistence.DatabaseSettings;
import dev.autopilot.runtime.cluster.JournalProbe;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The journal's PostgreSQL server as a drill sees it: whether it accepts connections, and the
 * operator's commands that stop and start it (argv lists from the drill's settings, e.g. {@code
 * pg_ctlcluster ... stop -m fast}). The commands' output goes to the progress stream.
 */
final class DatabaseServer {
  private final DatabaseSettings database;
  private final Duration commandTimeout;
  private final PrintWriter progress;

  DatabaseServer(DatabaseSettings database, Duration commandTimeout, PrintWriter progress) {
    this.database = database;
    this.commandTimeout = commandTimeout;
    this.progress = progress;
  }

  /** Whether the server accepts a connection and answers {@code SELECT 1} within 2 s. */
  boolean accepting() {
    try (JournalProbe probe = new JournalProbe(database, Duration.ofSeconds(2))) {
      return probe.check().up();
    }
  }

  /**
   * Waits until the server accepts connections ({@code true}) or refuses them ({@code false}).
   *
   * @return whether it got there within the timeout
   */
  boolean await(boolean accepting, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (accepting() != accepting) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(200);
    }
    return true;
  }

  /**
   * Runs an operator command (stop or start).
   *
   * @throws IllegalStateException when it cannot run, fails or outlives the command timeout
   */
  void run(String what, List<String> argv) throws InterruptedException {
    progress.printf("db-outage: %s: %s%n", what, String.join(" ", argv));
    progress.flush();
    Process process;
    try {
      process = new ProcessBuilder(argv).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run the " + what + " command " + argv, e);
    }
    Thread output =
        new Thread(
            () -> {
              try {
                String text =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!text.isBlank()) {
                  synchronized (progress) {
                    progress.print(text.endsWith("\n") ? text : text + "\n");
                    progress.flush();
                  }
                }
              } catch (IOException e) {
                // The process went away; its exit code tells the rest.
              }
            },
            "db-outage-" + what);
    output.setDaemon(true);
    output.start();
    if (!process.waitFor(commandTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "the " + what + " command " + argv + " did not finish within " + commandTimeout);
    }
    output.join(5000);
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          "the " + what + " command " + argv + " exited with " + process.exitValue());
    }
  }
}
