package dev.autopilot.runtime.flink;

import dev.autopilot.api.PipelineConfig;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.flink.api.common.JobID;

/**
 * Submits a pipeline's Flink job: the port through which {@link FlinkRestPlatform} owns a job. The
 * REST API can rescale a running job, trigger savepoints, stop and cancel it, but it cannot build
 * the job again; whatever needs a new submission (a new checkpoint interval, a restart from a
 * checkpoint) goes through this port. Without a launcher the platform only observes, rescales and
 * takes savepoints, and rejects everything else with a clear message.
 *
 * <p>The submitted job must be named as the platform expects (the pipeline's job name, see {@link
 * FlinkRestPlatform#create}) and its vertices must map to the operator ids of the configuration
 * (see {@link FlinkSnapshotMapper#operatorId(String)}), with each vertex at the parallelism the
 * configuration gives its operator. Operators that keep state need stable uids so the job restores
 * from the savepoint or checkpoint it is given.
 */
public interface FlinkJobLauncher {

  /**
   * Submits the pipeline's job with the given configuration.
   *
   * @param pipelineId the pipeline
   * @param config the configuration to run: per-operator parallelism and the checkpoint interval
   *     (and, when {@link #provisionsTaskManagers()}, the TaskManager count, resources and network
   *     buffers)
   * @param restorePath savepoint or retained checkpoint to restore from; empty for a fresh start
   * @return the id of the submitted job
   * @throws Exception when the submission fails; the platform reports it as a {@link
   *     dev.autopilot.api.PlatformException}
   */
  JobID submit(String pipelineId, PipelineConfig config, Optional<String> restorePath)
      throws Exception;

  /**
   * Whether {@link #submit} also provisions the TaskManagers the configuration describes (count,
   * CPU, memory, network buffers), as an application or per-job cluster does. A launcher that
   * submits to a shared session cluster (or a MiniCluster) does not, and the platform rejects
   * TaskManager changes instead of pretending to apply them.
   */
  default boolean provisionsTaskManagers() {
    return false;
  }

  /**
   * The TaskManager count provisioned for the configuration submitted last, when this launcher
   * provisions them and has submitted: the count the job should run on, which the platform reports
   * as the configured one (the REST API only lists the TaskManagers that are registered). Empty
   * when unknown.
   */
  default OptionalInt provisionedTaskManagers() {
    return OptionalInt.empty();
  }
}
