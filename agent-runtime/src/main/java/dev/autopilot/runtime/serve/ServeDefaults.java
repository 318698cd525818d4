package dev.autopilot.runtime.serve;

import com.typesafe.config.Config;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Default values of the {@code serve} command's options, read from the application config: {@code
 * --platform}, {@code --pipelines} and {@code --seed} from {@code autopilot.serve}, {@code
 * --tick-interval} from {@code autopilot.collector.interval}, {@code --profile} from {@code
 * autopilot.profile}. An option whose key is absent gets no default from here.
 */
public final class ServeDefaults implements IDefaultValueProvider {

  private static final Map<String, String> KEYS =
      Map.of(
          "--platform", "autopilot.serve.platform",
          "--pipelines", "autopilot.serve.pipelines",
          "--seed", "autopilot.serve.seed",
          "--tick-interval", "autopilot.collector.interval",
          "--profile", "autopilot.profile");

  private final Config root;

  /**
   * @param root the application config
   */
  public ServeDefaults(Config root) {
    this.root = root;
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (!(argSpec instanceof OptionSpec option)) {
      return null;
    }
    String key = KEYS.get(option.longestName());
    return key != null && root.hasPath(key) ? String.valueOf(root.getValue(key).unwrapped()) : null;
  }
}
