package dev.autopilot.runtime.flink.embedded;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.autopilot.agents.meta.MetaAgent;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.Decision;
import dev.autopilot.api.Diagnostics;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.persistence.DatabaseSettings;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.cluster.AutopilotNode;
import dev.autopilot.runtime.flink.FlinkRestPlatform;
import dev.autopilot.runtime.flink.FlinkRestSettings;
import dev.autopilot.runtime.loop.AgentEntities;
import dev.autopilot.runtime.loop.ControlLoop;
import dev.autopilot.runtime.loop.LoopResult;
import dev.autopilot.runtime.telemetry.CollectorSettings;
import dev.autopilot.runtime.telemetry.TelemetryCollector;
import dev.autopilot.runtime.telemetry.TelemetryGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One embedded real-Flink session: the MiniCluster running the taxi-trip job, the fault injector, a
 * one-node runtime (H2 journal under the run directory) whose agents observe and act through a
 * {@link FlinkRestPlatform} on the MiniCluster's REST endpoint, and the wall-clock {@link
 * TelemetryCollector} driving the control loop every {@code tick-interval}. Every closed tick is
 * recorded as an {@link IncidentTracker.Observation} and fed to the tracker.
 *
 * <p>The agents' only contact with Flink is the REST platform; the injector (faults) and the
 * launcher (submissions the platform asks for) are the only other code that touches the cluster.
 */
