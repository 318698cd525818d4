package dev.autopilot.runtime.run;

import dev.autopilot.api.PipelineConfig;
import dev.autopilot.runtime.bench.FaultOracle;
import dev.autopilot.runtime.bench.RunRecorder;
import dev.autopilot.runtime.sim.Fault;
import dev.autopilot.runtime.sim.GroundTruth;
import dev.autopilot.runtime.sim.SimulatedPlatform;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the run's fault records in step with the simulator's ground truth: injections and
 * resolutions go to the {@link RunRecorder}, and the baselines' {@link FaultOracle} is served from
 * here. A resolution is automatic unless the fault healed by itself or a human applied a fix for
 * it first.
 */
final class FaultBook implements FaultOracle {
  private static final String SELF_HEALED = "self-healed";

  private final SimulatedPlatform platform;
  private final RunRecorder recorder;
  private final Set<String> seen = new HashSet<>();
  private final Set<String> resolved = new HashSet<>();
  private final Set<String> fixedByHuman = new HashSet<>();
  private final Map<String, PipelineConfig> lastConfig = new HashMap<>();
  private final Map<String, PipelineConfig> configBeforeFault = new HashMap<>();
  private final Map<String, List<Fault>> active = new LinkedHashMap<>();

  FaultBook(SimulatedPlatform platform, RunRecorder recorder) {
    this.platform = platform;
    this.recorder = recorder;
  }

  /** Reads the truth of one pipeline at the current tick; call once per pipeline per tick. */
  GroundTruth update(String pipelineId) {
    GroundTruth truth = platform.truth(pipelineId);
    List<Fault> all = new ArrayList<>(truth.resolvedFaults());
    all.addAll(truth.activeFaults());
    for (Fault f : all) {
      if (seen.add(f.id())) {
        recorder.faultInjected(
            f.id(), f.mode().name(), f.pipelineId(), f.injectedTick(), f.parentId() != null);
        PipelineConfig before = lastConfig.getOrDefault(pipelineId, truth.config());
        configBeforeFault.put(f.id(), before);
      }
      if (!f.active() && resolved.add(f.id())) {
        boolean automatic = !SELF_HEALED.equals(f.resolvedBy()) && !fixedByHuman.contains(f.id());
        recorder.faultResolved(f.id(), f.resolvedTick(), automatic);
      }
    }
    active.put(pipelineId, truth.activeFaults());
    lastConfig.put(pipelineId, truth.config());
    return truth;
  }

  /** A human applied a fix for this fault; its resolution no longer counts as automatic. */
  void fixedByHuman(String faultId) {
    fixedByHuman.add(faultId);
  }

  /** The faults active on a pipeline at its last update. */
  List<Fault> active(String pipelineId) {
    return active.getOrDefault(pipelineId, List.of());
  }

  @Override
  public List<ActiveFault> activeFaults(String pipelineId, long tick) {
    List<ActiveFault> out = new ArrayList<>();
    PipelineConfig current = lastConfig.get(pipelineId);
    for (Fault f : active(pipelineId)) {
      if (f.injectedTick() <= tick) {
        out.add(
            new ActiveFault(
                f.id(),
                f.mode(),
                f.target(),
                f.injectedTick(),
                FixPlanner.fixes(f, current, configBeforeFault.getOrDefault(f.id(), current))));
      }
    }
    return out;
  }
}
