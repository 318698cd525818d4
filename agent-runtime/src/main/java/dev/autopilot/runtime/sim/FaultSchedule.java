package dev.autopilot.runtime.sim;

import dev.autopilot.api.FailureMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The faults of a scenario, planned before the run so that every controller faces the same faults
 * at the same ticks. Cascades are planned as a flag on the parent; the child appears at run time
 * (its timing depends on the parent still being active).
 */
public record FaultSchedule(List<PlannedFault> faults) {

  /**
   * One planned fault.
   *
   * @param id fault id
   * @param tick injection tick
   * @param pipelineId target pipeline
   * @param mode failure mode
   * @param target operator or node id; null lets the platform pick one when it injects
   * @param cascade whether the fault spawns its cascade child (only for the modes that have one)
   */
  public record PlannedFault(
      String id, long tick, String pipelineId, FailureMode mode, String target, boolean cascade) {}

  public FaultSchedule {
    faults =
        faults.stream().sorted(Comparator.comparingLong(PlannedFault::tick)).toList();
  }

  /** No faults. */
  public static FaultSchedule none() {
    return new FaultSchedule(List.of());
  }

  /**
   * Generates a schedule: {@code count} faults spread evenly over the run after a warm-up, covering
   * every mode once before any repeats (so all 15 when count >= 15, and count distinct modes
   * otherwise), pipelines taken round-robin, and a share of the cascade-capable modes flagged as
   * cascades.
   */
  public static FaultSchedule generate(
      SimSettings.FaultSettings settings,
      long seed,
      List<String> pipelineIds,
      long ticks,
      int tickSeconds,
      int count) {
    if (count <= 0 || pipelineIds.isEmpty()) {
      return none();
    }
    SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
    long warmUp = Math.min(ticks / 4, Math.round(settings.firstFaultHours() * 3600 / tickSeconds));
    long span = Math.max(1, ticks - warmUp);
    long slot = Math.max(1, span / count);
    List<FailureMode> modes = new ArrayList<>();
    while (modes.size() < count) {
      List<FailureMode> round = new ArrayList<>(Arrays.asList(FailureMode.values()));
      Collections.shuffle(round, new java.util.Random(rnd.nextLong()));
      modes.addAll(round);
    }
    // a share of the cascade-capable faults (at least one) cascade; a memory leak always does
    // when it is left alone (the OOM kill crashes the task)
    List<Integer> capable = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      FailureMode m = modes.get(i);
      if (FaultCatalogue.entry(m).cascadesTo() != null && m != FailureMode.MEMORY_LEAK) {
        capable.add(i);
      }
    }
    Collections.shuffle(capable, new java.util.Random(rnd.nextLong()));
    int cascades = capable.isEmpty() ? 0 : Math.max(1, (int) Math.round(settings.cascadeShare() * capable.size()));
    Set<Integer> cascading = new java.util.HashSet<>(capable.subList(0, cascades));
    List<PlannedFault> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      FailureMode mode = modes.get(i);
      long tick = warmUp + i * slot + (long) (rnd.nextDouble() * slot * 0.5);
      boolean cascade = cascading.contains(i) || mode == FailureMode.MEMORY_LEAK;
      out.add(
          new PlannedFault(
              "f-" + (i + 1), Math.min(ticks - 1, tick), pipelineIds.get(i % pipelineIds.size()), mode, null, cascade));
    }
    return new FaultSchedule(out);
  }

  /** The faults planned for one tick. */
  public List<PlannedFault> at(long tick) {
    List<PlannedFault> out = new ArrayList<>();
    for (PlannedFault f : faults) {
      if (f.tick() == tick) {
        out.add(f);
      }
    }
    return out;
  }

  /** The distinct modes planned. */
  public Set<FailureMode> modes() {
    Set<FailureMode> s = EnumSet.noneOf(FailureMode.class);
    faults.forEach(f -> s.add(f.mode()));
    return s;
  }
}
