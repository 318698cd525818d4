package dev.autopilot.runtime.flink.embedded;

import dev.autopilot.api.PipelineConfig;
import dev.autopilot.runtime.flink.FlinkJobLauncher;
import java.util.Optional;
import org.apache.flink.api.common.JobID;

/**
 * Submits the taxi-trip job to the embedded MiniCluster, for the Flink REST platform's changes
 * that need a new submission (stop-with-savepoint and resubmit, restart from a checkpoint). It
 * does not provision TaskManagers: the MiniCluster's are fixed (only the fault injector and its
 * replacement change them).
 */
public final class EmbeddedJobLauncher implements FlinkJobLauncher {
  private final EmbeddedFlinkCluster cluster;
  private volatile JobID current;

  public EmbeddedJobLauncher(EmbeddedFlinkCluster cluster) {
    this.cluster = cluster;
  }

  @Override
  public JobID submit(String pipelineId, PipelineConfig config, Optional<String> restorePath) {
    JobID id = cluster.submit(config, restorePath.orElse(null));
    current = id;
    return id;
  }

  /** The id of the job submitted last (hex), or null before the first submission. */
  public String currentJobId() {
    JobID id = current;
    return id == null ? null : id.toHexString();
  }
}
