package dev.autopilot.runtime.bench;

import dev.autopilot.api.Action;
import dev.autopilot.api.FailureMode;
import java.util.List;

/**
 * Ground truth about the faults a pipeline has, as a human on call would eventually learn it: which
 * fault, where, since when, and what fixes it. It models the operator who reads the alert, logs and
 * dashboards and knows the runbook.
 *
 * <p>Used ONLY by the baseline controllers (their human, their alerting) and, through the runner's
 * records, by the scorer. Never given to the agents: they see only telemetry.
 */
@FunctionalInterface
public interface FaultOracle {

  /**
   * The faults active on a pipeline at a tick (started at or before it, not yet resolved), in start
   * order.
   */
  List<ActiveFault> activeFaults(String pipelineId, long tick);

  /**
   * One active fault.
   *
   * @param id fault id (as in {@link FaultRecord#id()})
   * @param mode its failure mode
   * @param target the operator or node it hits
   * @param startTick the tick it started
   * @param fixes the actions that fix it, best first; the baselines' human applies the first
   */
  record ActiveFault(
      String id, FailureMode mode, String target, long startTick, List<Action> fixes) {
    public ActiveFault {
      fixes = List.copyOf(fixes);
    }
  }
}
