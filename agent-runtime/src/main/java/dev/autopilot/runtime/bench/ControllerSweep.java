package dev.autopilot.runtime.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * What {@code run} and {@code bench} share: parsing the controller list, running every controller
 * of one scenario through a {@link ScenarioRunner} in order, and checking that they all faced the
 * same scenario (the same scheduled faults and the same offered load).
 */
public final class ControllerSweep {

  private ControllerSweep() {}

  /** Progress of one sweep: a listener for each controller's run, told when it ends. */
  public interface Progress {

    /** The listener of the run of {@code controller}, which starts now. */
    ProgressListener start(ControllerKind controller);

    /** The run of {@code controller} has ended. */
    default void end(ControllerKind controller) {}
  }

  /**
   * Runs each controller of {@code scenario}, in its order.
   *
   * @throws IllegalStateException when the runner returns nothing or another controller's run
   */
  public static List<ControllerRun> run(ScenarioRunner runner, Scenario scenario, Progress progress)
      throws Exception {
    List<ControllerRun> runs = new ArrayList<>();
    for (ControllerKind controller : scenario.controllers()) {
      ControllerRun run = runner.run(scenario, controller, progress.start(controller));
      progress.end(controller);
      if (run == null || run.controller() != controller) {
        throw new IllegalStateException(
            "the scenario runner returned "
                + (run == null ? "nothing" : run.controller().id())
                + " for controller "
                + controller.id());
      }
      runs.add(run);
    }
    return runs;
  }

  /**
   * Parses a comma-separated controller list; unknown or repeated names are a {@link
   * ParameterException} (exit code 2) naming the option and listing the valid names.
   *
   * @param allowed the controllers the option accepts, in the order listed in the message
   */
  public static List<ControllerKind> parseControllers(
      CommandLine cl, String option, String value, List<ControllerKind> allowed) {
    Set<ControllerKind> kinds = new LinkedHashSet<>();
    String valid = String.join(", ", allowed.stream().map(ControllerKind::id).toList());
    for (String part : (value == null ? "" : value).split(",", -1)) {
      ControllerKind k =
          ControllerKind.fromId(part)
              .filter(allowed::contains)
              .orElseThrow(
                  () ->
                      new ParameterException(
                          cl,
                          option
                              + ": unknown controller '"
                              + part.trim()
                              + "', expected a comma-separated list of "
                              + valid));
      if (!kinds.add(k)) {
        throw new ParameterException(cl, option + ": '" + k.id() + "' is listed twice");
      }
    }
    return List.copyOf(kinds);
  }

  /**
   * Checks the runner kept its contract: every controller got the same scheduled (non-cascade)
   * faults and the same offered load at every tick, and the schedule has the planned number of
   * faults covering the required number of failure modes. Returns warnings, empty when all holds.
   */
  public static List<String> checkSchedule(Scenario scenario, List<ControllerRun> runs) {
    List<String> warnings = new ArrayList<>();
    if (runs.isEmpty()) {
      return warnings;
    }
    ControllerRun first = runs.get(0);
    Set<String> reference = schedule(first);
    Map<String, Double> load = offered(first);
    for (ControllerRun run : runs.subList(1, runs.size())) {
      if (!schedule(run).equals(reference)) {
        warnings.add(
            "the scheduled faults of "
                + run.controller().id()
                + " differ from those of "
                + first.controller().id()
                + ": the controllers did not face the same scenario");
      }
      if (!offered(run).equals(load)) {
        warnings.add(
            "the offered load of "
                + run.controller().id()
                + " differs from that of "
                + first.controller().id()
                + ": the controllers did not face the same workload");
      }
    }
    long scheduled = first.faults().stream().filter(f -> !f.cascade()).count();
    if (scheduled != scenario.faults()) {
      warnings.add("asked for " + scenario.faults() + " faults, the runner scheduled " + scheduled);
    }
    Set<String> modes =
        first.faults().stream()
            .filter(f -> !f.cascade())
            .map(FaultRecord::mode)
            .collect(Collectors.toCollection(TreeSet::new));
    if (modes.size() < scenario.minFaultKinds()) {
      warnings.add(
          "the fault schedule covers "
              + modes.size()
              + " failure modes "
              + modes
              + ", fewer than "
              + scenario.minFaultKinds());
    }
    return warnings;
  }

  private static Set<String> schedule(ControllerRun run) {
    return run.faults().stream()
        .filter(f -> !f.cascade())
        .map(f -> f.id() + "|" + f.mode() + "|" + f.pipelineId() + "|" + f.injectedTick())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Map<String, Double> offered(ControllerRun run) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (TickRecord r : run.ticks()) {
      out.put(r.pipelineId() + "|" + r.tick(), r.offeredRate());
    }
    return out;
  }

  /**
   * Checks a {@code --report-dir}: given, and not under (or at) an existing file.
   *
   * @throws ParameterException naming the option and the file in the way
   */
  static void requireReportDir(CommandLine cl, Path reportDir) {
    if (reportDir == null) {
      throw new ParameterException(cl, "--report-dir is required");
    }
    Path existing = reportDir.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing != null && !Files.isDirectory(existing)) {
      throw new ParameterException(
          cl,
          "--report-dir: '"
              + existing
              + "' exists and is not a directory, cannot write into '"
              + reportDir
              + "'");
    }
  }
}
