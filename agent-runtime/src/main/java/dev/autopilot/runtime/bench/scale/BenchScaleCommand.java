package dev.autopilot.runtime.bench.scale;

import com.typesafe.config.Config;
import dev.autopilot.runtime.RuntimeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bench scale}: the control loop with many simulated pipelines on one node and on a cluster
 * ({@link ScaleBench}); prints a table and, with {@code --report-dir}, writes {@code scale.json}.
 * Defaults from {@code autopilot.bench.scale} ({@link ScaleSettings}).
 */
@Command(
    name = "scale",
    mixinStandardHelpOptions = true,
    description = {
      "Measures the control loop at scale: the decision latency per pipeline-tick (p50, p99),"
          + " telemetry samples ingested per second, journal writes per second and heap use, with"
          + " simulated pipelines on one node or on a cluster of actor systems in this JVM.",
      "Without --pipelines and --nodes it runs the default set: each count of"
          + " autopilot.bench.scale.pipelines (10, 100, 1000) on one node, then"
          + " autopilot.bench.scale.cluster-pipelines (1000) on cluster-nodes (3), every run on"
          + " a fresh journal of --journal. Default: 20 measured ticks after 3 warm-up ticks, one"
          + " snapshot in the loop at a time; the 1000-pipeline runs take a few minutes each on"
          + " 2 cores and need a heap of about 8 GB (-Xmx10g)."
    })
