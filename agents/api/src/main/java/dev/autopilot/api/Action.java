package dev.autopilot.api;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Map;

/**
 * What an agent proposes and the actuator executes: either a configuration change or a recovery
 * action on the ladder L1 → L2 → L3 (DESIGN.md section 3).
 *
 * <p>Every action names the configuration it leaves the pipeline in ({@link
 * #targetConfig(PipelineConfig)}); for recovery actions that do not touch configuration this is
 * the current one. The actuator applies the target declaratively and hands recovery actions to
 * the platform's recover role.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Action.Rescale.class, name = "rescale"),
  @JsonSubTypes.Type(value = Action.ScaleTaskManagers.class, name = "scale-taskmanagers"),
  @JsonSubTypes.Type(value = Action.SetResources.class, name = "set-resources"),
  @JsonSubTypes.Type(value = Action.SetNetworkBuffers.class, name = "set-network-buffers"),
  @JsonSubTypes.Type(value = Action.SetCheckpointInterval.class, name = "set-checkpoint-interval"),
  @JsonSubTypes.Type(value = Action.Reconfigure.class, name = "reconfigure"),
  @JsonSubTypes.Type(value = Action.RestartTask.class, name = "restart-task"),
  @JsonSubTypes.Type(value = Action.ExpandBuffers.class, name = "expand-buffers"),
  @JsonSubTypes.Type(value = Action.Reconnect.class, name = "reconnect"),
  @JsonSubTypes.Type(value = Action.RedeployOperator.class, name = "redeploy-operator"),
  @JsonSubTypes.Type(value = Action.RestoreCheckpoint.class, name = "restore-checkpoint"),
  @JsonSubTypes.Type(value = Action.Redistribute.class, name = "redistribute"),
  @JsonSubTypes.Type(value = Action.FullRestart.class, name = "full-restart"),
  @JsonSubTypes.Type(value = Action.DrainNode.class, name = "drain-node"),
  @JsonSubTypes.Type(value = Action.Failover.class, name = "failover")
})
public sealed interface Action permits Action.ConfigChange, Action.RecoveryAction {

  /** The configuration the pipeline runs once this action is done. */
  PipelineConfig targetConfig(PipelineConfig current);

  /** Short human description for logs, explanations and the audit table. */
  String describe();

  /** Rung of the recovery ladder. */
  enum Level {
    L1,
    L2,
    L3
  }

  // ---------------------------------------------------------------- configuration changes

  /** A change of configuration only; applied through {@link Platform#apply}. */
  sealed interface ConfigChange extends Action
      permits Rescale, ScaleTaskManagers, SetResources, SetNetworkBuffers, SetCheckpointInterval,
          Reconfigure {}

  /** New parallelism for some operators; the others keep theirs. A rescale restarts from checkpoint. */
  record Rescale(Map<String, Integer> parallelism) implements ConfigChange {
    public Rescale {
      parallelism = Map.copyOf(parallelism);
    }

    @Override
    public PipelineConfig targetConfig(PipelineConfig current) {
      return current.withParallelism(parallelism);
    }

    @Override
    public String describe() {
      return "rescale " + parallelism;
    }
  }

  /** A new TaskManager count. */
  record ScaleTaskManagers(int taskManagers) implements ConfigChange {
    @Override
    public PipelineConfig targetConfig(PipelineConfig current) {
      return current.withTaskManagers(taskManagers);
    }

    @Override
    public String describe() {
      return "scale TaskManagers to " + taskManagers;
    }
  }

  /** New CPU and memory per TaskManager. */
  record SetResources(double cpu, double memoryGb) implements ConfigChange {
    @Override
    public PipelineConfig targetConfig(PipelineConfig current) {
      return current.withResources(cpu, memoryGb);
    }

    @Override
    public String describe() {
      return "set TaskManager resources " + cpu + " cores / " + memoryGb + " GB";
    }
  }

  /** New network buffer memory per TaskManager. */
  record SetNetworkBuffers(int megabytes) implements ConfigChange {
    @Override
    public PipelineConfig targetConfig(PipelineConfig current) {
      return current.withNetworkBufferMb(megabytes);
    }

    @Override
    public String describe() {
      return "set network buffers to " + megabytes + " MB";
    }
  }

  /** New checkpoint interval. */
  record SetCheckpointInterval(int seconds) implements ConfigChange {
    @Override
    public PipelineConfig targetConfig(PipelineConfig current) {
      return current.withCheckpointIntervalSeconds(seconds);
    }

    @Override
    public String describe() {
      return "set checkpoint interval to " + seconds + " s";
    }
  }

  /** A whole target configuration (several dimensions at once, or a rollback). */
  record Reconfigure(PipelineConfig target, String reason) implements ConfigChange {
    @Override
    public PipelineConfig targetConfig(PipelineConfig current) {
      return target;
    }

    @Override
    public String describe() {
      return "reconfigure to " + target.summary() + (reason == null ? "" : " (" + reason + ")");
    }
  }

  // ---------------------------------------------------------------- recovery actions

  /** A recovery action on the ladder; executed through {@link Platform#recover}. */
  sealed interface RecoveryAction extends Action
      permits RestartTask, ExpandBuffers, Reconnect, RedeployOperator, RestoreCheckpoint,
          Redistribute, FullRestart, DrainNode, Failover {
    Level level();

    @Override
    default PipelineConfig targetConfig(PipelineConfig current) {
      return current;
    }
  }

  /** L1: restart the failed tasks of an operator from the latest checkpoint. */
  record RestartTask(String operatorId) implements RecoveryAction {
    @Override
    public Level level() {
      return Level.L1;
    }

    @Override
    public String describe() {
      return "L1 restart tasks of " + operatorId;
    }
  }

  /** L1: expand network buffers (32 → 48 MB by default). */
  record ExpandBuffers(int fromMb, int toMb) implements RecoveryAction {
    @Override
    public Level level() {
      return Level.L1;
    }

    @Override
    public PipelineConfig targetConfig(PipelineConfig current) {
      return current.withNetworkBufferMb(toMb);
    }

    @Override
    public String describe() {
      return "L1 expand buffers " + fromMb + " -> " + toMb + " MB";
    }
  }

  /** L1: re-establish connections to an external system or peer. */
  record Reconnect(String target) implements RecoveryAction {
    @Override
    public Level level() {
      return Level.L1;
    }

    @Override
    public String describe() {
      return "L1 reconnect " + target;
    }
  }

  /** L2: redeploy one operator with a changed parallelism. */
  record RedeployOperator(String operatorId, int parallelism) implements RecoveryAction {
    @Override
    public Level level() {
      return Level.L2;
    }

    @Override
    public PipelineConfig targetConfig(PipelineConfig current) {
      return current.withParallelism(Map.of(operatorId, parallelism));
    }

    @Override
    public String describe() {
      return "L2 redeploy " + operatorId + " at parallelism " + parallelism;
    }
  }

  /** L2: restore a checkpoint older than the latest (1 = the one before the latest). */
  record RestoreCheckpoint(int checkpointsBack) implements RecoveryAction {
    @Override
    public Level level() {
      return Level.L2;
    }

    @Override
    public String describe() {
      return "L2 restore checkpoint " + checkpointsBack + " back";
    }
  }

  /** L2: redistribute subtasks away from a node (null: rebalance over all nodes). */
  record Redistribute(String fromNode) implements RecoveryAction {
    @Override
    public Level level() {
      return Level.L2;
    }

    @Override
    public String describe() {
      return "L2 redistribute" + (fromNode == null ? "" : " away from " + fromNode);
    }
  }

  /** L3: full job restart, with the given configuration. */
  record FullRestart(PipelineConfig config) implements RecoveryAction {
    @Override
    public Level level() {
      return Level.L3;
    }

    @Override
    public PipelineConfig targetConfig(PipelineConfig current) {
      return config == null ? current : config;
    }

    @Override
    public String describe() {
      return "L3 full restart" + (config == null ? "" : " with " + config.summary());
    }
  }

  /** L3: cordon and drain a node; its pods are rescheduled elsewhere. */
  record DrainNode(String nodeId) implements RecoveryAction {
    @Override
    public Level level() {
      return Level.L3;
    }

    @Override
    public String describe() {
      return "L3 cordon and drain " + nodeId;
    }
  }

  /** L3: fail over to a standby (fresh cluster resources, restore from the last checkpoint). */
  record Failover() implements RecoveryAction {
    @Override
    public Level level() {
      return Level.L3;
    }

    @Override
    public String describe() {
      return "L3 fail over";
    }
  }
}
