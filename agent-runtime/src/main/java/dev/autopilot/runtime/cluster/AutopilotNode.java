package dev.autopilot.runtime.cluster;

import com.typesafe.config.Config;
import dev.autopilot.persistence.JournalSchema;
import dev.autopilot.runtime.metrics.AutopilotMetrics;
import dev.autopilot.runtime.metrics.JournalRecoveryCounter;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One runtime node: an actor system (guardian {@link SpawnProtocol}, so callers can spawn top level
 * actors), the journal schema, the journal's health ({@link JournalHealth}: readiness and the
 * {@code autopilot_journal_up} gauge), Pekko Management (health and readiness), the Prometheus
 * exporter, the agents' sharding (registered by the caller's hook) and cluster membership, in that
 * order.
 *
 * <p>How the node joins follows {@code autopilot.cluster.join}: {@code self} (the local profile: a
 * one-node cluster whose seed is the node itself), {@code seed-nodes} (Pekko joins {@code
 * pekko.cluster.seed-nodes}), {@code bootstrap} (the kubernetes profile: Cluster Bootstrap with
 * Kubernetes API discovery) or {@code manual} (the caller joins, as the test harness does).
 */
public final class AutopilotNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AutopilotNode.class);

  private final ActorSystem<SpawnProtocol.Command> system;
  private final AutopilotMetrics metrics;
  private final int metricsPort;
  private final URI managementUri;
  private final Duration joinTimeout;
  private final Duration shutdownTimeout;
  private final CompletableFuture<Done> up = new CompletableFuture<>();

  private AutopilotNode(
      ActorSystem<SpawnProtocol.Command> system,
      AutopilotMetrics metrics,
      int metricsPort,
      URI managementUri) {
    Config config = system.settings().config();
    this.joinTimeout = config.getDuration("autopilot.node.join-timeout");
    this.shutdownTimeout = config.getDuration("autopilot.node.shutdown-timeout");
    this.system = system;
    this.metrics = metrics;
    this.metricsPort = metricsPort;
    this.managementUri = managementUri;
  }

  /**
   * Starts a node.
   *
   * @param config the node's configuration ({@code RuntimeConfig.load})
   * @param initEntities registers the agents' sharding on the new actor system
   * @throws IllegalStateException when a step fails; the actor system is then terminated
   */
  public static AutopilotNode start(Config config, Consumer<ActorSystem<?>> initEntities) {
    return start(config, (system, metrics) -> initEntities.accept(system));
  }

  /**
   * Starts a node; the hook also gets the node's metrics (to record what the agents report).
   *
   * @param config the node's configuration ({@code RuntimeConfig.load})
   * @param initEntities registers the agents' sharding on the new actor system
   */
  public static AutopilotNode start(
      Config config, BiConsumer<ActorSystem<?>, AutopilotMetrics> initEntities) {
    String name = config.getString("autopilot.cluster.system-name");
    ActorSystem<SpawnProtocol.Command> system =
        ActorSystem.create(SpawnProtocol.create(), name, config);
    AutopilotMetrics metrics = null;
    try {
      JournalSchema.ensure(system);
      metrics = AutopilotMetrics.create(config);
      JournalRecoveryCounter.start(system, metrics);
      AutopilotMetrics nodeMetrics = metrics;
      JournalHealth.get(system).subscribe(s -> nodeMetrics.recordJournalCheck(s.up()));
      int metricsPort = metrics.serve(config.getInt("autopilot.metrics.port"));
      URI management = null;
      if (config.getBoolean("autopilot.node.management-enabled")) {
        management =
            URI.create(
                PekkoManagement.get(system)
                    .start()
                    .toCompletableFuture()
                    .get(
                        config.getDuration("autopilot.node.management-timeout").toMillis(),
                        TimeUnit.MILLISECONDS)
                    .toString());
      }
      AutopilotNode node = new AutopilotNode(system, metrics, metricsPort, management);
      org.apache.pekko.cluster.Cluster.get(Adapter.toClassic(system))
          .registerOnMemberUp(() -> node.up.complete(Done.getInstance()));
      initEntities.accept(system, metrics);
      node.join(config.getString("autopilot.cluster.join").toLowerCase(Locale.ROOT));
      LOG.info(
          "Node {} started (metrics port {}, management {})",
          Cluster.get(system).selfMember().address(),
          metricsPort,
          management == null ? "off" : management);
      return node;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort(system, metrics);
      throw new IllegalStateException("interrupted while starting the node", e);
    } catch (ExecutionException | TimeoutException e) {
      abort(system, metrics);
      throw new IllegalStateException("cannot start Pekko Management: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      abort(system, metrics);
      throw e;
    }
  }

  private void join(String mode) {
    switch (mode) {
      case "self" -> {
        Cluster cluster = Cluster.get(system);
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
      }
      case "bootstrap" -> ClusterBootstrap.get(system).start();
      case "seed-nodes", "manual" -> {
        // seed-nodes: Pekko joins pekko.cluster.seed-nodes by itself; manual: the caller joins.
      }
      default ->
          throw new IllegalArgumentException(
              "autopilot.cluster.join must be self, seed-nodes, bootstrap or manual, was " + mode);
    }
  }

  private static void abort(ActorSystem<?> system, AutopilotMetrics metrics) {
    if (metrics != null) {
      metrics.close();
    }
    system.terminate();
    try {
      system
          .getWhenTerminated()
          .toCompletableFuture()
          .get(
              system.settings().config().getDuration("autopilot.node.shutdown-timeout").toMillis(),
              TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("Actor system did not terminate cleanly after a failed start", e);
    }
  }

  /** The node's actor system; spawn top-level actors with {@link SpawnProtocol.Spawn}. */
  public ActorSystem<SpawnProtocol.Command> system() {
    return system;
  }

  /** The node's metrics. */
  public AutopilotMetrics metrics() {
    return metrics;
  }

  /** The port of the Prometheus exporter, 0 when disabled. */
  public int metricsPort() {
    return metricsPort;
  }

  /** The base URI of Pekko Management, when enabled. */
  public Optional<URI> managementUri() {
    return Optional.ofNullable(managementUri);
  }

  /** Completes when this node is Up in the cluster. */
  public CompletionStage<Done> whenUp() {
    return up;
  }

  /**
   * Waits until this node is Up, at most {@code autopilot.node.join-timeout}.
   *
   * @throws IllegalStateException when it is not Up in time
   */
  public void awaitUp() {
    awaitUp(joinTimeout);
  }

  /**
   * Waits until this node is Up.
   *
   * @throws IllegalStateException when it is not Up in time
   */
  public void awaitUp(Duration timeout) {
    try {
      up.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the node to be Up", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "node " + Cluster.get(system).selfMember().address() + " not Up within " + timeout, e);
    }
  }

  /** Leaves the cluster and terminates the actor system (coordinated shutdown); waits for it. */
  @Override
  public void close() {
    metrics.close();
    CoordinatedShutdown.get(Adapter.toClassic(system)).run(CoordinatedShutdown.unknownReason());
    try {
      system
          .getWhenTerminated()
          .toCompletableFuture()
          .get(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("Actor system {} did not terminate within {}", system.name(), shutdownTimeout, e);
    }
  }
}
