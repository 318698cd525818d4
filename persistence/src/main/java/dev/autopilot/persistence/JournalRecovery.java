package dev.autopilot.persistence;

import com.typesafe.config.Config;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * What the event-sourced agents do when their journal cannot be replayed (an unknown manifest, an
 * invalid payload, an event the handler rejects, an unreachable database): one clear ERROR line
 * naming the persistence id and the sequence number of the row that failed, a {@link Failed} on the
 * actor system's event stream (the runtime counts it as {@code
 * autopilot_journal_recovery_failures_total{entity_type}}), and a restart with backoff ({@link
 * #backoff}) so that the entity neither hot-loops nor takes its node or the other entities down.
 * The operator procedure is the README's "Corrupt journal".
 */
public final class JournalRecovery {
  private JournalRecovery() {}

  /**
   * An entity's journal could not be replayed.
   *
   * @param persistenceId the entity ({@code <entity type>|<pipeline>})
   * @param entityType the entity type ({@code meta}, {@code actuator}, {@code prediction}, ...)
   * @param sequenceNr the sequence number of the row that failed (the last replayed one plus one);
   *     0 when the replay failed before any row could be attributed (e.g. loading a snapshot)
   * @param reason the failure, on one line
   */
  public record Failed(String persistenceId, String entityType, long sequenceNr, String reason) {
    /** The ERROR line: names the entity, the row and the README section to follow. */
    public String message() {
      return "journal of "
          + persistenceId
          + " cannot be replayed"
          + (sequenceNr > 0 ? " at sequence nr " + sequenceNr : "")
          + ": "
          + reason
          + "; see README 'Corrupt journal'";
    }
  }

  /**
   * The restart-with-backoff of {@code autopilot.journal.recovery-backoff}, for the entity's {@code
   * onPersistFailure} (Pekko applies it to write and replay failures of the journal).
   */
  public static BackoffSupervisorStrategy backoff(Config config) {
    Config c = config.getConfig("autopilot.journal.recovery-backoff");
    return SupervisorStrategy.restartWithBackoff(
        c.getDuration("min"), c.getDuration("max"), c.getDouble("random-factor"));
  }

  /**
   * The entity's {@code RecoveryFailed} handler: {@code
   * newSignalHandlerBuilder().onSignal(RecoveryFailed.class, JournalRecovery.reporter(ctx, this))}.
   *
   * @param ctx the entity's context
   * @param entity the entity
   */
  public static <S> BiConsumer<S, RecoveryFailed> reporter(
      ActorContext<?> ctx, EventSourcedBehavior<?, ?, S> entity) {
    return (state, signal) ->
        onRecoveryFailed(ctx, entity, entity.persistenceId(), signal.getFailure());
  }

  /**
   * Reports a recovery failure (see {@link #reporter}).
   *
   * @param ctx the entity's context
   * @param entity the entity (for the sequence number replayed so far)
   * @param persistenceId its persistence id
   * @param failure the signal's failure
   * @return what was reported; null for Pekko's second delivery of the same failure (wrapped in its
   *     internal {@code JournalFailureException}), which is not reported again
   */
  public static Failed onRecoveryFailed(
      ActorContext<?> ctx,
      EventSourcedBehavior<?, ?, ?> entity,
      PersistenceId persistenceId,
      Throwable failure) {
    if (isRedelivery(failure)) {
      // Pekko signals the failure once as it is, then again wrapped in its
      // JournalFailureException on its way to the supervisor: report it once.
      ctx.getLog()
          .debug("journal of {} cannot be replayed (repeated): {}", persistenceId.id(), failure);
      return null;
    }
    long replayed;
    try {
      replayed = entity.lastSequenceNumber(ctx);
    } catch (IllegalStateException notReplaying) {
      // Failed while loading a snapshot, before any event: no row to name.
      replayed = -1;
    }
    Failed failed =
        new Failed(
            persistenceId.id(),
            AuditReplay.agentOf(persistenceId.id()),
            replayed + 1,
            AuditReplay.describe(failure));
    ctx.getLog().error(failed.message());
    ctx.getSystem().eventStream().tell(new EventStream.Publish<>(failed));
    return failed;
  }

  private static boolean isRedelivery(Throwable failure) {
    return failure.getCause() != null
        && failure
            .getClass()
            .getName()
            .equals("org.apache.pekko.persistence.typed.internal.JournalFailureException");
  }
}
