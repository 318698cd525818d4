package dev.autopilot.runtime.flink.embedded;

import dev.autopilot.api.PipelineConfig;
import java.net.URI;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flink 1.20 MiniCluster in this JVM, configured as a small real cluster the agents can manage
 * over REST: the adaptive scheduler with no minimum scaling interval (so {@code PUT
 * /jobs/:id/resource-requirements} rescales in about half a second), the REST endpoint on a free
 * port, a 100 ms web refresh and a 1 s metric fetcher, {@code task-managers x
 * slots-per-task-manager} slots, a fixed-delay restart strategy, checkpoints to the run's
 * directory.
 *
 * <p>Besides REST, only the {@link FaultInjector} (terminating and replacing TaskManagers) and the
 * job launcher (submitting the job) touch it.
 */
public final class EmbeddedFlinkCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedFlinkCluster.class);

  private final EmbeddedFlinkSettings settings;
  private final MiniCluster cluster;
  private final URI restUri;
  private final java.util.Set<Integer> terminated = new java.util.HashSet<>();
  private int started;

  private EmbeddedFlinkCluster(EmbeddedFlinkSettings settings, MiniCluster cluster, URI restUri) {
    this.settings = settings;
    this.cluster = cluster;
    this.restUri = restUri;
    this.started = settings.taskManagers();
  }

  /** The Flink configuration of the embedded cluster. */
  static Configuration flinkConfiguration(EmbeddedFlinkSettings settings) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("jobmanager.scheduler", "adaptive");
    m.put("jobmanager.adaptive-scheduler.scaling-interval.min", "0 s");
    m.put("jobmanager.adaptive-scheduler.resource-stabilization-timeout", "1 s");
    m.put("jobmanager.adaptive-scheduler.resource-wait-timeout", "5 min");
    m.put("rest.bind-port", "0");
    m.put("rest.address", "127.0.0.1");
    m.put("rest.bind-address", "127.0.0.1");
    m.put("web.refresh-interval", "100");
    m.put("metrics.fetcher.update-interval", "1 s");
    m.put("taskmanager.numberOfTaskSlots", Integer.toString(settings.slotsPerTaskManager()));
    m.put("restart-strategy.type", "fixed-delay");
    m.put("restart-strategy.fixed-delay.attempts", Integer.toString(Integer.MAX_VALUE));
    m.put("restart-strategy.fixed-delay.delay", settings.restartDelay().toMillis() + " ms");
    m.put("state.backend.type", "hashmap");
    m.put("state.checkpoints.dir", settings.checkpointDir().toUri().toString());
    m.put(
        "state.savepoints.dir", settings.checkpointDir().resolve("savepoints").toUri().toString());
    m.put("heartbeat.interval", "1000");
    m.put("heartbeat.timeout", "5000");
    m.put("taskmanager.memory.network.min", "32 mb");
    m.put("taskmanager.memory.network.max", "32 mb");
    return Configuration.fromMap(m);
  }

  /**
   * Starts the cluster.
   *
   * @throws IllegalStateException when the MiniCluster does not start
   */
  public static EmbeddedFlinkCluster start(EmbeddedFlinkSettings settings) {
    try {
      Files.createDirectories(settings.checkpointDir());
      MiniCluster cluster =
          new MiniCluster(
              new MiniClusterConfiguration.Builder()
                  .setConfiguration(flinkConfiguration(settings))
                  .setNumTaskManagers(settings.taskManagers())
                  .setNumSlotsPerTaskManager(settings.slotsPerTaskManager())
                  .build());
      cluster.start();
      URI rest = cluster.getRestAddress().get(60, TimeUnit.SECONDS);
      LOG.info(
          "Embedded Flink MiniCluster up: {} TaskManagers x {} slots, REST {}",
          settings.taskManagers(),
          settings.slotsPerTaskManager(),
          rest);
      return new EmbeddedFlinkCluster(settings, cluster, rest);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the embedded Flink MiniCluster: " + e, e);
    }
  }

  /** The REST endpoint's base URI (http://127.0.0.1:port). */
  public URI restUri() {
    return restUri;
  }

  public EmbeddedFlinkSettings settings() {
    return settings;
  }

  /** Submits the taxi-trip job with the given configuration, restoring from {@code restorePath}. */
  public JobID submit(PipelineConfig config, String restorePath) {
    return submit(TaxiTripJob.jobGraph(settings, config, restorePath));
  }

  /** Submits a job graph (the taxi-trip job, or a test's own job on the same cluster setup). */
  public JobID submit(JobGraph graph) {
    try {
      return cluster.submitJob(graph).get(60, TimeUnit.SECONDS).getJobID();
    } catch (Exception e) {
      throw new IllegalStateException("cannot submit job '" + graph.getName() + "': " + e, e);
    }
  }

  /**
   * Terminates a live TaskManager and waits until it is gone (about 2.3 s): the one whose resource
   * id is {@code preferredResourceId} when it is live, else the live one started last. The
   * MiniCluster keeps terminated TaskManagers in its list, so the live indexes are tracked here.
   *
   * @param preferredResourceId resource id of the TaskManager to hit (as the REST API lists it), or
   *     null
   * @return the MiniCluster index of the terminated TaskManager
   * @throws IllegalStateException when no TaskManager is live or it does not stop
   */
  public synchronized int terminateTaskManager(String preferredResourceId) {
    int index = -1;
    List<String> ids = resourceIds();
    for (int i = started - 1; i >= 0; i--) {
      if (!terminated.contains(i)
          && (index < 0 || (i < ids.size() && ids.get(i).equals(preferredResourceId)))) {
        index = i;
      }
    }
    if (index < 0) {
      throw new IllegalStateException("no live TaskManager to terminate");
    }
    try {
      cluster.terminateTaskManager(index).get(60, TimeUnit.SECONDS);
      terminated.add(index);
      return index;
    } catch (Exception e) {
      throw new IllegalStateException("cannot terminate TaskManager " + index + ": " + e, e);
    }
  }

  /** Starts one more TaskManager (a replacement pod). */
  public synchronized void startTaskManager() {
    try {
      cluster.startTaskManager();
      started++;
    } catch (Exception e) {
      throw new IllegalStateException("cannot start a TaskManager: " + e, e);
    }
  }

  /**
   * Resource ids of the MiniCluster's TaskManagers, by index (terminated ones included). The
   * MiniCluster has no accessor for them, so its private list is read by reflection: chaos-hook
   * code, never used by the agents; empty if this Flink version lays the class out differently.
   */
  private List<String> resourceIds() {
    try {
      java.lang.reflect.Field f = MiniCluster.class.getDeclaredField("taskManagers");
      f.setAccessible(true);
      List<?> tms = (List<?>) f.get(cluster);
      List<String> ids = new java.util.ArrayList<>();
      for (Object tm : tms) {
        ids.add(
            ((org.apache.flink.runtime.taskexecutor.TaskExecutor) tm)
                .getResourceID()
                .getResourceIdString());
      }
      return ids;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("Cannot read the MiniCluster's TaskManager ids: {}", e.toString());
      return List.of();
    }
  }

  /** TaskManagers started and not terminated. */
  public synchronized int liveTaskManagers() {
    return started - terminated.size();
  }

  /** The underlying MiniCluster (for the launcher's cancel and savepoint calls). */
  MiniCluster miniCluster() {
    return cluster;
  }

  @Override
  public void close() {
    try {
      cluster.close();
    } catch (Exception e) {
      LOG.warn("Embedded Flink MiniCluster did not close cleanly", e);
    }
  }
}
