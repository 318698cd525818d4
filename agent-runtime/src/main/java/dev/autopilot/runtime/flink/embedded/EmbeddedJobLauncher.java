package dev.autopilot.runtime.flink.embedded;

import dev.autopilot.api.PipelineConfig;
import dev.autopilot.runtime.flink.FlinkJobLauncher;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.flink.api.common.JobID;

/**
 * Submits the taxi-trip job to the embedded MiniCluster, for the Flink REST platform's changes that
 * need a new submission (stop-with-savepoint and resubmit, restart from a checkpoint).
 *
 * <p>It provisions TaskManagers as an application cluster would: before submitting, it starts or
 * terminates MiniCluster TaskManagers until the configuration's count runs (between 1 and {@code
 * max-task-managers}). Slots per TaskManager, CPU and memory are fixed by the MiniCluster: a
 * configuration asking for other slots is refused; CPU and memory are what the REST API reports of
 * this JVM's host and are left alone.
 */
public final class EmbeddedJobLauncher implements FlinkJobLauncher {
  private final EmbeddedFlinkCluster cluster;
  private volatile JobID current;
  private volatile int provisioned;

  private final int maxTaskManagers;

  /**
   * @param cluster the embedded cluster
   * @param maxTaskManagers the most TaskManagers a configuration may ask for
   */
  public EmbeddedJobLauncher(EmbeddedFlinkCluster cluster, int maxTaskManagers) {
    this.cluster = cluster;
    this.maxTaskManagers = maxTaskManagers;
  }

  @Override
  public boolean provisionsTaskManagers() {
    return true;
  }

  @Override
  public JobID submit(String pipelineId, PipelineConfig config, Optional<String> restorePath) {
    int slots = cluster.settings().slotsPerTaskManager();
    if (config.slotsPerTaskManager() != slots) {
      throw new IllegalArgumentException(
          "the embedded cluster's TaskManagers have "
              + slots
              + " slots each, cannot run "
              + config.slotsPerTaskManager());
    }
    int wanted = Math.max(1, Math.min(config.taskManagers(), maxTaskManagers));
    provisioned = wanted;
    while (cluster.liveTaskManagers() < wanted) {
      cluster.startTaskManager();
    }
    while (cluster.liveTaskManagers() > wanted) {
      cluster.terminateTaskManager(null);
    }
    JobID id = cluster.submit(config, restorePath.orElse(null));
    current = id;
    return id;
  }

  /** TaskManagers provisioned for the configuration submitted last; empty before the first. */
  @Override
  public OptionalInt provisionedTaskManagers() {
    int n = provisioned;
    return n > 0 ? OptionalInt.of(n) : OptionalInt.empty();
  }

  /** The id of the job submitted last (hex), or null before the first submission. */
  public String currentJobId() {
    JobID id = current;
    return id == null ? null : id.toHexString();
  }
}
