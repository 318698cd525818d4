package dev.autopilot.runtime.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.runtime.metrics.AutopilotMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * Several {@link AutopilotNode}s in one JVM forming one cluster over a shared journal: the
 * multi-node tests and the drills ({@code drill node-loss}, {@code drill db-outage}) run on it.
 * Each node has its own remoting port; management and the metrics exporter are off ({@link
 * #localDefaults()}). Nodes can be killed abruptly ({@link #kill}: the actor system stops without
 * leaving, the others see it unreachable and the split-brain resolver downs it, as after a crash),
 * leave gracefully ({@link #leave}), and be replaced by a fresh node ({@link #replace}).
 *
 * <p>Failures (a node not Up in time, an entity not answering) throw {@link IllegalStateException}.
 */
public final class LocalCluster implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** Defaults of a local cluster, below the caller's configuration. */
  private static final Config DEFAULTS =
      ConfigFactory.parseString(
          String.join(
              "\n",
              "autopilot.cluster.join = manual",
              "autopilot.node.management-enabled = off",
              "autopilot.metrics.port = 0",
              "autopilot.db.pool.max-connections = 4",
              "autopilot.db.pool.min-connections = 1",
              "autopilot.db.pool.num-threads = 4",
              "pekko.remote.artery.canonical.hostname = 127.0.0.1",
              "pekko.remote.artery.canonical.port = 0",
              // kill(i) = terminate without coordinated shutdown: no graceful leave.
              "pekko.coordinated-shutdown.run-by-actor-system-terminate = off",
              "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off",
              "pekko.cluster.split-brain-resolver.stable-after = 3s",
              "pekko.cluster.failure-detector.acceptable-heartbeat-pause = 3s",
              "pekko.cluster.sharding.rebalance-interval = 2s",
              // A killed node's last words (its split-brain decision while it terminates) would
              // go to standard output, which belongs to the caller (drill --json).
              "pekko.stdout-loglevel = OFF"));

  private final Config config;
  private final BiConsumer<ActorSystem<?>, AutopilotMetrics> initEntities;
  private final Runnable cleanup;
  private final List<AutopilotNode> nodes = new ArrayList<>();
  private final List<Boolean> running = new ArrayList<>();

  private LocalCluster(
      Config config, BiConsumer<ActorSystem<?>, AutopilotMetrics> initEntities, Runnable cleanup) {
    this.config = config;
    this.initEntities = initEntities;
    this.cleanup = cleanup;
  }

  /**
   * The local cluster's defaults (manual join, loopback remoting on a free port, no management, no
   * exporter, a small pool, no coordinated shutdown on terminate, 3 s failure detection and
   * split-brain resolution, no standard-output logger); layer them under the node configuration
   * before {@code RuntimeConfig.load}.
   */
  public static Config localDefaults() {
    return DEFAULTS;
  }

  /**
   * Starts {@code size} nodes, each joining node 0, and waits until all are Up.
   *
   * @param size number of nodes
   * @param config every node's resolved configuration ({@code RuntimeConfig.load}, over {@link
   *     #localDefaults()} and a shared journal)
   * @param initEntities registers the sharded entities on each node (with its metrics)
   * @param cleanup run once on {@link #close()} after the nodes stopped (drops a scratch database),
   *     and when the start fails
   */
  public static LocalCluster start(
      int size,
      Config config,
      BiConsumer<ActorSystem<?>, AutopilotMetrics> initEntities,
      Runnable cleanup) {
    LocalCluster cluster = new LocalCluster(config, initEntities, cleanup);
    try {
      for (int i = 0; i < size; i++) {
        cluster.startNode(i == 0 ? -1 : 0);
        if (i == 0) {
          cluster.nodes.get(0).awaitUp(START_TIMEOUT);
        }
      }
      cluster.awaitMembersUp(size, START_TIMEOUT);
      return cluster;
    } catch (RuntimeException | Error e) {
      try {
        cluster.close();
      } catch (RuntimeException closing) {
        // The start's failure is the one to report (the cleanup fails for the same reason, e.g.
        // the journal's server is unreachable).
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  /** Starts a node that joins {@code seed} (itself when negative); returns its index. */
  private int startNode(int seed) {
    AutopilotNode node = AutopilotNode.start(config, initEntities);
    nodes.add(node);
    running.add(true);
    ActorSystem<?> seedSystem = seed < 0 ? node.system() : system(seed);
    Address address = Cluster.get(seedSystem).selfMember().address();
    Cluster.get(node.system()).manager().tell(Join.create(address));
    return nodes.size() - 1;
  }

  /**
   * Starts a fresh node in place of a stopped one: it joins a running node and gets a new index.
   * Waits until every running node sees all running members Up.
   *
   * @return the new node's index
   */
  public int replace() {
    List<Integer> up = runningNodes();
    if (up.isEmpty()) {
      throw new IllegalStateException("no running node to join");
    }
    int index = startNode(up.get(0));
    awaitMembersUp(runningNodes().size(), START_TIMEOUT);
    return index;
  }

  /** The resolved configuration every node was started with. */
  public Config config() {
    return config;
  }

  /** Number of nodes started (running or not); indexes are never reused. */
  public int size() {
    return nodes.size();
  }

  /** Node {@code i}. */
  public AutopilotNode node(int i) {
    return nodes.get(i);
  }

  /** The actor system of node {@code i}. */
  public ActorSystem<?> system(int i) {
    return nodes.get(i).system();
  }

  /** Whether node {@code i} is still running (not killed, not left). */
  public boolean isRunning(int i) {
    return running.get(i);
  }

  /** Indexes of the running nodes. */
  public List<Integer> runningNodes() {
    return IntStream.range(0, nodes.size()).filter(running::get).boxed().toList();
  }

  /** The node with this cluster address. */
  public int indexOf(Address address) {
    for (int i = 0; i < nodes.size(); i++) {
      if (Cluster.get(system(i)).selfMember().address().equals(address)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no node at " + address);
  }

  /**
   * Waits until every running node sees exactly {@code count} members, all Up and reachable.
   *
   * @throws IllegalStateException on timeout
   */
  public void awaitMembersUp(int count, Duration timeout) {
    awaitCondition(
        () ->
            runningNodes().stream()
                .allMatch(
                    i -> {
                      var state = Cluster.get(system(i)).state();
                      List<Member> members = new ArrayList<>();
                      state.getMembers().forEach(members::add);
                      return members.size() == count
                          && members.stream().allMatch(m -> m.status() == MemberStatus.up())
                          && state.getUnreachable().isEmpty();
                    }),
        timeout,
        count + " members Up on every running node");
  }

  /**
   * The running node currently hosting a sharded entity.
   *
   * @throws IllegalStateException when no node hosts it within the timeout
   */
  public int nodeHosting(EntityTypeKey<?> key, String entityId, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (int i : runningNodes()) {
        if (entitiesOn(i, key).orElse(Set.of()).contains(entityId)) {
          return i;
        }
      }
      sleep(100);
    }
    throw new IllegalStateException("no running node hosts " + key.name() + "/" + entityId);
  }

  /**
   * The entities of a type that run on node {@code i} now (an entity stopped by a rebalance runs
   * nowhere until its next message).
   *
   * @return their ids; empty when the node's shard region did not answer within a few seconds
   */
  public Optional<Set<String>> entitiesOn(int i, EntityTypeKey<?> key) {
    ActorSystem<?> system = system(i);
    try {
      ShardRegion.CurrentShardRegionState state =
          AskPattern.<ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(
                  ClusterSharding.get(system).shardState(),
                  replyTo -> new GetShardRegionState(key, replyTo),
                  Duration.ofSeconds(3),
                  system.scheduler())
              .toCompletableFuture()
              .get(5, TimeUnit.SECONDS);
      Set<String> ids = new HashSet<>();
      state.getShards().forEach(s -> ids.addAll(s.getEntityIds()));
      return Optional.of(Set.copyOf(ids));
    } catch (ExecutionException | TimeoutException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Asks a sharded entity through node {@code via}, retrying until it answers (entities are
   * unreachable for a while after a node loss). A retried command may be delivered twice: retry
   * only idempotent ones, or pass {@code deadline == attempt} for a single try.
   *
   * @param attempt timeout of one ask
   * @param deadline total time allowed
   */
  public <M, R> R askEntity(
      int via,
      EntityTypeKey<M> key,
      String entityId,
      Function<ActorRef<R>, M> message,
      Duration attempt,
      Duration deadline) {
    ActorSystem<?> system = system(via);
    long end = System.nanoTime() + deadline.toNanos();
    Throwable last = null;
    while (System.nanoTime() < end) {
      try {
        return ClusterSharding.get(system)
            .entityRefFor(key, entityId)
            .<R>ask(message::apply, attempt)
            .toCompletableFuture()
            .get(attempt.toMillis() + 1000, TimeUnit.MILLISECONDS);
      } catch (ExecutionException | CompletionException | TimeoutException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    throw new IllegalStateException(
        "entity "
            + key.name()
            + "/"
            + entityId
            + " did not answer via node "
            + via
            + " within "
            + deadline,
        last);
  }

  /**
   * Kills node {@code i} abruptly: its actor system stops without leaving the cluster. The other
   * nodes see it unreachable; the split-brain resolver downs it and its shards move.
   */
  public void kill(int i) {
    ActorSystem<?> system = system(i);
    running.set(i, false);
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("node " + i + " did not terminate", e);
    }
  }

  /** Node {@code i} leaves gracefully (coordinated shutdown: its shards are handed over). */
  public void leave(int i) {
    running.set(i, false);
    nodes.get(i).close();
  }

  /** Stops every running node, then runs the cleanup. */
  @Override
  public void close() {
    try {
      for (int i = nodes.size() - 1; i >= 0; i--) {
        if (running.get(i)) {
          running.set(i, false);
          nodes.get(i).close();
        }
      }
    } finally {
      cleanup.run();
    }
  }

  private static void awaitCondition(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
      }
      sleep(100);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
