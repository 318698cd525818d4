package dev.autopilot.runtime.bench.baseline.fko;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.autoscaler.config.AutoScalerOptions;
import org.apache.flink.configuration.Configuration;

/**
 * Settings of the {@code fko} baseline ({@code autopilot.bench.fko}): the Flink configuration
 * options handed to the FKO autoscaler library. Every option not listed keeps the library's
 * default; {@code bench.conf} documents why each listed one is set.
 *
 * @param options Flink configuration keys and values (for example {@code job.autoscaler.enabled})
 */
public record FkoSettings(Map<String, String> options) {

  public FkoSettings {
    options = Map.copyOf(new TreeMap<>(options));
    options.forEach(
        (k, v) -> {
          if (k.isBlank() || v == null) {
            throw new IllegalArgumentException(
                "autopilot.bench.fko.options: blank key or no value");
          }
        });
    Configuration conf = Configuration.fromMap(options);
    boolean enabled;
    try {
      enabled = conf.get(AutoScalerOptions.AUTOSCALER_ENABLED);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "autopilot.bench.fko.options: "
              + AutoScalerOptions.AUTOSCALER_ENABLED.key()
              + " is not"
              + " a boolean: "
              + options.get(AutoScalerOptions.AUTOSCALER_ENABLED.key()),
          e);
    }
    if (!enabled) {
      throw new IllegalArgumentException(
          "autopilot.bench.fko.options must set "
              + AutoScalerOptions.AUTOSCALER_ENABLED.key()
              + " = true: the library's default (false) makes the fko baseline a static one");
    }
  }

  /** The options as the Flink configuration the library reads. */
  public Configuration configuration() {
    return Configuration.fromMap(options);
  }

  /** Reads {@code fko} of {@code autopilot.bench} (the config at {@code autopilot.bench}). */
  public static FkoSettings create(Config bench) {
    Map<String, String> options = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : bench.getObject("fko.options").entrySet()) {
      options.put(e.getKey(), String.valueOf(e.getValue().unwrapped()));
    }
    return new FkoSettings(options);
  }
}
