package dev.autopilot.runtime.serve;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.cluster.AutopilotNode;
import dev.autopilot.runtime.loop.AgentEntities;
import dev.autopilot.runtime.loop.ControlLoop;
import dev.autopilot.runtime.loop.PipelineSlas;
import dev.autopilot.runtime.sim.Scenario;
import dev.autopilot.runtime.sim.SimSettings;
import dev.autopilot.runtime.sim.SimulatedPlatform;
import dev.autopilot.runtime.telemetry.TelemetryCollector;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code autopilot serve}: the long-running live mode. Starts a runtime node of the chosen profile
 * ({@link AutopilotNode}: journal schema, Pekko Management {@code /alive} and {@code /ready}, the
 * Prometheus exporter, cluster membership), registers the agents ({@link AgentEntities}), starts
 * the {@link ControlLoop} and the {@link TelemetryCollector} cluster singleton, then blocks until
 * the actor system terminates, and returns 0. SIGTERM (or Ctrl-C) runs Pekko's coordinated
 * shutdown through its JVM shutdown hook, which this command forces on: the collector stops
 * collecting, the node leaves the cluster and hands its shards over; the JVM then exits with the
 * signal's status (143 for SIGTERM), as any JVM stopped by a signal. When the actor system
 * terminates for another reason (downed by the split-brain resolver, for example) the process
 * exits 0.
 *
 * <p>The only platform of this release is {@code simulated}: a {@link SimulatedPlatform} of {@code
 * --pipelines} pipelines with the generated workload and fault schedule of {@code --seed}
 * ({@code autopilot.serve.simulated}), advanced one tick (10 s of event time) per collection, so
 * {@code --tick-interval} sets how fast simulated time runs. Each node builds its own simulator:
 * with several nodes this is a demonstration only (see {@link TelemetryCollector}). The simulation
 * starts at tick 0 at every start, so point a new simulated run at a fresh journal.
 *
 * <p>Option defaults come from the application config ({@link ServeDefaults}).
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the agents continuously: a cluster node that collects telemetry every tick interval, "
          + "runs the control loop and acts on the platform, until SIGTERM or Ctrl-C. Exposes "
          + "Prometheus metrics and Pekko Management health (/alive) and readiness (/ready)."
    })
public final class ServeCommand implements Callable<Integer> {

  /** Platforms {@code --platform} accepts in this release. */
  public static final List<String> PLATFORMS = List.of("simulated");

  @Spec private CommandSpec spec;

  @Option(
      names = "--platform",
      paramLabel = "simulated",
      description =
          "Platform to manage; only 'simulated' in this release (default: ${DEFAULT-VALUE}).")
  private String platform;

  @Option(
      names = "--pipelines",
      paramLabel = "N",
      description = "Pipelines of the simulated platform (default: ${DEFAULT-VALUE}).")
  private int pipelines;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description =
          "Seed of the simulated platform's workload and faults (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Option(
      names = "--tick-interval",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Wall-clock time between two collections, e.g. 10s, 200ms (default: ${DEFAULT-VALUE},"
              + " autopilot.collector.interval). The simulated platform advances one tick (10 s"
              + " of event time) per collection.")
  private Duration tickInterval;

  @Option(
      names = "--profile",
      paramLabel = "local|kubernetes",
      description =
          "Configuration profile: local (one node, H2) or kubernetes (bootstrap, PostgreSQL)"
              + " (default: ${DEFAULT-VALUE}, autopilot.profile).")
  private String profile;

  @Override
  public Integer call() {
    validate();
    PrintWriter out = spec.commandLine().getOut();
    Config config = RuntimeConfig.load(profile, overrides());
    SimSettings sim = SimSettings.create(config);
    Scenario scenario =
        Scenario.defaultScenario(
            sim,
            seed,
            config.getInt("autopilot.serve.simulated.days"),
            pipelines,
            config.getInt("autopilot.serve.simulated.faults"));
    SimulatedPlatform simulated = new SimulatedPlatform(sim, scenario);
    AutopilotNode node =
        AutopilotNode.start(config, system -> AgentEntities.init(system, simulated));
    try {
      Map<String, SlaSpec> slas = PipelineSlas.of(config, scenario.pipelineIds());
      ControlLoop loop = ControlLoop.start(node, slas);
      TelemetryCollector.initSingleton(
          loop, simulated, TelemetryCollector.afterCollection(simulated));
      out.printf(
          "Serving %d pipeline(s) %s on the %s platform (profile %s, seed %d): one collection"
              + " every %s; metrics %s; management %s. Stop with SIGTERM or Ctrl-C.%n",
          pipelines,
          scenario.pipelineIds(),
          platform,
          profile,
          seed,
          format(tickInterval),
          node.metricsPort() == 0 ? "off" : "on port " + node.metricsPort(),
          node.managementUri().map(Object::toString).orElse("off"));
      out.flush();
      node.system().getWhenTerminated().toCompletableFuture().join();
      return 0;
    } finally {
      node.close();
    }
  }

  private void validate() {
    CommandLine cl = spec.commandLine();
    if (!PLATFORMS.contains(platform)) {
      throw new ParameterException(
          cl,
          "--platform: '"
              + platform
              + "' is not available in this release; the only platform is 'simulated' (the"
              + " Flink REST and Kubernetes adapters come later)");
    }
    if (pipelines < 1) {
      throw new ParameterException(cl, "--pipelines must be >= 1, was " + pipelines);
    }
    if (tickInterval == null || tickInterval.isZero() || tickInterval.isNegative()) {
      throw new ParameterException(
          cl, "--tick-interval must be a positive duration, was " + tickInterval);
    }
    if (!RuntimeConfig.PROFILES.contains(profile)) {
      throw new ParameterException(
          cl, "--profile: unknown profile '" + profile + "', expected one of " + RuntimeConfig.PROFILES);
    }
  }

  private static String format(Duration d) {
    return d.toMillis() % 1000 == 0 && d.toNanos() % 1_000_000 == 0
        ? d.toSeconds() + "s"
        : d.toNanos() % 1_000_000 == 0 ? d.toMillis() + "ms" : d.toNanos() + "ns";
  }

  /** The command's options as config overrides, and the JVM shutdown hook on. */
  private Config overrides() {
    return ConfigFactory.empty()
        .withValue(
            "autopilot.collector.interval",
            ConfigValueFactory.fromAnyRef(tickInterval.toNanos() + "ns"))
        .withValue(
            "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook",
            ConfigValueFactory.fromAnyRef(true));
  }

  /** Parses a HOCON duration ({@code 10s}, {@code 200ms}, {@code 1 minute}). */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return ConfigFactory.empty()
            .withValue("d", ConfigValueFactory.fromAnyRef(value))
            .getDuration("d");
      } catch (ConfigException e) {
        throw new TypeConversionException(
            "'" + value + "' is not a duration (examples: 10s, 200ms, 1 minute)");
      }
    }
  }
}
