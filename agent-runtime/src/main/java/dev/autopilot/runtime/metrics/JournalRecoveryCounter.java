package dev.autopilot.runtime.metrics;

import dev.autopilot.persistence.JournalRecovery;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Counts the {@link JournalRecovery.Failed} reports the entities of this node publish on the event
 * stream as {@code autopilot_journal_recovery_failures_total{entity_type}}.
 */
public final class JournalRecoveryCounter {
  private JournalRecoveryCounter() {}

  /** Starts the counter on this actor system; it lives as long as the system. */
  public static ActorRef<JournalRecovery.Failed> start(
      ActorSystem<?> system, AutopilotMetrics metrics) {
    ActorRef<JournalRecovery.Failed> counter =
        system.systemActorOf(create(metrics), "journal-recovery-counter", Props.empty());
    system.eventStream().tell(new EventStream.Subscribe<>(JournalRecovery.Failed.class, counter));
    return counter;
  }

  private static Behavior<JournalRecovery.Failed> create(AutopilotMetrics metrics) {
    return Behaviors.receiveMessage(
        failed -> {
          metrics.recordJournalRecoveryFailure(failed.entityType());
          return Behaviors.same();
        });
  }
}
