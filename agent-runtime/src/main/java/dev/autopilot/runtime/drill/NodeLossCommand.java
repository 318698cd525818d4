package dev.autopilot.runtime.drill;

import com.typesafe.config.Config;
import dev.autopilot.runtime.RuntimeConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code drill node-loss}: the {@link NodeLossDrill} with its settings from {@code
 * autopilot.drill.node-loss} ({@link NodeLossSettings}), the trials and the seed from the command
 * line. Prints a summary, or one JSON object with {@code --json}; a line per trial goes to standard
 * error. Exit code 1 when a trial failed or the audit replay differs from the live state.
 */
@Command(
    name = "node-loss",
    mixinStandardHelpOptions = true,
    description = {
      "Kills nodes of a local cluster (autopilot.drill.node-loss.nodes, 3) at chosen moments:"
          + " steady, a decision's platform call held before or after the platform acted, a change"
          + " under verification, a rollback's platform call held. After each trial: the"
          + " configuration history is the expected one (nothing lost or reordered), the platform"
          + " acted once per change the journal closed, the pipelines resumed within the bound"
          + " (resume-bound, 30 s), and a rollback restores the previous known-good configuration."
          + " Finally the journal's replay is compared with the live state of every entity.",
      "Needs a PostgreSQL journal server: autopilot.db.url / AUTOPILOT_DB_URL, e.g."
          + " jdbc:postgresql://127.0.0.1:5432/postgres; the drill journals into a scratch database"
          + " it creates there and drops."
    })
public final class NodeLossCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(
      names = "--trials",
      paramLabel = "N",
      description = "Trials, each killing one node (default: autopilot.drill.node-loss.trials).")
  private Integer trials;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description =
          "Seed of the moments, pipelines and nodes chosen and of the simulated workload (default:"
              + " autopilot.drill.node-loss.seed).")
  private Long seed;

  @Option(names = "--json", description = "Print one JSON object instead of the summary.")
  private boolean json;

  private final Config config;

  /** With the application config ({@link RuntimeConfig#load()}), loaded when the command runs. */
  public NodeLossCommand() {
    this(null);
  }

  /**
   * @param config the application config (holds {@code autopilot.drill} and {@code autopilot.db});
   *     null loads it when the command runs
   */
  public NodeLossCommand(Config config) {
    this.config = config;
  }

  @Override
  public Integer call() {
    Config root = config != null ? config : RuntimeConfig.load();
    NodeLossSettings settings = settings(NodeLossSettings.create(root));
    PrintWriter out = spec.commandLine().getOut();
    NodeLossReport report = NodeLossDrill.run(root, settings, spec.commandLine().getErr());
    out.print(json ? report.toJson() + System.lineSeparator() : report.toText());
    out.flush();
    return report.ok() ? 0 : 1;
  }

  /**
   * The configured settings with the command line's trials and seed; bad values are usage errors.
   */
  NodeLossSettings settings(NodeLossSettings configured) {
    if (trials != null && trials < 1) {
      throw new ParameterException(spec.commandLine(), "--trials must be >= 1, was " + trials);
    }
    return configured.with(
        trials == null ? configured.trials() : trials, seed == null ? configured.seed() : seed);
  }
}
