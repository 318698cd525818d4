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
 * Pekko Management readiness check ({@code /ready}): ready only when this node is Up in the cluster
 * and the journal schema was created on it. Registered in {@code runtime.conf} under {@code
 * pekko.management.health-checks.readiness-checks}.
 */
public final class NodeReadinessCheck implements Supplier<CompletionStage<Boolean>> {
  private final org.apache.pekko.actor.typed.ActorSystem<Void> system;

  /** Instantiated by Pekko Management with the classic actor system. */
  public NodeReadinessCheck(ActorSystem system) {
    this.system = Adapter.toTyped(system);
  }

  @Override
  public CompletionStage<Boolean> get() {
    boolean up = Cluster.get(system).selfMember().status() == MemberStatus.up();
    return CompletableFuture.completedFuture(up && JournalSchema.isCreated(system));
  }
}
