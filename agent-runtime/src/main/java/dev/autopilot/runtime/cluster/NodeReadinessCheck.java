package dev.autopilot.runtime.cluster;

import dev.autopilot.persistence.JournalSchema;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Pekko Management readiness check ({@code /ready}): ready only when this node is Up in the
 * cluster, the journal database answers ({@link JournalHealth}) and the journal schema was created
 * on it. Registered in {@code runtime.conf} under {@code
 * pekko.management.health-checks.readiness-checks}. Liveness ({@code /alive}) does not depend on
 * the journal: a database outage makes the node unready, never restarted.
 *
 * <p>A node that is not ready answers a failed stage whose message says why; Pekko Management puts
 * it in the body of the 500 response.
 */
public final class NodeReadinessCheck implements Supplier<CompletionStage<Boolean>> {
  private final org.apache.pekko.actor.typed.ActorSystem<Void> system;

  /** Instantiated by Pekko Management with the classic actor system. */
  public NodeReadinessCheck(ActorSystem system) {
    this.system = Adapter.toTyped(system);
  }

  @Override
  public CompletionStage<Boolean> get() {
    MemberStatus status = Cluster.get(system).selfMember().status();
    if (status != MemberStatus.up()) {
      return notReady("this node is " + status + " in the cluster, not Up");
    }
    JournalHealth.Status journal = JournalHealth.get(system).status();
    if (!journal.up()) {
      return notReady(journal.reason());
    }
    if (!JournalSchema.isCreated(system)) {
      return notReady("the journal schema is not created yet");
    }
    return CompletableFuture.completedFuture(true);
  }

  private static CompletionStage<Boolean> notReady(String why) {
    return CompletableFuture.failedFuture(new NotReadyException(why));
  }

  /** Why the node is not ready. */
  public static final class NotReadyException extends RuntimeException {
    NotReadyException(String message) {
      super(message, null, false, false);
    }
  }
}
