package dev.autopilot.runtime;

import com.typesafe.config.Config;
import dev.autopilot.runtime.audit.AuditCommand;
import dev.autopilot.runtime.bench.BenchCommand;
import dev.autopilot.runtime.bench.BenchScenarios;
import dev.autopilot.runtime.bench.BenchSettings;
import dev.autopilot.runtime.bench.ProgressBar;
import dev.autopilot.runtime.bench.RunCommand;
import dev.autopilot.runtime.bench.RunDefaults;
import dev.autopilot.runtime.bench.ScenarioRunner;
import dev.autopilot.runtime.detect.DetectCommand;
import dev.autopilot.runtime.drill.DrillCommand;
import dev.autopilot.runtime.forecast.ForecastCommand;
import dev.autopilot.runtime.journal.JournalCommand;
import dev.autopilot.runtime.metrics.AutopilotMetrics;
import dev.autopilot.runtime.rca.RcaCommand;
import dev.autopilot.runtime.run.SimulationRunner;
import dev.autopilot.runtime.search.SearchCommand;
import dev.autopilot.runtime.serve.ServeCommand;
import dev.autopilot.runtime.serve.ServeDefaults;
import dev.autopilot.runtime.train.TrainCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code autopilot} command line. Subcommands are listed once, in {@link Command#subcommands}
 * below; {@link Factory} builds those that need wiring, the others with their no-argument
 * constructor.
 *
 * <p>Exit codes: 0 success, 2 usage error (unknown option, bad value; picocli prints the message
 * and the usage), 1 failure (one clear message on stderr; the stack trace only with {@code
 * --verbose}).
 */
@Command(
    name = "autopilot",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Flink Autopilot: autonomous operations for Apache Flink pipelines on Kubernetes.",
    subcommands = {
      RunCommand.class,
      BenchCommand.class,
      ServeCommand.class,
      AuditCommand.class,
      TrainCommand.class,
      RcaCommand.class,
      DetectCommand.class,
      ForecastCommand.class,
      SearchCommand.class,
      DrillCommand.class,
      JournalCommand.class
    })
public final class Main implements Runnable {

  @Spec private CommandSpec spec;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Print the stack trace of a failure.")
  private boolean verbose;

  public static void main(String[] args) {
    if (args.length > 0
        && ("run".equals(args[0])
            || "bench".equals(args[0])
            || "audit".equals(args[0])
            || "journal".equals(args[0])
            || "detect".equals(args[0])
            || "drill".equals(args[0]))
        && System.getProperty("autopilot.log.level") == null
        && System.getenv("AUTOPILOT_LOG_LEVEL") == null) {
      // Before the first logger exists: the main job shows its progress bar and table, audit its
      // timeline and journal its row, not the cluster's start-up logs.
      System.setProperty("autopilot.log.level", "WARN");
    }
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    Config config = loadConfig();
    ScenarioRunner runner = new SimulationRunner(config, Path.of("data"));
    int code = commandLine(config, runner, out, err, ProgressBar.detectTerminal()).execute(args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /**
   * The application config of this node (profile, overrides, defaults): {@link
   * RuntimeConfig#load()}.
   */
  public static Config loadConfig() {
    return RuntimeConfig.load();
  }

  /**
   * The command line, wired.
   *
   * @param config application config (holds {@code autopilot.bench})
   * @param runner the scenario runner of {@code run}; null when the build has none
   * @param out standard output
   * @param err standard error (messages, progress bars)
   * @param terminal whether progress bars redraw in place
   */
  public static CommandLine commandLine(
      Config config, ScenarioRunner runner, PrintWriter out, PrintWriter err, boolean terminal) {
    BenchSettings bench = BenchSettings.create(config);
    CommandLine cl = new CommandLine(new Main(), new Factory(config, bench, runner, err, terminal));
    cl.setOut(out);
    cl.setErr(err);
    cl.setDefaultValueProvider(new RunDefaults(config));
    cl.getSubcommands().get("serve").setDefaultValueProvider(new ServeDefaults(config));
    CommandLine benchCommand = cl.getSubcommands().get("bench");
    benchCommand.setDefaultValueProvider(new RunDefaults(config, "bench"));
    // `bench scale` takes its defaults from autopilot.bench.scale itself (ScaleSettings), not from
    // the scenario bench's provider, which setting it on `bench` passed down.
    benchCommand.getSubcommands().get("scale").setDefaultValueProvider(argSpec -> null);
    benchCommand
        .getCommandSpec()
        .usageMessage()
        .footer(BenchCommand.footer(BenchScenarios.create(config)));
    cl.setExecutionExceptionHandler(Main::onFailure);
    return cl;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
  }

  private static int onFailure(Exception ex, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    StringBuilder message = new StringBuilder(describe(ex));
    for (Throwable c = ex.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      message.append(": ").append(describe(c));
    }
    err.println("autopilot " + cmd.getCommandName() + ": failed: " + message);
    if (verbose(parseResult)) {
      ex.printStackTrace(err);
    } else {
      err.println("(run with --verbose for the stack trace)");
    }
    err.flush();
    return 1;
  }

  /**
   * The message of a throwable; for I/O errors, whose message is often a bare path, prefixed with
   * the error's name (for example {@code AccessDeniedException: /report}).
   */
  private static String describe(Throwable t) {
    if (t.getMessage() == null) {
      return t.getClass().getSimpleName();
    }
    return t instanceof IOException
        ? t.getClass().getSimpleName() + ": " + t.getMessage()
        : t.getMessage();
  }

  private static boolean verbose(ParseResult parseResult) {
    for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  /** Builds the subcommands that need wiring; the others through picocli's default factory. */
  private static final class Factory implements IFactory {
    private final Config config;
    private final BenchSettings bench;
    private final ScenarioRunner runner;
    private final PrintWriter err;
    private final boolean terminal;

    Factory(
        Config config,
        BenchSettings bench,
        ScenarioRunner runner,
        PrintWriter err,
        boolean terminal) {
      this.config = config;
      this.bench = bench;
      this.runner = runner;
      this.err = err;
      this.terminal = terminal;
    }

    /** The progress bar of `run` and `bench`, on standard error. */
    private ProgressBar progressBar(String label) {
      return new ProgressBar(
          err,
          label,
          terminal,
          bench.progressRedrawMillis(),
          bench.progressPlainLinePercent(),
          System::nanoTime);
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
      if (cls == RunCommand.class) {
        return cls.cast(
            new RunCommand(
                runner,
                bench,
                this::progressBar,
                (minutes, reportDir, out) ->
                    new dev.autopilot.runtime.flink.embedded.EmbeddedFlinkRun(config)
                        .run(minutes, reportDir, out),
                dev.autopilot.runtime.bench.BenchScenarios.create(config)));
      }
      if (cls == BenchCommand.class) {
        return cls.cast(
            new BenchCommand(
                runner,
                bench,
                this::progressBar,
                BenchScenarios.create(config),
                AutopilotMetrics.buildVersion(),
                System::nanoTime));
      }
      if (cls == DetectCommand.class) {
        return cls.cast(new DetectCommand(err, terminal));
      }
      if (cls == ForecastCommand.class) {
        return cls.cast(new ForecastCommand(config));
      }
      if (cls == SearchCommand.class) {
        return cls.cast(new SearchCommand(config, err, terminal));
      }
      return CommandLine.defaultFactory().create(cls);
    }
  }

  /** The version from the jar manifest, if any. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"autopilot " + (v == null ? "(development build)" : v)};
    }
  }
}
