package dev.autopilot.runtime.bench;

import com.typesafe.config.Config;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Default values of the {@code run} command's options, read from {@code autopilot.bench.run}:
 * option {@code --report-dir} defaults to key {@code autopilot.bench.run.report-dir}, and so on.
 * Options of other commands, and options without a key, get no default from here.
 */
public final class RunDefaults implements IDefaultValueProvider {

  private final Config run;

  /**
   * @param root a config holding {@code autopilot.bench.run}
   */
  public RunDefaults(Config root) {
    this.run = root.getConfig(BenchSettings.ROOT + ".run");
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (!(argSpec instanceof OptionSpec option)
        || argSpec.command() == null
        || !"run".equals(argSpec.command().name())) {
      return null;
    }
    String key = option.longestName().replaceFirst("^--", "");
    return run.hasPath(key) ? String.valueOf(run.getValue(key).unwrapped()) : null;
  }
}