public final class EmbeddedFlinkSession implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedFlinkSession.class);

  private final EmbeddedRunSettings run;
  private final EmbeddedFlinkCluster cluster;
  private final EmbeddedJobLauncher launcher;
  private final FaultInjector injector;
  private final FlinkRestPlatform platform;
  private final AutopilotNode node;
  private final IncidentTracker tracker;
  private final PipelineConfig initial;
  private final List<IncidentTracker.Observation> observations = new ArrayList<>();

  /** The last snapshots the agents were given, oldest first (for diagnosis dumps). */
  private final java.util.ArrayDeque<TelemetrySnapshot> recentSnapshots =
      new java.util.ArrayDeque<>();

  private static final int RECENT_SNAPSHOTS = 32;
  private final List<MetaAgent.TickClosed> closed = new ArrayList<>();

  private EmbeddedFlinkSession(
      EmbeddedRunSettings run,
      EmbeddedFlinkCluster cluster,
      EmbeddedJobLauncher launcher,
      FaultInjector injector,
      FlinkRestPlatform platform,
      AutopilotNode node,
      IncidentTracker tracker,
      PipelineConfig initial) {
    this.run = run;
    this.cluster = cluster;
    this.launcher = launcher;
    this.injector = injector;
    this.platform = platform;
    this.node = node;
    this.tracker = tracker;
    this.initial = initial;
  }

  /**
   * Starts a session.
   *
   * @param config the application config ({@code RuntimeConfig.load}); the node's own overrides
   *     (journal, ports, collector interval, SLA) are layered on top
   * @param runDir directory of the run: checkpoints and the H2 journal go under it
   * @param baseRate the demanded rate before surges, records per second, read continuously
   */
  public static EmbeddedFlinkSession start(Config config, Path runDir, DoubleSupplier baseRate)
      throws Exception {
    EmbeddedRunSettings run = EmbeddedRunSettings.create(config);
    Path dir = runDir.toAbsolutePath();
    Files.createDirectories(dir);
    EmbeddedFlinkSettings settings =
        EmbeddedFlinkSettings.create(config, dir.resolve("checkpoints"));
    Chaos.clear();
    EmbeddedFlinkCluster cluster = EmbeddedFlinkCluster.start(settings);
    FaultInjector injector = null;
    AutopilotNode node = null;
    try {
      injector = new FaultInjector(cluster, run.magnitudes());
      var demand = injector.demand();
      DemandLedger.reset(settings.partitions(), () -> demand.applyAsDouble(baseRate.getAsDouble()));
      EmbeddedJobLauncher launcher = new EmbeddedJobLauncher(cluster, settings.maxTaskManagers());
      PipelineConfig initial = initialConfig(settings);
      launcher.submit(run.pipelineId(), initial, Optional.empty());
      FlinkRestPlatform platform =
          FlinkRestPlatform.create(
              FlinkRestSettings.create(config).withBaseUrl(cluster.restUri()),
              Map.of(run.pipelineId(), TaxiTripJob.JOB_NAME),
              launcher);
      Config nodeConfig = nodeConfig(config, dir.resolve("journal"), run);
      LOG.info(
          "Embedded profile: {}",
          nodeConfig
              .getConfig("autopilot.meta.constraints")
              .root()
              .render(com.typesafe.config.ConfigRenderOptions.concise()));
      node = AutopilotNode.start(nodeConfig, system -> AgentEntities.init(system, platform));
      node.awaitUp();
      IncidentTracker tracker =
          new IncidentTracker(run.healthyBacklogSeconds(), run.healthyTicks());
      EmbeddedFlinkSession session =
          new EmbeddedFlinkSession(
              run, cluster, launcher, injector, platform, node, tracker, initial);
      session.startLoop(nodeConfig);
      return session;
    } catch (Exception | Error e) {
      if (node != null) {
        node.close();
      }
      if (injector != null) {
        injector.close();
      }
      cluster.close();
      throw e;
    }
  }

  /** The configuration the job is first submitted with. */
  static PipelineConfig initialConfig(EmbeddedFlinkSettings s) {
    Map<String, Integer> p = new LinkedHashMap<>();
    TaxiTripJob.OPERATORS.forEach(op -> p.put(op, s.initialParallelism()));
    return new PipelineConfig(
        p,
        32,
        (int) s.checkpointInterval().toSeconds(),
        s.taskManagers(),
        1,
        1,
        s.slotsPerTaskManager());
  }

  /**
   * The node's config: a fresh H2 journal in the run directory, no ports, the run's tick and SLA.
   */
  static Config nodeConfig(Config config, Path journalDir, EmbeddedRunSettings run)
      throws java.io.IOException {
    Files.createDirectories(journalDir);
    try (var files = Files.list(journalDir)) {
      for (Path f :
          files.filter(x -> x.getFileName().toString().startsWith("autopilot.")).toList()) {
        Files.delete(f);
      }
    }
    String url =
        "jdbc:h2:file:"
            + journalDir.toAbsolutePath().resolve("autopilot")
            + ";DATABASE_TO_UPPER=false;DB_CLOSE_ON_EXIT=FALSE";
    String sla = "autopilot.pipelines.sla.\"" + run.pipelineId() + "\"";
    Config overrides =
        ConfigFactory.empty()
            .withValue("autopilot.metrics.port", ConfigValueFactory.fromAnyRef(0))
            .withValue("autopilot.node.management-enabled", ConfigValueFactory.fromAnyRef(false))
            .withValue("autopilot.cluster.join", ConfigValueFactory.fromAnyRef("self"))
            .withValue(
                "autopilot.collector.interval",
                ConfigValueFactory.fromAnyRef(run.tickInterval().toMillis() + "ms"))
            .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(0))
            .withValue(
                sla + ".throughput-target", ConfigValueFactory.fromAnyRef(run.throughputTarget()))
            .withValue(
                sla + ".latency-p99-bound",
                ConfigValueFactory.fromAnyRef(run.latencyP99Bound().toMillis() + "ms"))
            .withFallback(RuntimeConfig.database(url, "sa", ""));
    // The given config is resolved: its journal plugin already points at the database it was
    // loaded with. Selecting the database again makes the plugin use the run's own journal
    // (without it every run recovered the agents of the previous runs from ./data).
    return DatabaseSettings.applyTo(
        overrides
            .withFallback(
                ConfigFactory.parseResources(EmbeddedFlinkSession.class, "/flink-embedded.conf"))
            .withFallback(config)
            .resolve());
  }

  private void startLoop(Config nodeConfig) {
    Map<String, SlaSpec> slas =
        dev.autopilot.runtime.loop.PipelineSlas.of(nodeConfig, List.of(run.pipelineId()));
    ControlLoop loop = ControlLoop.start(node, slas);
    TelemetryCollector.initSingleton(
        node.system(),
        TelemetryCollector.create(
            CollectorSettings.create(nodeConfig),
            platform,
            snapshot -> record(snapshot, loop.submit(snapshot)),
            () -> {},
            node.metrics()));
    LOG.info("Embedded session: agents manage {} every {}", run.pipelineId(), run.tickInterval());
  }

  private CompletionStage<TelemetryGateway.IngestResult> record(
      TelemetrySnapshot s, CompletionStage<TelemetryGateway.IngestResult> result) {
    long at = System.currentTimeMillis();
    double rate = DemandLedger.get().lastRate();
    return result.whenComplete(
        (r, failure) -> {
          MetaAgent.TickClosed c =
              r instanceof LoopResult.TickCompleted done ? done.closed() : null;
          boolean anomaly = false;
          String cause = null;
          List<IncidentTracker.ProposalSeen> proposals = new ArrayList<>();
          String decided = null;
          if (c != null) {
            for (Diagnostics d : c.diagnostics()) {
              if (d.agent() == AgentKind.RECOVERY) {
                anomaly |= d.anomaly();
                if (!d.causes().isEmpty()) {
                  cause = d.causes().get(0).mode().name();
                }
              }
            }
            c.proposals()
                .forEach(
                    p -> proposals.add(new IncidentTracker.ProposalSeen(p.agent(), p.action())));
            Decision dec = c.decision();
            if (dec != null && dec.verdict() == Decision.Verdict.APPLY && dec.chosen() != null) {
              decided = dec.chosen().agent() + ": " + dec.chosen().action().describe();
            }
          }
          IncidentTracker.Observation o =
              new IncidentTracker.Observation(
                  at,
                  s.job().state(),
                  s.job().runningTaskManagers(),
                  launcher.provisionedTaskManagers().orElse(0),
                  s.job().consumerLag(),
                  rate,
                  s.config().parallelism(),
                  anomaly,
                  cause,
                  proposals,
                  decided);
          synchronized (this) {
            observations.add(o);
            recentSnapshots.addLast(s);
            while (recentSnapshots.size() > RECENT_SNAPSHOTS) {
              recentSnapshots.removeFirst();
            }
            if (c != null) {
              closed.add(c);
            }
          }
          tracker.observe(o);
          if (decided != null) {
            LOG.info("Tick {}: decided {}", s.tick(), decided);
          }
        });
  }

  /** Injects a fault now. */
  public String inject(EmbeddedFault fault) {
    String what = injector.inject(fault, launcher.currentJobId());
    tracker.injected(fault, what, System.currentTimeMillis());
    LOG.info("Injected {}: {}", fault.id(), what);
    return what;
  }

  /** Clears a fault now. */
  public void clear(EmbeddedFault fault) {
    injector.clear(fault);
    tracker.cleared(fault, System.currentTimeMillis());
    LOG.info("Cleared {}", fault.id());
  }

  /** The last snapshots the agents were given (at most 32), oldest first. */
  public synchronized List<TelemetrySnapshot> recentSnapshots() {
    return List.copyOf(recentSnapshots);
  }

  /** The observations so far. */
  public synchronized List<IncidentTracker.Observation> observations() {
    return List.copyOf(observations);
  }

  /** The latest observation, if any. */
  public synchronized Optional<IncidentTracker.Observation> last() {
    return observations.isEmpty()
        ? Optional.empty()
        : Optional.of(observations.get(observations.size() - 1));
  }

  /** The ticks closed so far. */
  public synchronized List<MetaAgent.TickClosed> closedTicks() {
    return List.copyOf(closed);
  }

  public IncidentTracker tracker() {
    return tracker;
  }

  public EmbeddedFlinkCluster cluster() {
    return cluster;
  }

  public FlinkRestPlatform platform() {
    return platform;
  }

  public EmbeddedRunSettings settings() {
    return run;
  }

  public PipelineConfig initialConfig() {
    return initial;
  }

  @Override
  public void close() {
    try {
      node.close();
    } finally {
      try {
        injector.close();
      } finally {
        cluster.close();
      }
    }
  }
}
