package dev.autopilot.runtime.cluster;

import com.typesafe.config.Config;
import dev.autopilot.persistence.DatabaseSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per actor system: whether the journal database answers, from a {@link JournalProbe} run every
 * {@code autopilot.node.journal-health.interval} on the blocking dispatcher. Readers get the last
 * result without waiting ({@link #status()}), so the readiness check answers within Pekko
 * Management's check timeout even while a check hangs on a dead server; a result older than {@code
 * stale-after} counts as down. Listeners ({@link #subscribe}) hear every result (the node's {@code
 * autopilot_journal_up} gauge). The probe starts with the extension and stops with the actor
 * system.
 */
public final class JournalHealth implements Extension {
  private static final Logger LOG = LoggerFactory.getLogger(JournalHealth.class);

  private static final ExtensionId<JournalHealth> ID =
      new ExtensionId<>() {
        @Override
        public JournalHealth createExtension(ActorSystem<?> system) {
          return new JournalHealth(system);
        }
      };

  /**
   * What the node knows of its journal.
   *
   * @param up whether the last check succeeded and is recent
   * @param reason why it is down, null when up
   */
  public record Status(boolean up, String reason) {}

  private final JournalProbe probe;
  private final Duration staleAfter;
  private final long startNanos = System.nanoTime();
  private final List<Consumer<Status>> listeners = new CopyOnWriteArrayList<>();
  private final Cancellable task;
  private volatile JournalProbe.Result last;

  private JournalHealth(ActorSystem<?> system) {
    Config c = system.settings().config();
    Config h = c.getConfig("autopilot.node.journal-health");
    Duration interval = h.getDuration("interval");
    this.staleAfter = h.getDuration("stale-after");
    this.probe = new JournalProbe(DatabaseSettings.create(c), h.getDuration("timeout"));
    this.task =
        system
            .scheduler()
            .scheduleWithFixedDelay(
                Duration.ZERO,
                interval,
                this::runCheck,
                system
                    .dispatchers()
                    .lookup(DispatcherSelector.fromConfig("autopilot.blocking-dispatcher")));
    system
        .getWhenTerminated()
        .thenRun(
            () -> {
              task.cancel();
              synchronized (probe) {
                probe.close();
              }
            });
  }

  /** The journal health of this actor system (starts probing on first use). */
  public static JournalHealth get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  private void runCheck() {
    JournalProbe.Result result;
    synchronized (probe) {
      result = probe.check();
    }
    JournalProbe.Result previous = last;
    last = result;
    if (previous == null || previous.up() != result.up()) {
      if (result.up()) {
        LOG.info("Journal database reachable");
      } else {
        LOG.warn("Journal database down: {}", result.reason());
      }
    }
    Status status = status();
    for (Consumer<Status> l : listeners) {
      l.accept(status);
    }
  }

  /** The last check's result, down when none was made yet or the last one is stale. */
  public Status status() {
    JournalProbe.Result r = last;
    long now = System.nanoTime();
    if (r == null) {
      return new Status(
          false,
          "journal database not checked yet ("
              + Duration.ofNanos(now - startNanos).toMillis()
              + " ms since start)");
    }
    long age = now - r.checkedNanos();
    if (age > staleAfter.toNanos()) {
      return new Status(
          false,
          "no journal check finished for "
              + Duration.ofNanos(age).toMillis()
              + " ms (the last one "
              + (r.up() ? "succeeded" : "failed: " + r.reason())
              + ")");
    }
    return new Status(r.up(), r.reason());
  }

  /** Calls {@code listener} with the status after every check (on the blocking dispatcher). */
  public void subscribe(Consumer<Status> listener) {
    listeners.add(listener);
  }
}
