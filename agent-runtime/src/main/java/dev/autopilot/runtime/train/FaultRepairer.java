package dev.autopilot.runtime.train;

import dev.autopilot.api.Action;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.runtime.run.FixPlanner;
import dev.autopilot.runtime.sim.Fault;
import dev.autopilot.runtime.sim.SimulatedPlatform;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Repairs the simulator's faults the way the loop eventually does, for training data that must look
 * like operation under the autopilot: when a fault becomes active, after a random detection delay
 * ({@value DetectorData#FIX_DELAY_MIN} + up to {@value DetectorData#FIX_DELAY_SPREAD} ticks) the
 * fault catalogue's fixes ({@link FixPlanner}) are applied in turn, {@value
 * DetectorData#FIX_RETRY_TICKS} ticks apart, until it resolves. Works from the ground truth (it is
 * the generator's oracle, not an agent). Not thread-safe; one per simulated pipeline.
 */
public final class FaultRepairer {

  private final String pipelineId;
  private final SplittableRandom rnd;
  private long nextFix = -1;
  private int fixIndex;
  private PipelineConfig healthyConfig;
  private int applied;

  public FaultRepairer(String pipelineId, SplittableRandom rnd) {
    this.pipelineId = pipelineId;
    this.rnd = rnd;
  }

  /** Fixes applied so far. */
  int applied() {
    return applied;
  }

  /**
   * Takes one tick: remembers the last configuration without a fault, schedules a repair when a
   * fault appears, and applies the next fix when one is due.
   *
   * @return whether a fault is active at this tick
   */
  public boolean onTick(SimulatedPlatform platform, TelemetrySnapshot s, long tick) {
    List<Fault> active = platform.truth(pipelineId).activeFaults();
    if (active.isEmpty()) {
      healthyConfig = s.config();
      nextFix = -1;
      fixIndex = 0;
      return false;
    }
    if (nextFix < 0) {
      nextFix =
          tick + DetectorData.FIX_DELAY_MIN + rnd.nextInt(DetectorData.FIX_DELAY_SPREAD);
      fixIndex = 0;
    }
    if (tick >= nextFix) {
      Fault f = active.get(0);
      PipelineConfig current = s.config();
      List<Action> fixes =
          FixPlanner.fixes(f, current, healthyConfig == null ? current : healthyConfig);
      if (!fixes.isEmpty()) {
        Action fix = fixes.get(fixIndex % fixes.size());
        fixIndex++;
        if (apply(platform, pipelineId, fix, current, "fix-" + tick + "-" + fixIndex)) {
          applied++;
        }
      }
      nextFix = tick + DetectorData.FIX_RETRY_TICKS;
    }
    return true;
  }

  /**
   * Applies one fix to the simulated platform: a recovery action through {@code recover}, a
   * configuration change as its target configuration. A fix the platform refuses is skipped.
   *
   * @return whether the platform took it
   */
  static boolean apply(
      SimulatedPlatform platform,
      String pipelineId,
      Action fix,
      PipelineConfig current,
      String actionId) {
    try {
      if (fix instanceof Action.RecoveryAction ra) {
        platform.recover(pipelineId, actionId, ra);
      } else {
        platform.apply(pipelineId, fix.targetConfig(current));
      }
      return true;
    } catch (PlatformException e) {
      return false; // not applicable here; the next fix follows
    }
  }
}
