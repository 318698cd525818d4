package dev.autopilot.runtime.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import dev.autopilot.agents.optimization.perf.PerformanceModel;
import dev.autopilot.agents.optimization.perf.WorkloadFeatures;
import dev.autopilot.agents.optimization.search.BayesianOptimization;
import dev.autopilot.agents.optimization.search.ConfigSpace;
import dev.autopilot.agents.optimization.search.SearchResult;
import dev.autopilot.agents.optimization.search.SearchSettings;
import dev.autopilot.agents.optimization.search.SimulatedAnnealing;
import dev.autopilot.agents.optimization.search.SlaCostObjective;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.model.ModelBundle;
import dev.autopilot.api.model.ModelException;
import dev.autopilot.runtime.bench.ProgressBar;
import dev.autopilot.runtime.bench.ProgressListener;
import dev.autopilot.runtime.loop.PipelineSlas;
import dev.autopilot.runtime.sim.SimSettings;
import dev.autopilot.runtime.train.PerformanceModelTrainingStep;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code autopilot search [--seed S] [--method sa|bo|all] [--models-dir D] [--json]}: how well
 * simulated annealing and Bayesian optimization find the simulator's best configuration.
 *
 * <p>For every load of {@code autopilot.performance-search.levels}:
 *
 * <ol>
 *   <li>the true optimum: every point of the exhaustive grid ({@code
 *       autopilot.optimization.search.grid}) is measured by the {@link SimulatorOracle} and scored
 *       by the SLA-cost objective ({@link SlaCostObjective}; the SLA is {@code
 *       autopilot.pipelines.default-sla}: required throughput {@code min(target, load)·(1 −
 *       tolerance)}, p99 bound);
 *   <li>as a reference, the model's own optimum on the same grid ({@code grid over model}: its
 *       fraction is what the model allows at best, whatever the search);
 *   <li>each search runs over the <em>performance model</em> (its score is the model's prediction,
 *       what the agent can afford online, with the SLA tightened by {@code objective.model-margin})
 *       and over the <em>simulator</em> (the true objective);
 *   <li>the configuration a search returns is measured in the simulator: {@code fraction = optimum
 *       score / true score of the found configuration} (scores are dollars per hour, lower is
 *       better, so 1 is the optimum and above 1 means the search beat the grid, whose points are a
 *       subset of the continuous space), and {@code evaluations to 5 %} is the first evaluation
 *       after which the search's best-so-far configuration truly scores within 5 % of the optimum
 *       (−1: never).
 * </ol>
 *
 * The performance model is trained first (same seed; {@link PerformanceModelTrainingStep}) unless
 * {@code --models-dir} holds an {@code optimization} bundle with it.
 */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description =
        "Compare simulated annealing and Bayesian optimization (over the performance model and over"
            + " the simulator) with the simulator's true optimum on the exhaustive grid.")
