package dev.autopilot.runtime.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.runtime.PostgresTestDatabase;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.metrics.AutopilotMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
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
 * Several {@link AutopilotNode}s in one JVM forming one cluster over a shared, fresh PostgreSQL
 * journal (a database of its own, dropped on {@link #close()}). Each node has its own remoting
 * port; management and the metrics exporter are off. Nodes can be killed abruptly ({@link #kill}:
 * the actor system stops without leaving, the others see it unreachable and the split-brain
 * resolver downs it, as after a crash) or leave gracefully ({@link #leave}).
 *
 * <p>PostgreSQL unreachable: the test fails when {@code CI=true}, else it is skipped.
 */
public final class ClusterHarness implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** Harness defaults, below the caller's extra configuration. */
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
              "pekko.cluster.sharding.rebalance-interval = 2s"));

  private final PostgresTestDatabase database;
  private final Config config;
  private final List<AutopilotNode> nodes = new ArrayList<>();
  private final List<Boolean> running = new ArrayList<>();

  private ClusterHarness(PostgresTestDatabase database, Config config) {
    this.database = database;
    this.config = config;
  }

  /** Starts {@code size} nodes; {@code initEntities} registers the sharded entities on each. */
  public static ClusterHarness start(int size, Consumer<ActorSystem<?>> initEntities) {
    return start(size, ConfigFactory.empty(), (system, metrics) -> initEntities.accept(system));
  }

  /**
   * Starts {@code size} nodes and waits until all are Up.
   *
   * @param size number of nodes
   * @param extra configuration over the harness defaults (not the ports or the database)
   * @param initEntities registers the sharded entities on each node (with its metrics)
   */
  public static ClusterHarness start(
      int size, Config extra, BiConsumer<ActorSystem<?>, AutopilotMetrics> initEntities) {
    PostgresTestDatabase database = PostgresTestDatabase.create("autopilot_cluster_it");
    Config config =
        RuntimeConfig.load("local", extra.withFallback(DEFAULTS).withFallback(database.config()));
    ClusterHarness harness = new ClusterHarness(database, config);
    try {
      for (int i = 0; i < size; i++) {
        AutopilotNode node = AutopilotNode.start(config, initEntities);
        harness.nodes.add(node);
        harness.running.add(true);
        Address seed = Cluster.get(harness.nodes.get(0).system()).selfMember().address();
        Cluster.get(node.system()).manager().tell(Join.create(seed));
        if (i == 0) {
          node.awaitUp(START_TIMEOUT);
        }
      }
      harness.awaitMembersUp(size, START_TIMEOUT);
      return harness;
    } catch (RuntimeException | Error e) {
      harness.close();
      throw e;
    }
  }

  /** The resolved configuration every node was started with. */
  public Config config() {
    return config;
  }

  /** The shared journal database. */
  public PostgresTestDatabase database() {
    return database;
  }

  /** Number of nodes started (running or not). */
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
   * @throws AssertionError on timeout
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
   * @throws AssertionError when no node hosts it within the timeout
   */
  public int nodeHosting(EntityTypeKey<?> key, String entityId, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (int i : runningNodes()) {
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
          boolean hosts =
              state.getShards().stream().anyMatch(s -> s.getEntityIds().contains(entityId));
          if (hosts) {
            return i;
          }
        } catch (ExecutionException | TimeoutException e) {
          // This node's region did not answer in time; ask the next one.
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
      }
      sleep(100);
    }
    throw new AssertionError("no running node hosts " + key.name() + "/" + entityId);
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
        throw new AssertionError("interrupted", e);
      }
    }
    throw new AssertionError(
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
      throw new AssertionError("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("node " + i + " did not terminate", e);
    }
  }

  /** Node {@code i} leaves gracefully (coordinated shutdown: its shards are handed over). */
  public void leave(int i) {
    running.set(i, false);
    nodes.get(i).close();
  }

  /** Stops every running node and drops the database. */
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
      database.close();
    }
  }

  private static void awaitCondition(
      java.util.function.BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      sleep(100);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
