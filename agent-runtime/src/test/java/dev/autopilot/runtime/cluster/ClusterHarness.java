package dev.autopilot.runtime.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.runtime.PostgresTestDatabase;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.metrics.AutopilotMetrics;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * A {@link LocalCluster} of the local profile over a fresh PostgreSQL journal of its own ({@link
 * PostgresTestDatabase}: dropped when the cluster closes). PostgreSQL unreachable: the test fails
 * when {@code CI=true}, else it is skipped.
 */
public final class ClusterHarness {
  private ClusterHarness() {}

  /** Starts {@code size} nodes; {@code initEntities} registers the sharded entities on each. */
  public static LocalCluster start(int size, Consumer<ActorSystem<?>> initEntities) {
    return start(size, ConfigFactory.empty(), (system, metrics) -> initEntities.accept(system));
  }

  /**
   * Starts {@code size} nodes and waits until all are Up.
   *
   * @param size number of nodes
   * @param extra configuration over the local cluster's defaults (not the ports or the database)
   * @param initEntities registers the sharded entities on each node (with its metrics)
   */
  public static LocalCluster start(
      int size, Config extra, BiConsumer<ActorSystem<?>, AutopilotMetrics> initEntities) {
    ScratchDatabase database = PostgresTestDatabase.create("autopilot_cluster_it");
    Config config =
        RuntimeConfig.load(
            "local",
            extra.withFallback(LocalCluster.localDefaults()).withFallback(database.config()));
    return LocalCluster.start(size, config, initEntities, database::close);
  }
}
