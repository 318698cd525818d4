package dev.autopilot.runtime.bench.baseline;

import dev.autopilot.api.Action;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.runtime.bench.FaultOracle;
import dev.autopilot.runtime.bench.baseline.BaselineStep.FaultEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The static baseline: the pipeline runs a fixed configuration sized for the regular peak and is
 * never rescaled. Faults are handled by a human on call: {@link
 * StaticSettings#humanFixDelayTicks()} after a fault starts (12.5 minutes by default), the human
 * notices it and applies the correct fix, the first of {@link FaultOracle.ActiveFault#fixes()}. A
 * fault is handled once; a fault that healed before the human got to it (no longer active) is not
 * touched, and a fault without a known fix is only detected.
 *
 * <p>The runner deploys {@link #initialConfig()} before tick 0; this controller never emits a
 * configuration change of its own. One instance per pipeline.
 */
public final class StaticController implements BaselineController {

  private final PipelineConfig peakConfig;
  private final StaticSettings settings;
  private final FaultOracle oracle;
  private final Set<String> handled = new HashSet<>();

  /**
   * @param peakConfig the configuration sized for the regular peak (the runner computes it)
   * @param settings timing of the human on call
   * @param oracle ground truth of the active faults, as the human learns it
   */
  public StaticController(PipelineConfig peakConfig, StaticSettings settings, FaultOracle oracle) {
    List<String> errors = Objects.requireNonNull(peakConfig, "peakConfig").structuralErrors();
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("peak configuration is not runnable: " + errors);
    }
    this.peakConfig = peakConfig;
    this.settings = Objects.requireNonNull(settings, "settings");
    this.oracle = Objects.requireNonNull(oracle, "oracle");
  }

  /** The fixed configuration the pipeline runs all along. */
  public PipelineConfig initialConfig() {
    return peakConfig;
  }

  @Override
  public BaselineStep onTick(TelemetrySnapshot snapshot) {
    long tick = snapshot.tick();
    List<Action> actions = new ArrayList<>();
    List<FaultEvent> events = new ArrayList<>();
    for (FaultOracle.ActiveFault f : oracle.activeFaults(snapshot.pipelineId(), tick)) {
      if (handled.contains(f.id()) || tick < f.startTick() + settings.humanFixDelayTicks()) {
        continue;
      }
      handled.add(f.id());
      events.add(new FaultEvent(f.id(), FaultEvent.Kind.DETECTED, tick, true, null));
      if (!f.fixes().isEmpty()) {
        Action fix = f.fixes().get(0);
        actions.add(fix);
        events.add(new FaultEvent(f.id(), FaultEvent.Kind.FIX_APPLIED, tick, true, fix.describe()));
      }
    }
    return new BaselineStep(actions, events);
  }
}
