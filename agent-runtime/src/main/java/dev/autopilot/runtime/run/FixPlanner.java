package dev.autopilot.runtime.run;

import dev.autopilot.api.Action;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.runtime.sim.Fault;
import dev.autopilot.runtime.sim.FaultCatalogue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The runbook of the baselines' human on call: for a fault whose true cause the human has
 * diagnosed, the concrete actions that fix it, best first, built from the fault catalogue's
 * effective action classes and the fault's target. Only the baselines use it; the agents must find
 * their own fix from telemetry.
 */
public final class FixPlanner {
  private FixPlanner() {}

  /**
   * @param fault the fault (ground truth)
   * @param current the configuration running now
   * @param beforeFault the configuration that ran before the fault (what a human restores after a
   *     bad rollout)
   */
  public static List<Action> fixes(Fault fault, PipelineConfig current, PipelineConfig beforeFault) {
    List<Action> fixes = new ArrayList<>();
    String target = fault.target();
    for (Class<? extends Action> type : FaultCatalogue.entry(fault.mode()).fixedBy()) {
      Action a = concrete(type, target, current, beforeFault);
      if (a != null) {
        fixes.add(a);
      }
    }
    return fixes;
  }

  private static Action concrete(
      Class<? extends Action> type, String target, PipelineConfig current, PipelineConfig before) {
    boolean operator = target != null && current.parallelism().containsKey(target);
    if (type == Action.RestartTask.class) {
      return operator ? new Action.RestartTask(target) : null;
    }
    if (type == Action.RedeployOperator.class) {
      return operator
          ? new Action.RedeployOperator(
              target, Math.min(256, (int) Math.ceil(current.parallelismOf(target) * 1.5)))
          : null;
    }
    if (type == Action.FullRestart.class) {
      return new Action.FullRestart(before);
    }
    if (type == Action.Failover.class) {
      return new Action.Failover();
    }
    if (type == Action.ExpandBuffers.class) {
      int mb = current.networkBufferMb();
      return new Action.ExpandBuffers(mb, Math.min(128, (int) Math.round(mb * 1.5)));
    }
    if (type == Action.SetCheckpointInterval.class) {
      return new Action.SetCheckpointInterval(Math.min(60, current.checkpointIntervalSeconds() * 2));
    }
    if (type == Action.Redistribute.class) {
      return new Action.Redistribute(operator ? null : target);
    }
    if (type == Action.DrainNode.class) {
      return operator || target == null ? null : new Action.DrainNode(target);
    }
    if (type == Action.Reconnect.class) {
      return new Action.Reconnect(target);
    }
    if (type == Action.RestoreCheckpoint.class) {
      return new Action.RestoreCheckpoint(1);
    }
    if (type == Action.Reconfigure.class) {
      return new Action.Reconfigure(before, "restore the configuration from before the fault");
    }
    if (type == Action.ScaleTaskManagers.class) {
      return new Action.ScaleTaskManagers(current.taskManagers() + Math.max(1, current.taskManagers() / 4));
    }
    if (type == Action.Rescale.class) {
      return new Action.Rescale(
          Map.copyOf(
              current.parallelism().entrySet().stream()
                  .collect(
                      java.util.stream.Collectors.toMap(
                          Map.Entry::getKey, e -> Math.min(256, e.getValue() + 4)))));
    }
    if (type == Action.SetResources.class) {
      return new Action.SetResources(Math.min(8, current.taskManagerCpu() + 2), current.taskManagerMemoryGb());
    }
    return null;
  }
}
