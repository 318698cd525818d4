package dev.autopilot.runtime.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.api.FailureMode;
import dev.autopilot.runtime.sim.FaultCatalogue;
import dev.autopilot.runtime.sim.FaultSchedule;
import dev.autopilot.runtime.sim.SimSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * One scenario of the benchmark catalogue ({@code autopilot.bench.scenarios.<name>}): its length,
 * workload, SLA and fault plan. Everything a run needs beyond the seed is here, so every controller
 * of a run, and every run with the same seed, faces the same workload and the same faults.
 *
 * @param name catalogue name (for example {@code ycsb})
 * @param description one line for tables and help
 * @param days the full duration, days
 * @param shortDays the shortened default duration of a bench run, days
 * @param workload {@link Scenario#GENERATED}, {@link Scenario#MARATHON} or {@link Scenario#YCSB}
 * @param faults the fault counts per category, per {@link FaultMix#perDays()} days
 * @param scripted faults at fixed times, on top of the counted ones
 * @param overlay configuration laid over the application's for this scenario: its simulation
 *     overrides under {@code autopilot.simulation} and its SLA under {@code
 *     autopilot.pipelines.default-sla}
 */
public record BenchScenario(
    String name,
    String description,
    double days,
    double shortDays,
    String workload,
    FaultMix faults,
    List<Scripted> scripted,
    Config overlay) {

  /**
   * Fault counts per category, stated for {@code perDays} days and scaled to the run's length.
   *
   * @param infrastructure faults striking nodes
   * @param application faults striking an operator or the job
   * @param cascade faults that spawn their cascade child
   * @param perDays the days these counts are for
   */
  public record FaultMix(int infrastructure, int application, int cascade, double perDays) {
    public FaultMix {
      if (infrastructure < 0 || application < 0 || cascade < 0 || !(perDays > 0)) {
        throw new IllegalArgumentException(
            "fault counts must be >= 0 and per-days > 0, got "
                + infrastructure
                + "/"
                + application
                + "/"
                + cascade
                + " per "
                + perDays);
      }
    }

    /** The counts for a run of {@code days} days. */
    public FaultSchedule.Plan scaledTo(double days) {
      return FaultSchedule.Plan.scaled(infrastructure, application, cascade, perDays, days);
    }
  }

  /**
   * A fault at a fixed time.
   *
   * @param mode its failure mode
   * @param atHours event time from the start of the run, hours
   * @param nodes distinct nodes it strikes at once (node faults only; 1 otherwise)
   */
  public record Scripted(FailureMode mode, double atHours, int nodes) {
    public Scripted {
      if (mode == null || !(atHours >= 0) || Double.isInfinite(atHours)) {
        throw new IllegalArgumentException("a scripted fault needs a mode and a time >= 0");
      }
      if (nodes < 1
          || (nodes > 1
              && FaultCatalogue.entry(mode).targetKind() != FaultCatalogue.TargetKind.NODE)) {
        throw new IllegalArgumentException(
            "nodes must be >= 1, and 1 for " + mode + " (it does not strike nodes), got " + nodes);
      }
    }
  }

  public BenchScenario {
    scripted = List.copyOf(scripted);
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a scenario needs a name");
    }
    if (!(days > 0) || !(shortDays > 0) || Double.isInfinite(days) || shortDays > days) {
      throw new IllegalArgumentException(
          "scenario " + name + ": days and short-days must be > 0, short-days <= days");
    }
    if (!Scenario.GENERATED.equals(workload)
        && !Scenario.MARATHON.equals(workload)
        && !Scenario.YCSB.equals(workload)) {
      throw new IllegalArgumentException(
          "scenario " + name + ": workload must be generated, marathon or ycsb, was " + workload);
    }
  }

  /** The application configuration with this scenario's overrides on top. */
  public Config configure(Config root) {
    return overlay.withFallback(root);
  }

  /** The configuration of a plain run (no scenario): unchanged. */
  public static Config configure(BenchScenario scenario, Config root) {
    return scenario == null ? root : scenario.configure(root);
  }

  /**
   * Faults a run of {@code days} days injects: the scaled counts plus every node of the scripted
   * faults that fall inside the run.
   */
  public int plannedFaults(double days) {
    return faults.scaledTo(days).total()
        + scripted.stream().filter(s -> s.atHours() < days * 24).mapToInt(Scripted::nodes).sum();
  }

  /**
   * Distinct failure modes a run of {@code days} days is sure to cover, at most {@code cap}: each
   * category's modes are drawn in rounds, so min(count, modes of the category) for infrastructure
   * and application (cascades may repeat an infrastructure mode), at least one per scripted mode
   * that falls inside the run.
   */
  public int minFaultKinds(double days, int cap) {
    FaultSchedule.Plan plan = faults.scaledTo(days);
    int kinds =
        Math.min(
                plan.infrastructure(),
                FaultCatalogue.modes(FaultCatalogue.Category.INFRASTRUCTURE).size())
            + Math.min(
                plan.application(),
                FaultCatalogue.modes(FaultCatalogue.Category.APPLICATION).size());
    if (plan.infrastructure() + plan.application() == 0 && plan.cascade() > 0) {
      kinds = 1;
    }
    if (kinds == 0 && !scripted.isEmpty()) {
      kinds =
          (int)
              scripted.stream()
                  .filter(s -> s.atHours() < days * 24)
                  .map(Scripted::mode)
                  .distinct()
                  .count();
    }
    return Math.min(cap, kinds);
  }

  /**
   * The fault schedule of a run: the scaled counts drawn by category ({@code f-<n>}) and the
   * scripted faults ({@code s-<n>}, on the first pipeline), from the seed only.
   *
   * @param sim the simulation settings with this scenario's overrides
   * @param seed the run's seed
   * @param pipelineIds the pipelines
   * @param days the run's length, days (the counts are scaled to it)
   * @param ticks the run's length, ticks
   */
  public FaultSchedule schedule(
      SimSettings sim, long seed, List<String> pipelineIds, double days, long ticks) {
    FaultSchedule counted =
        FaultSchedule.generate(
            sim.faults(), seed, pipelineIds, ticks, sim.tickSeconds(), faults.scaledTo(days));
    List<FaultSchedule.PlannedFault> fixed = new ArrayList<>();
    for (int i = 0; i < scripted.size(); i++) {
      Scripted s = scripted.get(i);
      long tick = Math.round(s.atHours() * 3600 / sim.tickSeconds());
      if (s.atHours() >= days * 24 || tick >= ticks) {
        continue;
      }
      fixed.add(
          new FaultSchedule.PlannedFault(
              "s-" + (i + 1), tick, pipelineIds.get(0), s.mode(), null, false, s.nodes()));
    }
    return counted.plus(new FaultSchedule(fixed));
  }

  /** Reads one catalogue entry. */
  static BenchScenario create(String name, Config c) {
    List<Scripted> scripted = new ArrayList<>();
    for (Config s : c.getConfigList("scripted")) {
      String mode = s.getString("mode").trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
      FailureMode m;
      try {
        m = FailureMode.valueOf(mode);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "autopilot.bench.scenarios."
                + name
                + ": unknown fault mode '"
                + s.getString("mode")
                + "'");
      }
      scripted.add(
          new Scripted(
              m,
              s.getDuration("at").toSeconds() / 3600.0,
              s.hasPath("nodes") ? s.getInt("nodes") : 1));
    }
    Config f = c.getConfig("faults");
    Config overlay = ConfigFactory.empty();
    if (c.hasPath("simulation")) {
      overlay = c.getConfig("simulation").atPath("autopilot.simulation");
    }
    overlay = c.getConfig("sla").atPath("autopilot.pipelines.default-sla").withFallback(overlay);
    return new BenchScenario(
        name,
        c.getString("description"),
        c.getDouble("days"),
        c.getDouble("short-days"),
        c.getString("workload"),
        new FaultMix(
            f.getInt("infrastructure"),
            f.getInt("application"),
            f.getInt("cascade"),
            f.getDouble("per-days")),
        scripted,
        overlay);
  }
}
