package dev.autopilot.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigResolver;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import dev.autopilot.persistence.DatabaseSettings;
import java.util.List;
import java.util.Map;

/**
 * Composes the configuration of one runtime node. Layers, highest first:
 *
 * <ol>
 *   <li>the caller's overrides (tests: ports, database, join mode);
 *   <li>JVM system properties ({@code -Dkey=value});
 *   <li>the profile from cluster-config: {@code local.conf} or {@code kubernetes.conf};
 *   <li>{@code application.conf} (cluster.conf, persistence-jdbc.conf, runtime.conf);
 *   <li>every module's {@code reference.conf}.
 * </ol>
 *
 * <p>The profile is the {@code profile} argument, or else {@code autopilot.profile} from the layers
 * above ({@code AUTOPILOT_PROFILE}), {@code local} by default. Environment variables enter through
 * the {@code ${?ENV}} substitutions of those files. Finally the journal database is selected
 * ({@link DatabaseSettings#applyTo}). Several nodes can run in one JVM with distinct overrides
 * ({@link #nodePorts}) and a shared database ({@link #database}).
 */
public final class RuntimeConfig {
  /** Profiles shipped by cluster-config. */
  public static final List<String> PROFILES = List.of("local", "kubernetes");

  private RuntimeConfig() {}

  /** The configuration of the profile named by the environment, without overrides. */
  public static Config load() {
    return load(null, ConfigFactory.empty());
  }

  /**
   * @param profile {@code local} or {@code kubernetes}; null takes {@code autopilot.profile}
   * @param overrides keys that win over every file
   * @return the resolved configuration
   */
  public static Config load(String profile, Config overrides) {
    return load(profile, overrides, ConfigResolveOptions.defaults());
  }

  /**
   * As {@link #load(String, Config)}, with {@code environment} in place of the process's
   * environment variables in the {@code ${?ENV}} substitutions: what a node would resolve in a
   * given environment, such as the one a Kubernetes manifest gives its pods.
   *
   * @param profile {@code local} or {@code kubernetes}; null takes {@code autopilot.profile}
   * @param overrides keys that win over every file
   * @param environment the environment variables, by name
   * @return the resolved configuration
   */
  public static Config load(String profile, Config overrides, Map<String, String> environment) {
    Map<String, String> env = Map.copyOf(environment);
    return load(
        profile,
        overrides,
        ConfigResolveOptions.defaults()
            .setUseSystemEnvironment(false)
            .appendResolver(new EnvironmentResolver(env)));
  }

  private static Config load(String profile, Config overrides, ConfigResolveOptions options) {
    Config base =
        ConfigFactory.parseResources("application.conf")
            // Unresolved, so that the ${?ENV} substitutions of every module's reference.conf
            // (autopilot.kubernetes.namespace, for one) resolve once, below, in the given
            // environment.
            .withFallback(ConfigFactory.defaultReferenceUnresolved());
    Config top = overrides.withFallback(ConfigFactory.systemProperties());
    String selected =
        profile != null
            ? profile
            : top.withFallback(base).resolve(options).getString("autopilot.profile");
    if (!PROFILES.contains(selected)) {
      throw new IllegalArgumentException(
          "unknown profile '" + selected + "', expected one of " + PROFILES);
    }
    Config profileConfig = ConfigFactory.parseResources(selected + ".conf");
    if (profileConfig.isEmpty()) {
      throw new IllegalStateException(selected + ".conf is not on the classpath");
    }
    Config resolved =
        top.withValue("autopilot.profile", ConfigValueFactory.fromAnyRef(selected))
            .withFallback(profileConfig)
            .withFallback(base)
            .resolve(options);
    return DatabaseSettings.applyTo(resolved);
  }

  /** Resolves substitutions that name no configuration key from a fixed environment. */
  private record EnvironmentResolver(Map<String, String> environment) implements ConfigResolver {
    @Override
    public ConfigValue lookup(String path) {
      String value = environment.get(path);
      return value == null ? null : ConfigValueFactory.fromAnyRef(value, "environment " + path);
    }

    @Override
    public ConfigResolver withFallback(ConfigResolver fallback) {
      EnvironmentResolver self = this;
      return new ConfigResolver() {
        @Override
        public ConfigValue lookup(String path) {
          ConfigValue v = self.lookup(path);
          return v != null ? v : fallback.lookup(path);
        }

        @Override
        public ConfigResolver withFallback(ConfigResolver next) {
          return self.withFallback(fallback.withFallback(next));
        }
      };
    }
  }

  /**
   * Overrides for one node of several in a JVM: remoting, management and metrics ports (0 picks a
   * free remoting or management port; metrics 0 disables the exporter).
   */
  public static Config nodePorts(int remotePort, int managementPort, int metricsPort) {
    return ConfigFactory.parseMap(
        Map.of(
            "pekko.remote.artery.canonical.port", remotePort,
            "pekko.management.http.port", managementPort,
            "autopilot.metrics.port", metricsPort));
  }

  /** Overrides selecting a journal database by URL (H2 or PostgreSQL, inferred from the URL). */
  public static Config database(String url, String user, String password) {
    return ConfigFactory.parseMap(
        Map.of(
            "autopilot.db.kind", "",
            "autopilot.db.url", url,
            "autopilot.db.user", user,
            "autopilot.db.password", password));
  }
}
