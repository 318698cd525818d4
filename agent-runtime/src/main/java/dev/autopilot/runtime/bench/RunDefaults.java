package dev.autopilot.runtime.bench;

import com.typesafe.config.Config;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Default values of a command's options, read from {@code autopilot.bench.<command>} ({@code run}
 * by default): option {@code --report-dir} of {@code run} defaults to key {@code
 * autopilot.bench.run.report-dir}, and so on. Options of other commands (subcommands included), and
 * options without a key, get no default from here.
 */
public final class RunDefaults implements IDefaultValueProvider {

  private final Config run;
  private final String command;

  /**
   * @param root a config holding {@code autopilot.bench.run}
   */
  public RunDefaults(Config root) {
    this(root, "run");
  }

  /**
   * @param root a config holding {@code autopilot.bench.<command>}
   * @param command the command whose options get their defaults from there
   */
  public RunDefaults(Config root, String command) {
    this.run = root.getConfig(BenchSettings.ROOT + "." + command);
    this.command = command;
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (!(argSpec instanceof OptionSpec option)
        || argSpec.command() == null
        || !command.equals(argSpec.command().name())) {
      return null;
    }
    String key = option.longestName().replaceFirst("^--", "");
    return run.hasPath(key) ? String.valueOf(run.getValue(key).unwrapped()) : null;
  }
}
