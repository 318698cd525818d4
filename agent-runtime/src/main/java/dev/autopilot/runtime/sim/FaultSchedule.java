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
   * @param nodes for a node fault with no target, how many distinct nodes it strikes at once (a
   *     network partition isolating 3 nodes is 3); the first keeps the id, the others get {@code
   *     <id>-n2}, {@code <id>-n3}... Always 1 for other faults.
   */
  public record PlannedFault(
      String id,
      long tick,
      String pipelineId,
      FailureMode mode,
      String target,
      boolean cascade,
      int nodes) {

    public PlannedFault {
      if (nodes < 1) {
        throw new IllegalArgumentException("a fault strikes at least one node, got " + nodes);
      }
      if (nodes > 1
          && (target != null
              || FaultCatalogue.entry(mode).targetKind() != FaultCatalogue.TargetKind.NODE)) {
        throw new IllegalArgumentException(
            "only an untargeted node fault can strike several nodes, not " + mode + " on " + target);
      }
    }

    /** A fault on one target. */
    public PlannedFault(
        String id, long tick, String pipelineId, FailureMode mode, String target, boolean cascade) {
      this(id, tick, pipelineId, mode, target, cascade, 1);
    }

    /** Its category: a cascade when it is flagged and its mode can start one, else its mode's. */
    public FaultCatalogue.Category category() {
      return cascade && FaultCatalogue.cascadeParents().contains(mode)
          ? FaultCatalogue.Category.CASCADE
          : FaultCatalogue.category(mode);
    }
  }

  /**
   * How many faults of each category a schedule plans (the paper's proportions: 87 infrastructure,
   * 142 application-level and 23 cascades per 4 weeks of nyc-taxi).
   */
  public record Plan(int infrastructure, int application, int cascade) {

    public Plan {
      if (infrastructure < 0 || application < 0 || cascade < 0) {
        throw new IllegalArgumentException(
            "fault counts must be >= 0, got " + infrastructure + "/" + application + "/" + cascade);
      }
    }

    /**
     * The counts of a plan stated per {@code perDays} days, scaled to {@code days} and rounded to the
     * nearest whole fault.
     */
    public static Plan scaled(
        int infrastructure, int application, int cascade, double perDays, double days) {
      if (!(perDays > 0) || !(days > 0)) {
        throw new IllegalArgumentException("days must be > 0, got " + perDays + " and " + days);
      }
      double k = days / perDays;
      return new Plan(
          (int) Math.round(infrastructure * k),
          (int) Math.round(application * k),
          (int) Math.round(cascade * k));
    }

    public int total() {
      return infrastructure + application + cascade;
    }

    int count(FaultCatalogue.Category c) {
      return switch (c) {
        case INFRASTRUCTURE -> infrastructure;
        case APPLICATION -> application;
        case CASCADE -> cascade;
      };
    }
  }

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

  /**
   * Generates a schedule with the plan's count of each category: the modes of a category are taken
   * in shuffled rounds (every mode of the category once before any repeats), the categories are
   * interleaved in a seeded random order, the faults are spread evenly over the run after a warm-up
   * as in {@link #generate(SimSettings.FaultSettings, long, List, long, int, int)}, and pipelines
   * are taken round-robin. A cascade is a fault of a {@link FaultCatalogue#cascadeParents()
   * cascade-capable} mode flagged to spawn its child.
   */
  public static FaultSchedule generate(
      SimSettings.FaultSettings settings,
      long seed,
      List<String> pipelineIds,
      long ticks,
      int tickSeconds,
      Plan plan) {
    int count = plan.total();
    if (count <= 0 || pipelineIds.isEmpty()) {
      return none();
    }
    SplittableRandom rnd = new SplittableRandom(seed ^ 0x2F0A3C5B7D1E9F4L);
    List<FailureMode> modes = new ArrayList<>();
    List<Boolean> cascades = new ArrayList<>();
    for (FaultCatalogue.Category c : FaultCatalogue.Category.values()) {
      List<FailureMode> drawn = new ArrayList<>();
      while (drawn.size() < plan.count(c)) {
        List<FailureMode> round = new ArrayList<>(FaultCatalogue.modes(c));
        Collections.shuffle(round, new java.util.Random(rnd.nextLong()));
        drawn.addAll(round);
      }
      for (FailureMode m : drawn.subList(0, plan.count(c))) {
        modes.add(m);
        cascades.add(c == FaultCatalogue.Category.CASCADE || m == FailureMode.MEMORY_LEAK);
      }
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      order.add(i);
    }
    Collections.shuffle(order, new java.util.Random(rnd.nextLong()));
    long warmUp = Math.min(ticks / 4, Math.round(settings.firstFaultHours() * 3600 / tickSeconds));
    long span = Math.max(1, ticks - warmUp);
    long slot = Math.max(1, span / count);
    List<PlannedFault> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int k = order.get(i);
      long tick = warmUp + i * slot + (long) (rnd.nextDouble() * slot * 0.5);
      out.add(
          new PlannedFault(
              "f-" + (i + 1),
              Math.min(ticks - 1, tick),
              pipelineIds.get(i % pipelineIds.size()),
              modes.get(k),
              null,
              cascades.get(k)));
    }
    return new FaultSchedule(out);
  }

  /** This schedule and another's faults together (their ids must differ). */
  public FaultSchedule plus(FaultSchedule other) {
    List<PlannedFault> all = new ArrayList<>(faults);
    all.addAll(other.faults());
    return new FaultSchedule(all);
  }

  /** The planned faults of a category. */
  public long count(FaultCatalogue.Category category) {
    return faults.stream().filter(f -> f.category() == category).count();
  }

  /** Faults the schedule injects when every planned one lands: each counts its nodes. */
  public int injections() {
    return faults.stream().mapToInt(PlannedFault::nodes).sum();
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