public final class BenchScaleCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(
      names = "--pipelines",
      split = ",",
      paramLabel = "N[,N...]",
      description =
          "Pipeline counts to run, e.g. 10,100,1000 (default: autopilot.bench.scale.pipelines).")
  private List<Integer> pipelines;

  @Option(
      names = "--nodes",
      paramLabel = "K",
      description = "Cluster nodes (actor systems in this JVM) of every run (default: 1).")
  private Integer nodes;

  @Option(
      names = "--ticks",
      paramLabel = "N",
      description = "Measured ticks per run (default: autopilot.bench.scale.ticks).")
  private Integer ticks;

  @Option(
      names = "--warmup-ticks",
      paramLabel = "N",
      description =
          "Ticks run before the measured ones (entities start and recover, the JIT warms up)"
              + " (default: autopilot.bench.scale.warmup-ticks).")
  private Integer warmupTicks;

  @Option(
      names = "--journal",
      paramLabel = "h2|postgres",
      description =
          "Journal of every run: h2 (a file in a temporary directory) or postgres (a scratch"
              + " database on autopilot.bench.scale.postgres.url, dropped afterwards) (default:"
              + " autopilot.bench.scale.journal).")
  private String journal;

  @Option(
      names = "--in-flight",
      paramLabel = "N",
      description =
          "Most snapshots in the loop at once; 0 submits every pipeline of a tick at once, as the"
              + " telemetry collector does (default: autopilot.bench.scale.in-flight).")
  private Integer inFlight;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description =
          "Seed of the simulated workload and faults (default: autopilot.bench.scale.seed).")
  private Long seed;

  @Option(
      names = "--sim-nodes-per-pipeline",
      paramLabel = "X",
      description =
          "Nodes of the simulated Kubernetes cluster per pipeline (its max-nodes becomes the"
              + " larger of the configured 30 and X times the pipelines); 0 keeps the paper's"
              + " 30-node cluster, shared by all pipelines (default:"
              + " autopilot.bench.scale.simulated-nodes-per-pipeline).")
  private Double simNodesPerPipeline;

  @Option(names = "--report-dir", paramLabel = "DIR", description = "Also write DIR/scale.json.")
  private Path reportDir;

  private final Config config;

  /** With the application config ({@link RuntimeConfig#load()}), loaded when the command runs. */
  public BenchScaleCommand() {
    this(null);
  }

  /**
   * @param config the application config (holds {@code autopilot.bench.scale}); null loads it when
   *     the command runs
   */
  public BenchScaleCommand(Config config) {
    this.config = config;
  }

  @Override
  public Integer call() throws IOException {
    ScaleSettings settings = ScaleSettings.create(config());
    if (simNodesPerPipeline != null) {
      if (!(simNodesPerPipeline >= 0) || simNodesPerPipeline.isInfinite()) {
        throw new ParameterException(
            spec.commandLine(),
            "--sim-nodes-per-pipeline must be a number >= 0, was " + simNodesPerPipeline);
      }
      settings = settings.withSimulatedNodesPerPipeline(simNodesPerPipeline);
    }
    List<ScaleRunSpec> runs = plan(settings);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ScaleBench bench = new ScaleBench(settings, err);
    List<ScaleRun> results = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      ScaleRunSpec r = runs.get(i);
      err.printf(
          Locale.ROOT,
          "run %d/%d: %d pipelines on %d node(s), %s journal, %d ticks after %d warm-up, %d in"
              + " flight%n",
          i + 1,
          runs.size(),
          r.pipelines(),
          r.nodes(),
          r.journal(),
          r.ticks(),
          r.warmupTicks(),
          r.effectiveInFlight());
      err.flush();
      results.add(bench.run(r));
    }
    String version = version();
    out.printf(
        Locale.ROOT,
        "bench scale: seed %d, %s; decision latency = snapshot handed to the loop -> tick closed"
            + " by the meta-agent, per pipeline-tick; rates per second of loop time; load ="
            + " 1-min load average at start-end%n",
        runs.get(0).seed(),
        version);
    out.print(ScaleReport.table(results));
    if (reportDir != null) {
      Path file = ScaleReport.write(reportDir, results, version);
      out.println("Report: " + file);
    }
    out.flush();
    return 0;
  }

  /** The runs the options ask for. */
  List<ScaleRunSpec> plan(ScaleSettings s) {
    String j = journal == null ? s.journal() : journal.toLowerCase(Locale.ROOT);
    if (!ScaleSettings.JOURNALS.contains(j)) {
      throw new ParameterException(
          spec.commandLine(),
          "--journal: unknown journal '"
              + journal
              + "', expected one of "
              + ScaleSettings.JOURNALS);
    }
    int t = ticks == null ? s.ticks() : ticks;
    int w = warmupTicks == null ? s.warmupTicks() : warmupTicks;
    int f = inFlight == null ? s.inFlight() : inFlight;
    long sd = seed == null ? s.seed() : seed;
    if (t < 1) {
      throw new ParameterException(spec.commandLine(), "--ticks must be >= 1, was " + t);
    }
    if (w < 0) {
      throw new ParameterException(spec.commandLine(), "--warmup-ticks must be >= 0, was " + w);
    }
    if (f < 0) {
      throw new ParameterException(spec.commandLine(), "--in-flight must be >= 0, was " + f);
    }
    if (nodes != null && nodes < 1) {
      throw new ParameterException(spec.commandLine(), "--nodes must be >= 1, was " + nodes);
    }
    if (pipelines != null && (pipelines.isEmpty() || pipelines.stream().anyMatch(p -> p < 1))) {
      throw new ParameterException(
          spec.commandLine(), "--pipelines must be counts >= 1, was " + pipelines);
    }
    List<ScaleRunSpec> runs = new ArrayList<>();
    if (pipelines == null && nodes == null) {
      for (int p : s.pipelines()) {
        runs.add(new ScaleRunSpec(p, 1, j, t, w, f, sd));
      }
      runs.add(new ScaleRunSpec(s.clusterPipelines(), s.clusterNodes(), j, t, w, f, sd));
      return runs;
    }
    for (int p : pipelines == null ? s.pipelines() : pipelines) {
      runs.add(new ScaleRunSpec(p, nodes == null ? 1 : nodes, j, t, w, f, sd));
    }
    return runs;
  }

  private Config config() {
    return config != null ? config : RuntimeConfig.load();
  }

  private static String version() {
    String v = BenchScaleCommand.class.getPackage().getImplementationVersion();
    return "autopilot " + (v == null ? "(development build)" : v);
  }
}
