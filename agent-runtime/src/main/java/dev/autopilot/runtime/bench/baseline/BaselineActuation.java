package dev.autopilot.runtime.bench.baseline;

import dev.autopilot.api.Action;
import dev.autopilot.api.ActuationResult;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.Platform;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.runtime.bench.RunRecorder;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a baseline's decisions for one tick through the {@link Platform} port and records them,
 * so a runner drives the baselines the same way whatever platform it uses.
 *
 * <p>Actions run in order, each from the configuration the previous one left:
 *
 * <ul>
 *   <li>a {@link Action.ConfigChange} through {@link Platform#apply} with its target configuration;
 *   <li>a {@link Action.RecoveryAction} through {@link Platform#recover}, with the derived action
 *       id {@code <controller>-<pipeline>-<tick>-<n>} (n counts from 0 within the tick).
 * </ul>
 *
 * An action the platform reports as {@link ActuationResult.Outcome#APPLIED} is listed for the tick
 * record; when it changed the configuration it is also a config change of the run. A {@link
 * PlatformException} is reported as a failure and the next action still runs. The step's detections
 * go to the recorder.
 */
public final class BaselineActuation {

  private BaselineActuation() {}

  /**
   * What happened to one step's actions.
   *
   * @param applied the actions the platform applied, described, in order (for {@code
   *     TickRecord.actions})
   * @param failures the actions the platform refused or failed, with the reason
   * @param config the configuration after the applied actions
   */
  public record Outcome(List<String> applied, List<String> failures, PipelineConfig config) {
    public Outcome {
      applied = List.copyOf(applied);
      failures = List.copyOf(failures);
    }
  }

  /** Applies {@code step} (decided on {@code snapshot}) and records it in {@code recorder}. */
  public static Outcome apply(
      Platform platform,
      String controllerId,
      TelemetrySnapshot snapshot,
      BaselineStep step,
      RunRecorder recorder) {
    String pipeline = snapshot.pipelineId();
    long tick = snapshot.tick();
    PipelineConfig current = snapshot.config();
    List<String> applied = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    int n = 0;
    for (Action action : step.actions()) {
      PipelineConfig target = action.targetConfig(current);
      try {
        ActuationResult result =
            action instanceof Action.RecoveryAction recovery
                ? platform.recover(
                    pipeline, controllerId + "-" + pipeline + "-" + tick + "-" + n, recovery)
                : platform.apply(pipeline, target);
        if (result.outcome() == ActuationResult.Outcome.APPLIED) {
          applied.add(action.describe());
          if (!target.equals(current)) {
            recorder.configChange(tick, pipeline, action.describe());
          }
          current = target;
        }
      } catch (PlatformException e) {
        failures.add(action.describe() + ": " + e.kind() + " " + e.getMessage());
      }
      n++;
    }
    recorder.baselineStep(step);
    return new Outcome(applied, failures, current);
  }
}
