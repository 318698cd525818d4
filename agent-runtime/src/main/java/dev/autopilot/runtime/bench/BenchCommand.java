package dev.autopilot.runtime.bench;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.LongSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code autopilot bench}: runs the scenarios of the catalogue ({@link BenchScenarios}) under each
 * selected controller, every controller of a scenario facing the same seeded workload and fault
 * schedule, with one progress bar over the whole bench. It prints the paper's table per scenario
 * (the best value of each row marked) and writes {@code bench.json} and {@code bench.html} ({@link
 * BenchReport}) into the report directory.
 *
 * <p>It takes subcommands (for example {@code bench scale}); without one it runs the scenario
 * bench. Option defaults come from {@code autopilot.bench.bench} ({@code bench.conf}); {@code
 * --days} defaults to each scenario's shortened duration, listed in the help's footer ({@link
 * #footer}). Bad options exit with 2 and a message; a failed run exits with 1.
 */
@Command(
    name = "bench",
    subcommands = {dev.autopilot.runtime.bench.scale.BenchScaleCommand.class},
    mixinStandardHelpOptions = true,
    description = {
      "Runs the benchmark scenarios (nyc-taxi, ycsb and the four scenario analyses) under each"
          + " controller on the same seeded workload and faults, prints the paper's table per"
          + " scenario with the best value of each row marked, and writes bench.json and"
          + " bench.html."
    })
public final class BenchCommand implements Callable<Integer> {

  /** The value of {@code --scenario} that selects every scenario of the catalogue. */
  public static final String ALL = "all";

  @Spec private CommandSpec spec;

  @Option(
      names = "--scenario",
      paramLabel = "S|all",
      description =
          "A scenario of the catalogue (autopilot.bench.scenarios), a comma-separated list of"
              + " them, or 'all' (default: ${DEFAULT-VALUE}).")
  private String scenarioOption;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description = "Seed of every scenario's workload and faults (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Option(
      names = "--days",
      paramLabel = "D",
      description =
          "Simulated days of every scenario, > 0 (default: each scenario's shortened duration,"
              + " listed below).")
  private Double days;

  @Option(
      names = "--full",
      description =
          "Run every scenario for its full duration (listed below) instead of the shortened"
              + " one; not with --days.")
  private boolean full;

  @Option(
      names = "--report-dir",
      paramLabel = "DIR",
      description = "Directory receiving bench.json and bench.html (default: ${DEFAULT-VALUE}).")
  private Path reportDir;

  @Option(
      names = "--controllers",
      paramLabel = "LIST",
      description =
          "Comma-separated controllers among static, rule-based, ds2, fko, agents,"
              + " agents-no-prediction, agents-no-optimization, agents-learned (default:"
              + " ${DEFAULT-VALUE}).")
  private String controllers;

  private final ScenarioRunner runner;
  private final BenchSettings settings;
  private final Function<String, ProgressBar> progressBars;
  private final BenchScenarios scenarios;
  private final String version;
  private final LongSupplier nanoClock;

  /**
   * @param runner runs one controller over a scenario; null when this build has none, in which case
   *     the command fails with a clear message
   * @param settings the harness settings
   * @param progressBars builds the bench's progress bar (given its label)
   * @param scenarios the catalogue
   * @param version the software version, stated with every table
   * @param nanoClock monotonic wall clock for the scenarios' wall time ({@code System::nanoTime})
   */
  public BenchCommand(
      ScenarioRunner runner,
      BenchSettings settings,
      Function<String, ProgressBar> progressBars,
      BenchScenarios scenarios,
      String version,
      LongSupplier nanoClock) {
    this.runner = runner;
    this.settings = settings;
    this.progressBars = progressBars;
    this.scenarios = scenarios;
    this.version = version;
    this.nanoClock = nanoClock;
  }

  /** The help's footer: every scenario's shortened and full duration. */
  public static String[] footer(BenchScenarios scenarios) {
    List<String> lines = new ArrayList<>();
    lines.add("");
    lines.add("Scenarios (shortened default / full days; --full runs the full ones):");
    for (BenchScenario s : scenarios.all()) {
      lines.add("  " + s.name() + ": " + plain(s.shortDays()) + " / " + plain(s.days()));
    }
    return lines.toArray(String[]::new);
  }

  @Override
  public Integer call() throws Exception {
    List<Scenario> plan = plan();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (runner == null) {
      throw new IllegalStateException(
          "no scenario runner is available in this build (no dev.autopilot.runtime.bench."
              + "ScenarioRunner service found)");
    }
    for (Scenario s : plan) {
      runner.preflight(s);
    }
    List<ControllerKind> kinds = plan.get(0).controllers();
    out.printf(
        "Bench: %d scenario(s) x %d controller(s) (%s), seed %d, autopilot %s%n",
        plan.size(),
        kinds.size(),
        String.join(", ", kinds.stream().map(ControllerKind::id).toList()),
        seed,
        version);
    long grandTotal = 0;
    for (Scenario s : plan) {
      out.printf(
          "  %s: %s days (%d ticks of %d s), workload %s, %d planned faults%n",
          s.name(), plain(s.days()), s.totalTicks(), s.tickSeconds(), s.workload(), s.faults());
      grandTotal += s.totalTicks() * s.controllers().size();
    }
    out.flush();

    ProgressBar bar = progressBars.apply("bench");
    BenchReport report = new BenchReport(settings.maxPointsPerSeries(), version);
    List<String> warnings = new ArrayList<>();
    long[] offset = {0};
    long total = grandTotal;
    for (Scenario scenario : plan) {
      long started = nanoClock.getAsLong();
      List<ControllerRun> runs =
          ControllerSweep.run(
              runner,
              scenario,
              new ControllerSweep.Progress() {
                @Override
                public ProgressListener start(ControllerKind controller) {
                  long base = offset[0];
                  return (done, ticks) -> bar.onProgress(base + done, total);
                }

                @Override
                public void end(ControllerKind controller) {
                  offset[0] += scenario.totalTicks();
                  bar.onProgress(offset[0], total);
                }
              });
      double wallSeconds = (nanoClock.getAsLong() - started) / 1e9;
      List<String> found = ControllerSweep.checkSchedule(scenario, runs);
      found.forEach(w -> warnings.add(scenario.name() + ": " + w));
      List<Score> scores = runs.stream().map(Scorer::score).toList();
      report.add(scenario, runs, scores, found, wallSeconds);
    }
    bar.finish();
    for (String warning : warnings) {
      err.println("warning: " + warning);
    }
    err.flush();

    List<Path> written = report.write(reportDir);
    for (String table : report.tables()) {
      out.println();
      out.print(table);
    }
    out.println();
    for (Path p : written) {
      out.println("wrote " + p);
    }
    out.flush();
    return 0;
  }

  /** Validates the options into the scenarios to run; a ParameterException (exit code 2) if bad. */
  List<Scenario> plan() {
    CommandLine cl = spec.commandLine();
    if (scenarios.names().isEmpty()) {
      throw new ParameterException(cl, "no benchmark scenarios in this build");
    }
    String wanted = scenarioOption == null ? ALL : scenarioOption.trim();
    Set<BenchScenario> chosen = new LinkedHashSet<>();
    if (ALL.equalsIgnoreCase(wanted)) {
      chosen.addAll(scenarios.all());
    } else {
      for (String part : wanted.split(",", -1)) {
        BenchScenario s =
            scenarios
                .get(part)
                .orElseThrow(
                    () ->
                        new ParameterException(
                            cl,
                            "--scenario: unknown scenario '"
                                + part.trim()
                                + "', expected 'all' or one of "
                                + String.join(", ", scenarios.names())));
        if (!chosen.add(s)) {
          throw new ParameterException(cl, "--scenario: '" + s.name() + "' is listed twice");
        }
      }
    }
    if (days != null && full) {
      throw new ParameterException(cl, "--days and --full cannot be combined");
    }
    if (days != null && (!(days > 0) || Double.isInfinite(days))) {
      throw new ParameterException(cl, "--days must be a positive number of days, was " + days);
    }
    if (days != null && Math.round(days * 86_400.0 / settings.tickSeconds()) < 1) {
      throw new ParameterException(cl, "--days " + days + " is shorter than one tick");
    }
    List<ControllerKind> kinds =
        ControllerSweep.parseControllers(
            cl, "--controllers", controllers, List.of(ControllerKind.values()));
    ControllerSweep.requireReportDir(cl, reportDir);
    List<Scenario> plan = new ArrayList<>();
    for (BenchScenario s : chosen) {
      double d = days != null ? days : full ? s.days() : s.shortDays();
      plan.add(
          new Scenario(
              d,
              seed,
              1,
              s.workload(),
              s.plannedFaults(d),
              s.minFaultKinds(d, settings.minFaultKinds()),
              RunMode.AUTONOMOUS,
              settings.tickSeconds(),
              kinds,
              s.name()));
    }
    return plan;
  }

  private static String plain(double v) {
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}