public final class SearchCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(names = "--seed", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--method",
      defaultValue = "all",
      description = "sa, bo or all (default ${DEFAULT-VALUE}).")
  String method;

  @Option(
      names = "--models-dir",
      paramLabel = "DIR",
      description =
          "Load the performance model from this directory's optimization bundle instead of"
              + " training it.")
  Path modelsDir;

  @Option(
      names = "--model-version",
      paramLabel = "N",
      description = "Bundle version with --models-dir (default: the highest).")
  Integer modelVersion;

  @Option(names = "--json", description = "Print one JSON document instead of the table.")
  boolean json;

  private final Config config;
  private final PrintWriter err;
  private final boolean terminal;

  /**
   * @param config the application configuration
   * @param err where progress bars go
   * @param terminal whether progress bars redraw in place
   */
  public SearchCommand(Config config, PrintWriter err, boolean terminal) {
    this.config = config;
    this.err = err;
    this.terminal = terminal;
  }

  /** One search's outcome at one load. */
  record Run(
      String method,
      String over,
      int evaluations,
      int simulated,
      String config,
      double trueScore,
      double modelScore,
      boolean feasible,
      double fraction,
      int evaluationsToTolerance) {}

  /** One load. */
  record Level(
      double offeredRate,
      double requiredThroughput,
      double p99BoundMs,
      long gridPoints,
      String optimumConfig,
      double optimumScore,
      double optimumCostPerHour,
      double optimumThroughput,
      double optimumP99Ms,
      boolean optimumFeasible,
      List<Run> runs) {}

  /** The whole report. */
  record Report(
      long seed,
      String modelSource,
      Map<String, Object> modelMetrics,
      double tolerance,
      List<Level> levels,
      List<Map<String, Object>> summary) {}

  @Override
  public Integer call() throws Exception {
    if (!List.of("sa", "bo", "all").contains(method)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--method must be sa, bo or all, got " + method);
    }
    if (modelVersion != null && modelsDir == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--model-version needs --models-dir");
    }
    PrintWriter out = spec.commandLine().getOut();
    SimSettings sim = SimSettings.create(config);
    SearchSettings search = SearchSettings.create(config);
    PerformanceSearchSettings ps = PerformanceSearchSettings.create(config);
    SlaSpec sla = PipelineSlas.of(config, List.of("p1")).get("p1");
    ConfigSpace space = ConfigSpace.pipeline(search);
    PipelineConfig base = sim.initialConfig();
    SimulatorOracle oracle = new SimulatorOracle(sim, ps.window());
    Function<String, ProgressListener> bars =
        label -> new ProgressBar(err, label, terminal, 200, 10, System::nanoTime, "steps");

    PerformanceModel model;
    String source;
    Map<String, Object> metrics = new LinkedHashMap<>();
    if (modelsDir != null) {
      int v =
          modelVersion != null
              ? modelVersion
              : ModelBundle.latestVersion(modelsDir, PerformanceModel.FAMILY)
                  .orElseThrow(
                      () ->
                          new ModelException(
                              "no "
                                  + PerformanceModel.FAMILY
                                  + " bundle in "
                                  + modelsDir
                                  + "; train one, or omit --models-dir to train in memory"));
      ModelBundle bundle = ModelBundle.load(modelsDir, PerformanceModel.FAMILY, v);
      model = PerformanceModel.load(bundle);
      source = bundle.location();
      metrics.putAll(bundle.component(PerformanceModel.COMPONENT).metrics());
    } else {
      PerformanceModelTrainingStep.Trained t =
          new PerformanceModelTrainingStep(config, Function.identity()).fit(seed, bars);
      model = t.model();
      source = "trained in memory (seed " + seed + ")";
      metrics.putAll(t.metrics());
    }

    boolean sa = !method.equals("bo");
    boolean bo = !method.equals("sa");
    SimulatedAnnealing annealing = new SimulatedAnnealing(search.annealing());
    BayesianOptimization bayes = new BayesianOptimization(search.bayesian());
    SplittableRandom seeds = new SplittableRandom(seed ^ 0x5DEECE66DL);
    List<double[]> grid = space.grid();
    List<Level> levels = new ArrayList<>();
    for (double rate : ps.levels()) {
      long simSeed = seeds.nextLong();
      long searchSeed = seeds.nextLong();
      SlaCostObjective.Target target =
          new SlaCostObjective.Target(
              rate,
              sla.requiredThroughput(rate) * (1 - sla.throughputTolerance()),
              sla.latencyP99BoundMs());
      SlaCostObjective trueCost =
          new SlaCostObjective(
              space,
              base,
              target,
              search.objective(),
              c -> oracle.measure(c, rate, simSeed).performance());
      TrueObjective truth = new TrueObjective(space, trueCost);
      WorkloadFeatures w = oracle.workload(rate);
      // the search over the model demands the safety margin; its found configuration is then
      // scored by the true objective, without it
      SlaCostObjective modelCost =
          new SlaCostObjective(
              space,
              base,
              target.withMargin(search.objective().modelMargin()),
              search.objective(),
              c -> model.predict(c, w));

      ProgressListener bar =
          bars.apply(String.format(Locale.ROOT, "search: grid at %.0f events/s", rate));
      List<SlaCostObjective.Breakdown> scored = truth.scoreAll(grid, ps.threads(), bar);
      if (bar instanceof ProgressBar pb) {
        pb.finish();
      }
      SlaCostObjective.Breakdown opt = scored.get(0);
      for (SlaCostObjective.Breakdown b : scored) {
        if (b.score() < opt.score()) {
          opt = b;
        }
      }
      double optimum = opt.score();

      List<Run> runs = new ArrayList<>();
      // reference: the model's own optimum on the grid, which separates model error from search
      // error (every grid point is already simulated)
      double[] modelGridBest = null;
      double modelGridScore = Double.POSITIVE_INFINITY;
      for (double[] x : grid) {
        double f = modelCost.score(x);
        if (f < modelGridScore) {
          modelGridScore = f;
          modelGridBest = x;
        }
      }
      SlaCostObjective.Breakdown gridFound = truth.breakdown(modelGridBest);
      runs.add(
          new Run(
              "grid",
              "model",
              grid.size(),
              0,
              gridFound.config().summary(),
              gridFound.score(),
              modelGridScore,
              gridFound.feasible(),
              optimum / gridFound.score(),
              gridFound.score() <= optimum * (1 + ps.tolerance()) ? grid.size() : -1));
      record Job(String method, String over) {}
      List<Job> jobs = new ArrayList<>();
      if (sa) {
        jobs.add(new Job("sa", "model"));
        jobs.add(new Job("sa", "simulator"));
      }
      if (bo) {
        jobs.add(new Job("bo", "model"));
        jobs.add(new Job("bo", "simulator"));
      }
      for (Job j : jobs) {
        int before = truth.simulated();
        boolean overModel = j.over().equals("model");
        var objective =
            overModel
                ? (dev.autopilot.agents.optimization.search.Objective) modelCost::score
                : truth;
        SearchResult r =
            j.method().equals("sa")
                ? annealing.minimise(space, objective, searchSeed)
                : bayes.minimise(space, objective, searchSeed);
        SlaCostObjective.Breakdown found = truth.breakdown(r.best());
        int to = -1;
        double[] last = null;
        double lastScore = Double.NaN;
        for (int i = 0; i < r.bestPoints().length && to < 0; i++) {
          double[] p = r.bestPoints()[i];
          if (last == null || !java.util.Arrays.equals(last, p)) {
            lastScore = truth.score(p);
            last = p;
          }
          if (lastScore <= optimum * (1 + ps.tolerance())) {
            to = i + 1;
          }
        }
        runs.add(
            new Run(
                j.method(),
                j.over(),
                r.evaluations(),
                truth.simulated() - before,
                found.config().summary(),
                found.score(),
                modelCost.score(r.best()),
                found.feasible(),
                optimum / found.score(),
                to));
      }
      levels.add(
          new Level(
              rate,
              target.requiredThroughput(),
              target.p99BoundMs(),
              grid.size(),
              opt.config().summary(),
              optimum,
              opt.costPerHour(),
              opt.performance().throughput(),
              opt.performance().p99LatencyMs(),
              opt.feasible(),
              runs));
    }
    Report report = new Report(seed, source, metrics, ps.tolerance(), levels, summary(levels));
    if (json) {
      out.println(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
    } else {
      print(out, report);
    }
    out.flush();
    return 0;
  }

  /** Mean fraction and evaluations to tolerance per method and objective, over the loads. */
  static List<Map<String, Object>> summary(List<Level> levels) {
    Map<String, List<Run>> by = new LinkedHashMap<>();
    for (Level l : levels) {
      for (Run r : l.runs()) {
        by.computeIfAbsent(r.method() + "/" + r.over(), k -> new ArrayList<>()).add(r);
      }
    }
    List<Map<String, Object>> out = new ArrayList<>();
    by.forEach(
        (k, rs) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("method", rs.get(0).method());
          m.put("over", rs.get(0).over());
          m.put("meanFraction", round(rs.stream().mapToDouble(Run::fraction).average().orElse(0)));
          m.put("minFraction", round(rs.stream().mapToDouble(Run::fraction).min().orElse(0)));
          m.put("reached", rs.stream().filter(r -> r.evaluationsToTolerance() > 0).count());
          m.put("loads", rs.size());
          m.put(
              "meanEvaluationsToTolerance",
              round(
                  rs.stream()
                      .filter(r -> r.evaluationsToTolerance() > 0)
                      .mapToInt(Run::evaluationsToTolerance)
                      .average()
                      .orElse(Double.NaN)));
          out.add(m);
        });
    return out;
  }

  private static void print(PrintWriter out, Report r) {
    out.printf(Locale.ROOT, "performance model: %s%n", r.modelSource());
    Map<String, Object> m = r.modelMetrics();
    out.printf(
        Locale.ROOT,
        "  held-out test: throughput R2 %s, MAE %s events/s; p99 R2 %s, MAE %s ms;"
            + " log-p99 R2 %s, MAE %s%n",
        m.get("throughputR2"),
        m.get("throughputMae"),
        m.get("latencyR2"),
        m.get("latencyMaeMs"),
        m.get("logLatencyR2"),
        m.get("logLatencyMae"));
    for (Level l : r.levels()) {
      out.printf(
          Locale.ROOT,
          "%nload %.0f events/s (required %.0f, p99 <= %.0f ms): true optimum over %d grid"
              + " configurations%n  %s  score %.4f $/h (cost %.4f, %.0f events/s, p99 %.1f ms%s)%n",
          l.offeredRate(),
          l.requiredThroughput(),
          l.p99BoundMs(),
          l.gridPoints(),
          l.optimumConfig(),
          l.optimumScore(),
          l.optimumCostPerHour(),
          l.optimumThroughput(),
          l.optimumP99Ms(),
          l.optimumFeasible() ? "" : ", INFEASIBLE");
      out.printf(
          Locale.ROOT,
          "  %-4s %-9s %6s %6s %10s %10s %8s %8s  %s%n",
          "",
          "over",
          "evals",
          "sims",
          "true $/h",
          "model $/h",
          "fraction",
          "to 5 %",
          "found");
      for (Run run : l.runs()) {
        out.printf(
            Locale.ROOT,
            "  %-4s %-9s %6d %6d %10.4f %10.4f %8.3f %8s  %s%s%n",
            run.method(),
            run.over(),
            run.evaluations(),
            run.simulated(),
            run.trueScore(),
            run.modelScore(),
            run.fraction(),
            run.evaluationsToTolerance() < 0
                ? "never"
                : String.valueOf(run.evaluationsToTolerance()),
            run.config(),
            run.feasible() ? "" : " (violates the SLA)");
      }
    }
    out.printf(
        Locale.ROOT,
        "%nsummary over %d loads (fraction = optimum / found, true scores):%n",
        r.levels().size());
    for (Map<String, Object> s : r.summary()) {
      out.printf(
          Locale.ROOT,
          "  %-4s over %-9s mean fraction %s (min %s), within %.0f %% at %s of %s loads%s%n",
          s.get("method"),
          s.get("over"),
          s.get("meanFraction"),
          s.get("minFraction"),
          r.tolerance() * 100,
          s.get("reached"),
          s.get("loads"),
          s.get("meanEvaluationsToTolerance") instanceof Double d && !d.isNaN()
              ? ", after " + d + " evaluations on average"
              : "");
    }
  }

  private static double round(double v) {
    return Double.isNaN(v) ? v : Math.round(v * 1e4) / 1e4;
  }
}
