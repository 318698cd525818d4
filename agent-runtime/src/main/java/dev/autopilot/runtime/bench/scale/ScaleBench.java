package dev.autopilot.runtime.bench.scale;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.autopilot.agents.meta.MetaAgent;
import dev.autopilot.agents.meta.MetaSettings;
import dev.autopilot.agents.optimization.OptimizationAgent;
import dev.autopilot.agents.prediction.PredictionAgent;
import dev.autopilot.agents.recovery.RecoveryAgent;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.cluster.AutopilotNode;
import dev.autopilot.runtime.cluster.ScratchDatabase;
import dev.autopilot.runtime.loop.AgentEntities;
import dev.autopilot.runtime.loop.ControlLoop;
import dev.autopilot.runtime.loop.LoopResult;
import dev.autopilot.runtime.loop.PipelineSlas;
import dev.autopilot.runtime.sim.Scenario;
import dev.autopilot.runtime.sim.SimSettings;
import dev.autopilot.runtime.sim.SimulatedPlatform;
import dev.autopilot.runtime.telemetry.TelemetryGateway;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * Runs the control loop at scale and measures it. One run: a {@link SimulatedPlatform} of N
 * pipelines (the default scenario of the seed: generated workload and fault schedule), K runtime
 * nodes (actor systems in this JVM, one cluster, every agent sharded over them) on one fresh
 * journal (an H2 file in a temporary directory, or a scratch PostgreSQL database created on the
 * configured server and dropped afterwards), and a driver that does what the telemetry collector
 * does: at every tick it observes every pipeline and submits each snapshot to the control loop of
 * node 0 (where the collector singleton would run), waits until every pipeline's tick is closed,
 * then advances the simulator.
 *
 * <p>Measured over the ticks after the warm-up ones:
 *
 * <ul>
 *   <li>the decision latency of each pipeline-tick: from the moment its snapshot is handed to the
 *       control loop ({@link ControlLoop#submit}, before the gateway's validation) to the moment
 *       the meta-agent's {@code TickClosed} (the decision, journaled, and the actuator's step for
 *       the tick) is back with the driver;
 *   <li>the wall time of each round (every pipeline's tick closed), and the loop time (the sum of
 *       the rounds: the simulator's advance is not the loop's work);
 *   <li>snapshots and telemetry samples ({@link TelemetrySamples}) ingested per second of loop
 *       time;
 *   <li>journal writes per second of loop time: rows added to the event journal (and, reported
 *       beside, to the snapshot store), counted with SQL before and after;
 *   <li>heap: in use after a GC at the end (nodes still up) and the largest seen by a sampler.
 * </ul>
 */
public final class ScaleBench {

  /** The simulated Kubernetes cluster's node cap. */
  static final String MAX_NODES = "autopilot.simulation.cluster.max-nodes";

  private final ScaleSettings settings;
  private final PrintWriter progress;

  /**
   * @param settings PostgreSQL server and heap sampling
   * @param progress where a line per tenth of a run goes
   */
  public ScaleBench(ScaleSettings settings, PrintWriter progress) {
    this.settings = settings;
    this.progress = progress;
  }

  /** Runs one configuration and returns what it measured. */
  public ScaleRun run(ScaleRunSpec spec) {
    return run(spec, nodes -> {});
  }

  /**
   * As {@link #run(ScaleRunSpec)}; {@code beforeClose} sees the nodes after the measured ticks,
   * before they stop (tests inspect the cluster with it).
   */
  ScaleRun run(ScaleRunSpec spec, Consumer<List<AutopilotNode>> beforeClose) {
    HeapSampler heap = HeapSampler.start(settings.heapSampleInterval());
    try (Journal journal = Journal.open(spec.journal(), settings)) {
      return run(spec, journal, heap, beforeClose);
    } finally {
      heap.close();
    }
  }

  private ScaleRun run(
      ScaleRunSpec spec,
      Journal journal,
      HeapSampler heap,
      Consumer<List<AutopilotNode>> beforeClose) {
    Config config = nodeConfig(spec, journal, settings.simulatedNodesPerPipeline());
    SimSettings sim = SimSettings.create(config);
    long totalTicks = (long) spec.warmupTicks() + spec.ticks();
    int days = (int) Math.max(1, (totalTicks + sim.ticksPerDay() - 1) / sim.ticksPerDay());
    SimulatedPlatform platform =
        new SimulatedPlatform(
            sim, Scenario.defaultScenario(sim, spec.seed(), days, spec.pipelines()));
    List<String> ids = platform.pipelines().stream().sorted().toList();
    List<AutopilotNode> nodes = new ArrayList<>();
    try {
      startCluster(spec.nodes(), config, platform, nodes);
      Map<String, SlaSpec> slas = PipelineSlas.of(config, ids);
      ControlLoop loop = ControlLoop.start(nodes.get(0), slas);
      ScaleRun result =
          drive(spec, platform, ids, loop, journal, config, heap)
              .withMetaEntitiesPerNode(nodes.stream().map(ScaleBench::metaEntities).toList());
      beforeClose.accept(List.copyOf(nodes));
      return result;
    } finally {
      for (int i = nodes.size() - 1; i >= 0; i--) {
        nodes.get(i).close();
      }
    }
  }

  private ScaleRun drive(
      ScaleRunSpec spec,
      SimulatedPlatform platform,
      List<String> ids,
      ControlLoop loop,
      Journal journal,
      Config config,
      HeapSampler heap) {
    LatencyRecorder latency = new LatencyRecorder();
    LatencyRecorder rounds = new LatencyRecorder();
    AtomicLong closed = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong missing = new AtomicLong();
    AtomicLong samples = new AtomicLong();
    AtomicLong snapshots = new AtomicLong();
    Semaphore permits = new Semaphore(spec.effectiveInFlight());
    int total = spec.warmupTicks() + spec.ticks();
    long loopNanos = 0;
    long[] rowsBefore = null;
    double loadStart = 0;
    int reportEvery = Math.max(1, total / 10);
    for (int t = 0; t < total; t++) {
      boolean measured = t >= spec.warmupTicks();
      if (t == spec.warmupTicks()) {
        rowsBefore = journal.rows(config);
        loadStart = loadAverage();
      }
      long roundStart = System.nanoTime();
      List<CompletableFuture<?>> futures = new ArrayList<>(ids.size());
      for (String id : ids) {
        TelemetrySnapshot snapshot = platform.observe(id);
        long n = TelemetrySamples.count(snapshot);
        acquire(permits);
        long start = System.nanoTime();
        futures.add(
            loop.submit(snapshot)
                .toCompletableFuture()
                .whenComplete(
                    (result, failure) -> {
                      long nanos = System.nanoTime() - start;
                      permits.release();
                      if (!measured) {
                        return;
                      }
                      if (failure == null && result instanceof LoopResult.TickCompleted done) {
                        latency.record(nanos);
                        closed.incrementAndGet();
                        if (!done.closed().missingAgents().isEmpty()) {
                          missing.incrementAndGet();
                        }
                      } else {
                        failed.incrementAndGet();
                      }
                      if (failure == null
                          && !(result instanceof TelemetryGateway.IngestResult.Rejected)) {
                        samples.addAndGet(n);
                        snapshots.incrementAndGet();
                      }
                    }));
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
          .exceptionally(e -> null)
          .join();
      long roundNanos = System.nanoTime() - roundStart;
      if (measured) {
        loopNanos += roundNanos;
        rounds.record(roundNanos);
      }
      platform.advance();
      if ((t + 1) % reportEvery == 0 || t + 1 == total) {
        progress.printf(
            Locale.ROOT,
            "  %d pipelines, %d node(s), %s: tick %d/%d (%d warm-up), last round %.0f ms%n",
            spec.pipelines(),
            spec.nodes(),
            spec.journal(),
            t + 1,
            total,
            spec.warmupTicks(),
            roundNanos / 1e6);
        progress.flush();
      }
    }
    double loadEnd = loadAverage();
    long[] rowsAfter = journal.rows(config);
    double seconds = loopNanos / 1e9;
    long events = rowsAfter[0] - rowsBefore[0];
    long snapshotRows = rowsAfter[1] - rowsBefore[1];
    double heapAfterGc = HeapSampler.usedAfterGcMb();
    return new ScaleRun(
        spec,
        latency.count() == 0 ? Double.NaN : latency.percentileMillis(50),
        latency.count() == 0 ? Double.NaN : latency.percentileMillis(99),
        latency.maxMillis(),
        rounds.percentileMillis(50),
        rounds.maxMillis(),
        closed.get(),
        failed.get(),
        missing.get(),
        snapshots.get() / seconds,
        samples.get() / seconds,
        events / seconds,
        events,
        snapshotRows,
        seconds,
        heapAfterGc,
        heap.peakMb(),
        loadStart,
        loadEnd,
        config.getInt(MAX_NODES),
        List.of());
  }

  private static void acquire(Semaphore permits) {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a free slot in the loop", e);
    }
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /**
   * The nodes' configuration: the local profile, this run's journal, no exporter, no management,
   * and a simulated Kubernetes cluster of at least {@code nodesPerPipeline} nodes per pipeline.
   */
  static Config nodeConfig(ScaleRunSpec spec, Journal journal, double nodesPerPipeline) {
    String join = spec.nodes() == 1 ? "self" : "manual";
    Config overrides =
        ConfigFactory.parseString(
            String.join(
                "\n",
                "autopilot.cluster.join = " + join,
                "autopilot.node.management-enabled = off",
                "autopilot.metrics.port = 0",
                "pekko.remote.artery.canonical.hostname = \"127.0.0.1\"",
                "pekko.remote.artery.canonical.port = 0",
                "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off"));
    Config config =
        RuntimeConfig.load(
            "local",
            overrides.withFallback(
                RuntimeConfig.database(journal.url(), journal.user(), journal.password())));
    int maxNodes =
        Math.max(config.getInt(MAX_NODES), (int) Math.ceil(nodesPerPipeline * spec.pipelines()));
    return config.withValue(MAX_NODES, ConfigValueFactory.fromAnyRef(maxNodes));
  }

  /** Starts the nodes; with more than one, each joins node 0 and all are awaited Up. */
  private static void startCluster(
      int size, Config config, SimulatedPlatform platform, List<AutopilotNode> nodes) {
    for (int i = 0; i < size; i++) {
      AutopilotNode node =
          AutopilotNode.start(config, system -> AgentEntities.init(system, platform));
      nodes.add(node);
      if (size > 1) {
        Address seed = Cluster.get(nodes.get(0).system()).selfMember().address();
        Cluster.get(node.system()).manager().tell(Join.create(seed));
      }
      if (i == 0) {
        node.awaitUp();
      }
    }
    Duration timeout = config.getDuration("autopilot.node.join-timeout");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!allUp(nodes, size)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the " + size + " nodes did not form a cluster within " + timeout);
      }
      sleep(100);
    }
    // Members Up is not enough: a node's shard regions register with the coordinators a little
    // later, and shards allocated before that all land on the nodes already registered.
    for (EntityTypeKey<?> key : entityTypes(config)) {
      while (registeredRegions(nodes.get(0), key) < size) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the shard regions of "
                  + key.name()
                  + " did not register on all "
                  + size
                  + " nodes within "
                  + timeout);
        }
        sleep(100);
      }
    }
  }

  /** Meta-agents (one per pipeline) hosted by a node now. */
  static int metaEntities(AutopilotNode node) {
    try {
      ShardRegion.CurrentShardRegionState state =
          AskPattern.<ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(
                  ClusterSharding.get(node.system()).shardState(),
                  replyTo -> new GetShardRegionState(MetaAgent.ENTITY_TYPE_KEY, replyTo),
                  Duration.ofSeconds(5),
                  node.system().scheduler())
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      return state.getShards().stream().mapToInt(sh -> sh.getEntityIds().size()).sum();
    } catch (ExecutionException | TimeoutException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The sharded agents the nodes run (prediction and optimization only when they propose). */
  private static List<EntityTypeKey<?>> entityTypes(Config config) {
    List<EntityTypeKey<?>> keys = new ArrayList<>();
    keys.add(MetaAgent.ENTITY_TYPE_KEY);
    keys.add(RecoveryAgent.ENTITY_TYPE_KEY);
    List<AgentKind> proposers = MetaSettings.create(config).proposers();
    if (proposers.contains(AgentKind.PREDICTION)) {
      keys.add(PredictionAgent.ENTITY_TYPE_KEY);
    }
    if (proposers.contains(AgentKind.OPTIMIZATION)) {
      keys.add(OptimizationAgent.ENTITY_TYPE_KEY);
    }
    return keys;
  }

  /**
   * Shard regions of an entity type registered with its coordinator (0 when it does not answer).
   */
  private static int registeredRegions(AutopilotNode node, EntityTypeKey<?> key) {
    try {
      ShardRegion.ClusterShardingStats stats =
          AskPattern.<ClusterShardingQuery, ShardRegion.ClusterShardingStats>ask(
                  ClusterSharding.get(node.system()).shardState(),
                  replyTo -> new GetClusterShardingStats(key, Duration.ofSeconds(2), replyTo),
                  Duration.ofSeconds(3),
                  node.system().scheduler())
              .toCompletableFuture()
              .get(5, TimeUnit.SECONDS);
      return stats.getRegions().size();
    } catch (ExecutionException | TimeoutException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Whether every node sees {@code size} members, all Up and reachable. */
  static boolean allUp(List<AutopilotNode> nodes, int size) {
    for (AutopilotNode node : nodes) {
      var state = Cluster.get(node.system()).state();
      List<Member> members = new ArrayList<>();
      state.getMembers().forEach(members::add);
      if (members.size() != size
          || !members.stream().allMatch(m -> m.status() == MemberStatus.up())
          || !state.getUnreachable().isEmpty()) {
        return false;
      }
    }
    return true;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * The run's journal database: an H2 file in a fresh temporary directory (deleted on close), or a
   * scratch database on the PostgreSQL server (dropped on close).
   */
  record Journal(String kind, String url, String user, String password, Runnable cleanup)
      implements AutoCloseable {

    static Journal open(String kind, ScaleSettings settings) {
      return "postgres".equals(kind) ? postgres(settings) : h2();
    }

    private static Journal h2() {
      try {
        Path dir = Files.createTempDirectory("autopilot-scale");
        String url =
            "jdbc:h2:file:"
                + dir.resolve("journal")
                + ";DATABASE_TO_UPPER=false;DB_CLOSE_ON_EXIT=FALSE";
        return new Journal("h2", url, "sa", "", () -> deleteTree(dir));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the H2 journal's directory", e);
      }
    }

    private static Journal postgres(ScaleSettings settings) {
      ScratchDatabase db;
      try {
        db =
            ScratchDatabase.create(
                settings.postgresUrl(),
                settings.postgresUser(),
                settings.postgresPassword(),
                "autopilot_scale");
      } catch (SQLException e) {
        throw new IllegalStateException(
            "cannot create the scratch journal database on "
                + settings.postgresUrl()
                + " as "
                + settings.postgresUser()
                + " (is PostgreSQL running? autopilot.bench.scale.postgres): "
                + e.getMessage(),
            e);
      }
      return new Journal("postgres", db.url(), db.user(), db.password(), db::close);
    }

    private static Properties credentials(String user, String password) {
      Properties props = new Properties();
      props.setProperty("user", user);
      props.setProperty("password", password);
      return props;
    }

    /** Rows of the event journal and of the snapshot store now. */
    long[] rows(Config config) {
      try (Connection c = DriverManager.getConnection(url, credentials(user, password));
          Statement st = c.createStatement()) {
        return new long[] {
          count(st, table(config.getConfig("jdbc-journal.tables.event_journal"))),
          count(st, table(config.getConfig("jdbc-snapshot-store.tables.snapshot")))
        };
      } catch (SQLException e) {
        throw new IllegalStateException("cannot count the journal's rows: " + e.getMessage(), e);
      }
    }

    private static long count(Statement st, String table) throws SQLException {
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
        rs.next();
        return rs.getLong(1);
      }
    }

    private static String table(Config table) {
      String schema = table.getString("schemaName");
      String name = quote(table.getString("tableName"));
      return schema.isEmpty() ? name : quote(schema) + "." + name;
    }

    private static String quote(String identifier) {
      return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    public void close() {
      cleanup.run();
    }

    private static void deleteTree(Path dir) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete " + dir, e);
      }
    }
  }

  /** Samples the heap in use at a fixed interval and keeps the largest value. */
  static final class HeapSampler implements AutoCloseable {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private final ScheduledExecutorService timer;
    private final AtomicLong peak = new AtomicLong();

    private HeapSampler(ScheduledExecutorService timer) {
      this.timer = timer;
    }

    static HeapSampler start(Duration interval) {
      ScheduledExecutorService timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "scale-heap-sampler");
                t.setDaemon(true);
                return t;
              });
      HeapSampler sampler = new HeapSampler(timer);
      timer.scheduleAtFixedRate(sampler::sample, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
      return sampler;
    }

    void sample() {
      peak.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed(), Math::max);
    }

    double peakMb() {
      return peak.get() / (1024.0 * 1024.0);
    }

    /** Heap in use after a full GC, MB. */
    static double usedAfterGcMb() {
      System.gc();
      System.gc();
      return MEMORY.getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
  }
}
