package dev.autopilot.runtime.bench;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code autopilot run}: the main job. Runs the same scenario under each selected controller
 * through a {@link ScenarioRunner}, with a progress bar on stderr, then prints the side-by-side
 * table and writes into the report directory:
 *
 * <ul>
 *   <li>{@code results.json} and {@code results-deterministic.json} ({@link ResultsWriter});
 *   <li>{@code trace-<controller>.csv}, one per controller;
 *   <li>{@code report.html} ({@link ReportWriter}).
 * </ul>
 *
 * <p>Option defaults come from {@code autopilot.bench.run} (see {@code bench.conf}), through the
 * command line's default-value provider. Bad options exit with 2 and a message; a failed run exits
 * with 1.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a simulated multi-day scenario with injected faults under each controller "
          + "(static, rule-based, agents), prints a side-by-side table and writes results.json, "
          + "per-controller traces and report.html."
    })
public final class RunCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(
      names = "--days",
      paramLabel = "D",
      description = "Simulated days (default: ${DEFAULT-VALUE}).")
  private double days;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description = "Seed of the workload and faults (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Option(
      names = "--pipelines",
      paramLabel = "N",
      description = "Pipelines (default: ${DEFAULT-VALUE}).")
  private int pipelines;

  @Option(
      names = "--workload",
      paramLabel = "generated|marathon|CSV",
      description =
          "'generated', 'marathon' (normal days with one marathon-like surge, 850k to 5.2M"
              + " events/s; see autopilot.simulation.marathon) or a timestamp,value CSV file"
              + " (default: ${DEFAULT-VALUE}).")
  private String workload;

  @Option(
      names = "--scenario",
      paramLabel = "NAME",
      description =
          "A scenario of the benchmark catalogue (autopilot.bench.scenarios): nyc-taxi, ycsb,"
              + " marathon, network-partition, memory-leak or month-end. It sets the workload,"
              + " the SLA and the fault plan; --days defaults to its shortened duration, --faults"
              + " may not be given, and --workload may replace nyc-taxi's generator with a CSV"
              + " (default: none).")
  private String scenarioOption;

  @Option(
      names = "--faults",
      paramLabel = "N",
      description =
          "Faults to inject (cascades come on top), covering at least min(N, "
              + "autopilot.bench.run.min-fault-kinds) failure modes; 0 is allowed with the"
              + " marathon workload (default: ${DEFAULT-VALUE}).")
  private int faults;

  @Option(
      names = "--mode",
      paramLabel = "autonomous|shadow",
      description = "Agents' mode (default: ${DEFAULT-VALUE}).")
  private String mode;

  @Option(
      names = "--report-dir",
      paramLabel = "DIR",
      description = "Output directory (default: ${DEFAULT-VALUE}).")
  private Path reportDir;

  @Option(
      names = "--controllers",
      paramLabel = "LIST",
      description =
          "Comma-separated controllers among static, rule-based, ds2, fko, agents,"
              + " agents-no-prediction, agents-no-optimization, agents-learned (default:"
              + " ${DEFAULT-VALUE}).")
  private String controllers;

  @Option(
      names = "--ablate",
      paramLabel = "AGENT[,AGENT]",
      description =
          "Also run the agents without this agent, next to the complete team: 'prediction' adds"
              + " the controller agents-no-prediction after agents, 'optimization' adds"
              + " agents-no-optimization; a comma-separated list or a repeated option adds one"
              + " ablated team per agent (default: none).")
  private List<String> ablate;

  @Option(
      names = "--platform",
      paramLabel = "simulated|flink-embedded",
      description =
          "'simulated' (the digital twin, simulated event time) or 'flink-embedded' (a real Flink"
              + " 1.20 MiniCluster in this JVM running the taxi-trip job with real injected faults,"
              + " for --minutes of wall-clock time; see autopilot.flink-embedded)"
              + " (default: ${DEFAULT-VALUE}).")
  private String platform;

  @Option(
      names = "--minutes",
      paramLabel = "M",
      description =
          "Wall-clock minutes of a --platform flink-embedded run (default: ${DEFAULT-VALUE}).")
  private double minutes;

  /** Runs the embedded real-Flink platform: {@code --minutes}, the report directory, stdout. */
  @FunctionalInterface
  public interface EmbeddedRunner {
    void run(double minutes, Path reportDir, PrintWriter out) throws Exception;
  }

  private final ScenarioRunner runner;
  private final BenchSettings settings;
  private final Function<String, ProgressBar> progressBars;
  private final EmbeddedRunner embedded;
  private final BenchScenarios scenarios;

  /**
   * @param runner runs one controller over the scenario; null when this build has none, in which
   *     case the command fails with a clear message
   * @param settings the harness settings
   * @param progressBars builds the progress bar of one controller (given its label)
   */
  public RunCommand(
      ScenarioRunner runner, BenchSettings settings, Function<String, ProgressBar> progressBars) {
    this(runner, settings, progressBars, null);
  }

  /**
   * @param runner runs one controller over the scenario (the simulated platform)
   * @param settings the harness settings
   * @param progressBars builds the progress bar of one controller (given its label)
   * @param embedded runs {@code --platform flink-embedded}; null when this build has none
   */
  public RunCommand(
      ScenarioRunner runner,
      BenchSettings settings,
      Function<String, ProgressBar> progressBars,
      EmbeddedRunner embedded) {
    this(runner, settings, progressBars, embedded, BenchScenarios.none());
  }

  /**
   * @param runner runs one controller over the scenario (the simulated platform)
   * @param settings the harness settings
   * @param progressBars builds the progress bar of one controller (given its label)
   * @param embedded runs {@code --platform flink-embedded}; null when this build has none
   * @param scenarios the catalogue {@code --scenario} picks from
   */
  public RunCommand(
      ScenarioRunner runner,
      BenchSettings settings,
      Function<String, ProgressBar> progressBars,
      EmbeddedRunner embedded,
      BenchScenarios scenarios) {
    this.runner = runner;
    this.settings = settings;
    this.progressBars = progressBars;
    this.embedded = embedded;
    this.scenarios = scenarios;
  }

  @Override
  public Integer call() throws Exception {
    String chosen = platform == null ? "simulated" : platform.trim();
    if ("flink-embedded".equals(chosen)) {
      return callEmbedded();
    }
    if (!"simulated".equals(chosen)) {
      throw new ParameterException(
          spec.commandLine(),
          "--platform: unknown platform '" + platform + "', expected simulated or flink-embedded");
    }
    Scenario scenario = scenario();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (runner == null) {
      throw new IllegalStateException(
          "no scenario runner is available in this build (no dev.autopilot.runtime.bench."
              + "ScenarioRunner service found)");
    }
    runner.preflight(scenario);
    if (scenario.name() != null) {
      out.printf("Scenario %s%n", scenario.name());
    }
    out.printf(
        "Running %s days (%d ticks), seed %d, %d pipeline(s), workload %s, %d faults, mode %s%n",
        BigDecimal.valueOf(scenario.days()).stripTrailingZeros().toPlainString(),
        scenario.totalTicks(),
        scenario.seed(),
        scenario.pipelines(),
        scenario.workload(),
        scenario.faults(),
        scenario.mode().id());
    out.flush();

    int labelWidth = scenario.controllers().stream().mapToInt(c -> c.id().length()).max().orElse(0);
    ProgressBar[] bar = new ProgressBar[1];
    List<ControllerRun> runs =
        ControllerSweep.run(
            runner,
            scenario,
            new ControllerSweep.Progress() {
              @Override
              public ProgressListener start(ControllerKind controller) {
                bar[0] =
                    progressBars.apply(
                        controller.id() + " ".repeat(labelWidth - controller.id().length()));
                return bar[0];
              }

              @Override
              public void end(ControllerKind controller) {
                bar[0].finish();
              }
            });
    for (String warning : checkSchedule(scenario, runs)) {
      err.println("warning: " + warning);
    }
    err.flush();

    List<Score> scores = runs.stream().map(Scorer::score).toList();
    List<Path> written = new ArrayList<>(ResultsWriter.write(reportDir, scenario, runs, scores));
    written.add(
        new ReportWriter(settings.maxPointsPerSeries()).write(reportDir, scenario, runs, scores));

    out.println();
    out.print(ConsoleTable.render(scores));
    out.println();
    for (ControllerRun run : runs) {
      if (run.optimizer().any()) {
        out.println(
            "learned optimizer, " + run.controller().id() + ": " + run.optimizer().describe());
      }
    }
    for (Path p : written) {
      out.println("wrote " + p);
    }
    out.flush();
    return 0;
  }

  private Integer callEmbedded() throws Exception {
    CommandLine cl = spec.commandLine();
    if (!(minutes > 0) || Double.isInfinite(minutes)) {
      throw new ParameterException(cl, "--minutes must be a positive number, was " + minutes);
    }
    if (reportDir == null) {
      throw new ParameterException(cl, "--report-dir is required");
    }
    if (embedded == null) {
      throw new IllegalStateException("the flink-embedded platform is not available in this build");
    }
    embedded.run(minutes, reportDir, cl.getOut());
    return 0;
  }

  /** Validates the options into a scenario; throws a ParameterException (exit code 2) if bad. */
  Scenario scenario() {
    CommandLine cl = spec.commandLine();
    String scenarioName = scenarioOption == null ? "" : scenarioOption.trim();
    BenchScenario catalogued = null;
    if (!scenarioName.isEmpty() && !"none".equals(scenarioName)) {
      catalogued =
          scenarios
              .get(scenarioName)
              .orElseThrow(
                  () ->
                      new ParameterException(
                          cl,
                          "--scenario: unknown scenario '"
                              + scenarioName
                              + "', expected one of "
                              + (scenarios.names().isEmpty()
                                  ? "(none in this build)"
                                  : String.join(", ", scenarios.names()))));
      CommandLine.ParseResult parsed = cl.getParseResult();
      if (parsed != null && parsed.hasMatchedOption("--faults")) {
        throw new ParameterException(
            cl, "--faults cannot be combined with --scenario: the scenario's fault plan decides");
      }
      if (parsed == null || !parsed.hasMatchedOption("--days")) {
        days = catalogued.shortDays();
      }
      if (parsed == null || !parsed.hasMatchedOption("--workload")) {
        workload = catalogued.workload();
      } else if (!Scenario.GENERATED.equals(catalogued.workload())) {
        throw new ParameterException(
            cl,
            "--workload: scenario "
                + catalogued.name()
                + " runs the "
                + catalogued.workload()
                + " workload; only a generated-workload scenario (nyc-taxi) replays a CSV");
      }
    }
    if (!(days > 0) || Double.isInfinite(days)) {
      throw new ParameterException(cl, "--days must be a positive number of days, was " + days);
    }
    if (Math.round(days * 86_400.0 / settings.tickSeconds()) < 1) {
      throw new ParameterException(cl, "--days " + days + " is shorter than one tick");
    }
    if (pipelines < 1) {
      throw new ParameterException(cl, "--pipelines must be >= 1, was " + pipelines);
    }
    String workloadValue = workload == null ? "" : workload.trim();
    if (catalogued != null) {
      faults = catalogued.plannedFaults(days);
    }
    int minFaults = catalogued != null ? 0 : Scenario.minFaults(workloadValue);
    if (faults < minFaults) {
      throw new ParameterException(
          cl,
          "--faults must be >= "
              + minFaults
              + (minFaults == 0 ? "" : " (0 only with --workload marathon)")
              + ", was "
              + faults);
    }
    if (!Scenario.GENERATED.equals(workloadValue)
        && !Scenario.MARATHON.equals(workloadValue)
        && !(catalogued != null && Scenario.YCSB.equals(workloadValue))) {
      Path csv = Path.of(workloadValue);
      if (workloadValue.isEmpty() || !Files.exists(csv)) {
        throw new ParameterException(
            cl,
            "--workload: no such file '"
                + workloadValue
                + "' (use 'generated', 'marathon' or a timestamp,value CSV file)");
      }
      if (!Files.isRegularFile(csv) || !Files.isReadable(csv)) {
        throw new ParameterException(
            cl, "--workload: '" + workloadValue + "' is not a readable file");
      }
    }
    RunMode runMode =
        RunMode.fromId(mode == null ? "" : mode)
            .orElseThrow(
                () ->
                    new ParameterException(
                        cl, "--mode: unknown mode '" + mode + "', expected autonomous or shadow"));
    List<ControllerKind> kinds =
        ablate(
            cl,
            ControllerSweep.parseControllers(
                cl, "--controllers", controllers, List.of(ControllerKind.values())),
            ablate);
    ControllerSweep.requireReportDir(cl, reportDir);
    return new Scenario(
        days,
        seed,
        pipelines,
        workloadValue,
        faults,
        catalogued == null
            ? Math.min(faults, settings.minFaultKinds())
            : catalogued.minFaultKinds(days, settings.minFaultKinds()),
        runMode,
        settings.tickSeconds(),
        kinds,
        catalogued == null ? null : catalogued.name());
  }

  /**
   * Applies {@code --ablate}: empty (or {@code none}) leaves the controllers as they are; each
   * agent named ({@code prediction}, {@code optimization}; comma-separated or the option repeated)
   * adds its ablated team right after agents (at the end when agents is not listed), in the order
   * named, unless it is listed already.
   */
  private static List<ControllerKind> ablate(
      CommandLine cl, List<ControllerKind> kinds, List<String> values) {
    List<ControllerKind> ablated = new ArrayList<>();
    for (String value : values == null ? List.<String>of() : values) {
      for (String part : value.split(",", -1)) {
        String wanted = part.trim().toLowerCase(java.util.Locale.ROOT);
        if (wanted.isEmpty() || "none".equals(wanted)) {
          continue;
        }
        ControllerKind kind =
            switch (wanted) {
              case "prediction" -> ControllerKind.AGENTS_NO_PREDICTION;
              case "optimization" -> ControllerKind.AGENTS_NO_OPTIMIZATION;
              default ->
                  throw new ParameterException(
                      cl,
                      "--ablate: unknown agent '"
                          + part.trim()
                          + "', expected prediction or optimization");
            };
        if (!ablated.contains(kind)) {
          ablated.add(kind);
        }
      }
    }
    List<ControllerKind> out = new ArrayList<>(kinds);
    int at = out.indexOf(ControllerKind.AGENTS);
    at = at < 0 ? out.size() : at + 1;
    for (ControllerKind kind : ablated) {
      if (!out.contains(kind)) {
        out.add(at++, kind);
      }
    }
    return List.copyOf(out);
  }

  /** {@link ControllerSweep#checkSchedule}. */
  static List<String> checkSchedule(Scenario scenario, List<ControllerRun> runs) {
    return ControllerSweep.checkSchedule(scenario, runs);
  }
}
