package dev.autopilot.runtime.serve;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.autopilot.api.Platform;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.k8s.KubernetesPlatform;
import dev.autopilot.k8s.KubernetesSettings;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.admin.AdminServer;
import dev.autopilot.runtime.admin.AdminSettings;
import dev.autopilot.runtime.admin.MetaAgentControl;
import dev.autopilot.runtime.cluster.AutopilotNode;
import dev.autopilot.runtime.flink.FlinkRestPlatform;
import dev.autopilot.runtime.flink.FlinkRestSettings;
import dev.autopilot.runtime.flink.FlinkRestTelemetry;
import dev.autopilot.runtime.loop.AgentEntities;
import dev.autopilot.runtime.loop.ControlLoop;
import dev.autopilot.runtime.loop.PipelineSlas;
import dev.autopilot.runtime.sim.Scenario;
import dev.autopilot.runtime.sim.SimSettings;
import dev.autopilot.runtime.sim.SimulatedPlatform;
import dev.autopilot.runtime.telemetry.TelemetryCollector;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * the actor system terminates, and returns 0. SIGTERM (or Ctrl-C) runs Pekko's coordinated shutdown
 * through its JVM shutdown hook, which this command forces on: the collector stops collecting, the
 * node leaves the cluster and hands its shards over; the JVM then exits with the signal's status
 * (143 for SIGTERM), as any JVM stopped by a signal. When the actor system terminates for another
 * reason (downed by the split-brain resolver, for example) the process exits 0.
 *
 * <p>Platforms ({@code --platform}):
 *
 * <ul>
 *   <li>{@code simulated}: a {@link SimulatedPlatform} of {@code --pipelines} pipelines with the
 *       generated workload and fault schedule of {@code --seed} ({@code
 *       autopilot.serve.simulated}), advanced one tick (10 s of event time) per collection, so
 *       {@code --tick-interval} sets how fast simulated time runs. Each node builds its own
 *       simulator: with several nodes this is a demonstration only (see {@link
 *       TelemetryCollector}). The simulation starts at tick 0 at every start, so point a new
 *       simulated run at a fresh journal.
 *   <li>{@code flink-rest}: the Flink jobs named by {@code --flink-job PIPELINE=JOB} on the cluster
 *       at {@code --flink-url} ({@code autopilot.flink-rest}), through a {@link FlinkRestPlatform}
 *       that observes, rescales and takes savepoints; without a launcher it owns no job, so changes
 *       that need a resubmission are rejected with a reason.
 *   <li>{@code kubernetes}: the FlinkDeployments of {@code autopilot.kubernetes.namespace} that
 *       match its label selector, listed once at start, through a {@link KubernetesPlatform} that
 *       observes each job over its own REST endpoint ({@link FlinkRestTelemetry}). A
 *       FlinkDeployment created later is managed after the next (rolling) restart.
 * </ul>
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

  /** Platforms {@code --platform} accepts. */
  public static final List<String> PLATFORMS = List.of("simulated", "flink-rest", "kubernetes");

  @Spec private CommandSpec spec;

  @Option(
      names = "--platform",
      paramLabel = "simulated|flink-rest|kubernetes",
      description =
          "Platform to manage: simulated (the digital twin), flink-rest (jobs of one Flink"
              + " cluster, see --flink-url and --flink-job) or kubernetes (the FlinkDeployments of"
              + " autopilot.kubernetes.namespace) (default: ${DEFAULT-VALUE}).")
  private String platform;

  @Option(
      names = "--flink-url",
      paramLabel = "URL",
      description =
          "flink-rest: the JobManager's REST endpoint (default: autopilot.flink-rest.base-url).")
  private URI flinkUrl;

  @Option(
      names = "--flink-job",
      paramLabel = "PIPELINE=JOB",
      description =
          "flink-rest: a pipeline to manage and the name of its Flink job; repeat for more"
              + " (default: autopilot.serve.flink-jobs).")
  private List<String> flinkJobs = new ArrayList<>();

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
    KubernetesPlatform kubernetes = null;
    Platform managed;
    List<String> pipelineIds;
    String seedNote = "";
    switch (platform) {
      case "flink-rest" -> {
        Map<String, String> jobs = flinkJobs(config);
        FlinkRestSettings rest = FlinkRestSettings.create(config);
        if (flinkUrl != null) {
          rest = rest.withBaseUrl(flinkUrl);
        }
        managed = FlinkRestPlatform.create(rest, jobs, null);
        pipelineIds = List.copyOf(jobs.keySet());
      }
      case "kubernetes" -> {
        KubernetesSettings kube = KubernetesSettings.create(config);
        kubernetes =
            KubernetesPlatform.connect(
                kube, new FlinkRestTelemetry(FlinkRestSettings.create(config)));
        managed = kubernetes;
        try {
          pipelineIds = List.copyOf(kubernetes.pipelines());
        } catch (RuntimeException e) {
          kubernetes.close();
          throw e;
        }
        if (pipelineIds.isEmpty()) {
          kubernetes.close();
          throw new ParameterException(
              spec.commandLine(),
              "--platform kubernetes: no FlinkDeployment in namespace '"
                  + kube.namespace()
                  + "' matches autopilot.kubernetes.label-selector; nothing to manage");
        }
      }
      default -> {
        SimSettings sim = SimSettings.create(config);
        Scenario scenario =
            Scenario.defaultScenario(
                sim,
                seed,
                config.getInt("autopilot.serve.simulated.days"),
                pipelines,
                config.getInt("autopilot.serve.simulated.faults"));
        managed = new SimulatedPlatform(sim, scenario);
        pipelineIds = scenario.pipelineIds();
        seedNote = ", seed " + seed;
      }
    }
    Platform served = managed;
    AdminSettings adminSettings = AdminSettings.create(config);
    AutopilotNode node = AutopilotNode.start(config, system -> AgentEntities.init(system, served));
    AdminServer admin = null;
    try {
      Map<String, SlaSpec> slas = PipelineSlas.of(config, pipelineIds);
      ControlLoop loop = ControlLoop.start(node, slas);
      TelemetryCollector.initSingleton(loop, served, TelemetryCollector.afterCollection(served));
      if (adminSettings.enabled()) {
        try {
          admin =
              AdminServer.start(
                  adminSettings,
                  MetaAgentControl.sharded(node.system(), pipelineIds, adminSettings.askTimeout()));
        } catch (IOException e) {
          throw new UncheckedIOException(
              "cannot bind the admin API to " + adminSettings.iface() + ":" + adminSettings.port(),
              e);
        }
      }
      out.printf(
          "Serving %d pipeline(s) %s on the %s platform (profile %s%s): one collection"
              + " every %s; metrics %s; management %s; admin API %s. Stop with SIGTERM or"
              + " Ctrl-C.%n",
          pipelineIds.size(),
          pipelineIds,
          platform,
          profile,
          seedNote,
          format(tickInterval),
          node.metricsPort() == 0 ? "off" : "on port " + node.metricsPort(),
          node.managementUri().map(Object::toString).orElse("off"),
          admin == null
              ? "off"
              : "on "
                  + adminSettings.iface()
                  + ":"
                  + admin.port()
                  + (adminSettings.readOnly() ? " (read-only: no token configured)" : ""));
      out.flush();
      node.system().getWhenTerminated().toCompletableFuture().join();
      return 0;
    } finally {
      if (admin != null) {
        admin.close();
      }
      node.close();
      if (kubernetes != null) {
        kubernetes.close();
      }
    }
  }

  /**
   * The pipelines of {@code --platform flink-rest}: {@code --flink-job} options, or {@code
   * autopilot.serve.flink-jobs} when none is given, as pipeline id to Flink job name.
   */
  private Map<String, String> flinkJobs(Config config) {
    List<String> given =
        flinkJobs.isEmpty() ? config.getStringList("autopilot.serve.flink-jobs") : flinkJobs;
    Map<String, String> jobs = new LinkedHashMap<>();
    for (String g : given) {
      int eq = g.indexOf('=');
      if (eq <= 0 || eq == g.length() - 1) {
        throw new ParameterException(
            spec.commandLine(), "--flink-job: expected PIPELINE=JOB, got '" + g + "'");
      }
      String pipeline = g.substring(0, eq).trim();
      if (jobs.put(pipeline, g.substring(eq + 1).trim()) != null) {
        throw new ParameterException(
            spec.commandLine(), "--flink-job: pipeline '" + pipeline + "' is given twice");
      }
    }
    if (jobs.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          "--platform flink-rest needs at least one --flink-job PIPELINE=JOB (or"
              + " autopilot.serve.flink-jobs)");
    }
    return jobs;
  }

  private void validate() {
    CommandLine cl = spec.commandLine();
    if (!PLATFORMS.contains(platform)) {
      throw new ParameterException(
          cl, "--platform: unknown platform '" + platform + "', expected one of " + PLATFORMS);
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
          cl,
          "--profile: unknown profile '"
              + profile
              + "', expected one of "
              + RuntimeConfig.PROFILES);
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
