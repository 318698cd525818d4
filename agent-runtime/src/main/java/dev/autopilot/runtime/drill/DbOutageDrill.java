package dev.autopilot.runtime.drill;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.meta.Actuator;
import dev.autopilot.agents.meta.MetaAgent;
import dev.autopilot.agents.meta.MetaSettings;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.persistence.AuditRecord;
import dev.autopilot.persistence.AuditReplay;
import dev.autopilot.persistence.DatabaseSettings;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.cluster.LocalCluster;
import dev.autopilot.runtime.cluster.ScratchDatabase;
import dev.autopilot.runtime.loop.ControlLoop;
import dev.autopilot.runtime.loop.LoopResult;
import dev.autopilot.runtime.loop.PipelineSlas;
import dev.autopilot.runtime.sim.FaultSchedule;
import dev.autopilot.runtime.sim.Scenario;
import dev.autopilot.runtime.sim.SimSettings;
import dev.autopilot.runtime.sim.SimulatedPlatform;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The journal database outage drill ({@code drill db-outage}): pipelines run through the real
 * control loop, meta-agent and actuator on a local cluster journaling into a scratch database on
 * the runtime's PostgreSQL server; the server is stopped for the outage and started again (always,
 * in a {@code finally}), while ticks go on. Checks (each failure is listed in the report):
 *
 * <ul>
 *   <li>no platform call (apply or recover) starts while the server is down, and no pipeline's
 *       configuration on the platform changes meanwhile;
 *   <li>{@code /ready} of the node reports not ready during the outage (after a grace for the
 *       health check to notice), {@code /alive} stays OK, and {@code /ready} is OK again within the
 *       resume bound;
 *   <li>once the server accepts connections, every pipeline closes a tick within the resume bound,
 *       and a change decided after the outage is applied and verified on every pipeline;
 *   <li>the journal: every entity's sequence numbers are 1..n without a gap, and every event an
 *       entity acknowledged is there exactly once ({@link DbOutageJournalCheck});
 *   <li>no decision applied twice, none applied without its {@code ChangeStarted} journaled, and
 *       each actuator's pre-outage history survives in order;
 *   <li>the audit replay of the journal equals the live state of every entity.
 * </ul>
 *
 * <p>The scripted optimization agent proposes, at every tick, to move the {@code enrich} operator's
 * parallelism between two values ({@link #script}): admission control refuses it while a change is
 * verified or cooling down, so each pipeline changes as often as the meta-agent lets it and every
 * tick has a proposal, and so a decision to journal, during the outage too.
 */
public final class DbOutageDrill {
  private static final String ENRICH = "enrich";
  private static final Duration ASK = Duration.ofSeconds(10);

  private final Config config;
  private final DbOutageSettings settings;
  private final PrintWriter progress;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * @param config the runtime's configuration (its {@code autopilot.db} names the server)
   * @param settings the drill's settings
   * @param progress where progress lines go (stderr of the command)
   */
  public DbOutageDrill(Config config, DbOutageSettings settings, PrintWriter progress) {
    this.config = config;
    this.settings = settings;
    this.progress = progress;
  }

  /** One tick as the driver saw it. */
  record TickRecord(
      String pipeline, long tick, long startNanos, long endNanos, MetaAgent.TickClosed closed) {}

  /**
   * Runs the drill.
   *
   * @throws IllegalArgumentException when the runtime's journal is not PostgreSQL
   * @throws IllegalStateException when the server is unreachable before the drill, or does not
   *     accept connections again after the start command
   */
  public DbOutageReport run() throws InterruptedException {
    DatabaseSettings db = DatabaseSettings.create(config);
    if (db.kind() != DatabaseSettings.Kind.POSTGRES) {
      throw new IllegalArgumentException(
          "drill db-outage stops the journal's PostgreSQL server, but the configured journal is "
              + db.describe()
              + "; point the runtime at PostgreSQL, e.g."
              + " AUTOPILOT_DB_URL=jdbc:postgresql://127.0.0.1:5432/postgres");
    }
    DatabaseServer server = new DatabaseServer(db, settings.commandTimeout(), progress);
    if (!server.accepting()) {
      throw new IllegalStateException(
          "PostgreSQL of the journal (" + db.describe() + ") does not accept connections");
    }
    ScratchDatabase scratch;
    try {
      scratch =
          ScratchDatabase.create(db.url(), db.user(), db.password(), "autopilot_drill_db_outage");
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create the drill's scratch database on " + db.describe() + ": " + e.getMessage(),
          e);
    }
    List<String> pipelines = new ArrayList<>();
    for (int i = 1; i <= settings.pipelines(); i++) {
      pipelines.add("p" + i);
    }
    Config nodeConfig =
        RuntimeConfig.load(
            "local",
            ConfigFactory.parseMap(
                    Map.of(
                        "autopilot.node.management-enabled",
                        true,
                        "pekko.management.http.hostname",
                        "127.0.0.1",
                        "pekko.management.http.port",
                        0,
                        "autopilot.loop.tick-timeout",
                        settings.tickTimeout().toMillis() + "ms"))
                .withFallback(LocalCluster.localDefaults())
                .withFallback(scratch.config()));
    SimSettings sim = SimSettings.create(nodeConfig);
    SimulatedPlatform simulated =
        new SimulatedPlatform(
            sim,
            Scenario.defaultScenario(sim, settings.seed(), 1, pipelines.size())
                .withFaults(FaultSchedule.none()));
    DrillPlatform platform = new DrillPlatform(simulated);
    PipelineConfig initial = sim.initialConfig();
    progress.printf(
        "db-outage: %d node(s), %d pipeline(s), journal %s; outage %d s%n",
        settings.nodes(), pipelines.size(), scratch.name(), settings.outage().toSeconds());
    progress.flush();
    try (LocalCluster cluster =
        LocalCluster.start(
            settings.nodes(),
            nodeConfig,
            (system, metrics) -> {
              ScriptedProposer.initSharding(
                  system, AgentKind.OPTIMIZATION, s -> script(s, initial));
              MetaAgent.initSharding(
                  system, MetaSettings.create(system.settings().config()), platform);
            },
            scratch::close)) {
      return new Run(cluster, server, simulated, platform, pipelines).execute();
    }
  }

  /**
   * The scripted optimization agent's proposal: the {@code enrich} operator at the other of two
   * parallelisms (the initial one plus 4 or plus 8), with enough TaskManagers for it.
   */
  static PipelineConfig script(TelemetrySnapshot s, PipelineConfig initial) {
    PipelineConfig c = s.config();
    int low = initial.parallelismOf(ENRICH) + 4;
    int p = c.parallelismOf(ENRICH) == low ? low + 4 : low;
    int tms =
        Math.max(c.taskManagers(), (p + c.slotsPerTaskManager() - 1) / c.slotsPerTaskManager());
    return c.withParallelism(Map.of(ENRICH, p)).withTaskManagers(tms);
  }

  /** One execution: the driver thread runs ticks while this thread stops and starts the server. */
  private final class Run {
    private final LocalCluster cluster;
    private final DatabaseServer server;
    private final SimulatedPlatform simulated;
    private final DrillPlatform platform;
    private final List<String> pipelines;
    private final ControlLoop loop;
    private final Map<String, SlaSpec> slas;
    private final List<TickRecord> ticks = new CopyOnWriteArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final URI management;
    private volatile boolean driving = true;

    Run(
        LocalCluster cluster,
        DatabaseServer server,
        SimulatedPlatform simulated,
        DrillPlatform platform,
        List<String> pipelines) {
      this.cluster = cluster;
      this.server = server;
      this.simulated = simulated;
      this.platform = platform;
      this.pipelines = pipelines;
      this.slas = PipelineSlas.of(cluster.config(), pipelines);
      this.loop = ControlLoop.start(cluster.node(0), slas);
      this.management =
          cluster
              .node(0)
              .managementUri()
              .orElseThrow(() -> new IllegalStateException("management is off on node 0"));
    }

    DbOutageReport execute() throws InterruptedException {
      Thread driver = new Thread(this::drive, "db-outage-driver");
      driver.setDaemon(true);
      driver.start();
      try {
        return phases();
      } finally {
        driving = false;
        driver.join(settings.tickTimeout().multipliedBy(3).toMillis());
      }
    }

    /** Rounds of ticks until told to stop: every pipeline through the loop, then advance. */
    private void drive() {
      while (driving) {
        long round = System.nanoTime();
        Map<String, CompletableFuture<TickRecord>> pending = new LinkedHashMap<>();
        for (String p : pipelines) {
          TelemetrySnapshot s = platform.observe(p);
          pending.put(
              p,
              loop.submit(s)
                  .toCompletableFuture()
                  .handle(
                      (r, error) ->
                          new TickRecord(
                              p,
                              s.tick(),
                              round,
                              System.nanoTime(),
                              r instanceof LoopResult.TickCompleted c ? c.closed() : null)));
        }
        for (var e : pending.entrySet()) {
          try {
            ticks.add(
                e.getValue()
                    .get(settings.tickTimeout().plusSeconds(10).toMillis(), TimeUnit.MILLISECONDS));
          } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            return;
          } catch (ExecutionException | TimeoutException x) {
            ticks.add(new TickRecord(e.getKey(), -1, round, System.nanoTime(), null));
          }
        }
        simulated.advance();
        long left = settings.tickInterval().toNanos() - (System.nanoTime() - round);
        if (left > 0) {
          try {
            TimeUnit.NANOSECONDS.sleep(left);
          } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }

    private DbOutageReport phases() throws InterruptedException {
      long warmupStart = System.nanoTime();
      boolean warm =
          awaitCondition(
              () ->
                  pipelines.stream().allMatch(p -> count(p, Actuator.Report.Kind.VERIFIED, 0) > 0),
              settings.warmupTimeout());
      if (!warm) {
        failures.add(
            "warm-up: not every pipeline had a verified change within " + settings.warmupTimeout());
      }
      progress.printf(
          "db-outage: warm-up %.1f s, %d ticks%n",
          seconds(System.nanoTime() - warmupStart), ticks.size());
      progress.flush();
      Map<String, List<PipelineConfig>> historyBefore = histories();

      // The outage: the server is stopped, and started again whatever happens.
      Outage outage = new Outage();
      try {
        server.run("stop", settings.stopCommand());
        if (!server.await(false, settings.serverTimeout())) {
          throw new IllegalStateException(
              "the server still accepts connections " + settings.serverTimeout() + " after stop");
        }
        outage.down = System.nanoTime();
        progress.printf("db-outage: server down; %d s outage%n", settings.outage().toSeconds());
        progress.flush();
        outage.configsAtDown = configs();
        long end = outage.down + settings.outage().toNanos();
        long grace = outage.down + settings.readinessGrace().toNanos();
        while (System.nanoTime() < end) {
          long now = System.nanoTime();
          Probe ready = get("/ready");
          Probe alive = get("/alive");
          if (now >= grace) {
            outage.readySamples++;
            if (ready.ok()) {
              outage.readyOk++;
            } else if (outage.notReadyBody == null) {
              outage.notReadyBody = ready.body();
            }
            outage.gaugeUp |= cluster.node(0).metrics().journalUp();
          }
          outage.aliveSamples++;
          if (alive.ok()) {
            outage.aliveOk++;
          }
          TimeUnit.MILLISECONDS.sleep(
              Math.min(1000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        }
        outage.configsAtEnd = configs();
        outage.upStart = System.nanoTime();
      } catch (RuntimeException e) {
        failures.add("outage: " + e.getMessage());
      } finally {
        if (outage.upStart == 0) {
          outage.upStart = System.nanoTime();
        }
        restart(outage);
      }
      if (outage.down == 0) {
        return report(outage, historyBefore, Double.NaN, false, Double.NaN);
      }

      // Resumption: the node is ready again, every pipeline closes a tick again.
      long bound = outage.up + settings.resumeBound().toNanos();
      boolean readyAfter = awaitUntil(() -> get("/ready").ok(), bound);
      double readyAfterSeconds = readyAfter ? seconds(System.nanoTime() - outage.up) : Double.NaN;
      if (!readyAfter) {
        failures.add("/ready not OK within " + settings.resumeBound() + " after the outage");
      }
      boolean resumed =
          awaitUntil(
              () -> pipelines.stream().allMatch(p -> firstClosedAfter(p, outage.up) != null),
              bound);
      double resume =
          resumed
              ? pipelines.stream()
                  .mapToDouble(p -> seconds(firstClosedAfter(p, outage.up).endNanos() - outage.up))
                  .max()
                  .orElse(0)
              : Double.NaN;
      if (!resumed) {
        failures.add(
            "not every pipeline closed a tick within "
                + settings.resumeBound()
                + " after the server accepted connections again");
      }
      boolean verifiedAfter =
          awaitCondition(
              () ->
                  pipelines.stream()
                      .allMatch(p -> !verifiedDecidedAfter(p, outage.upStart).isEmpty()),
              settings.afterTimeout());
      if (!verifiedAfter) {
        for (String p : pipelines) {
          if (verifiedDecidedAfter(p, outage.upStart).isEmpty()) {
            failures.add(
                p
                    + ": no change decided after the outage was applied and verified within "
                    + settings.afterTimeout());
          }
        }
      }
      driving = false;
      TimeUnit.MILLISECONDS.sleep(settings.tickTimeout().plusSeconds(1).toMillis());
      return report(outage, historyBefore, resume, readyAfter, readyAfterSeconds);
    }

    private void restart(Outage outage) throws InterruptedException {
      try {
        server.run("start", settings.startCommand());
      } catch (RuntimeException e) {
        failures.add("start: " + e.getMessage());
      }
      if (!server.await(true, settings.serverTimeout())) {
        progress.println("db-outage: the server is not back; running the start command again");
        progress.flush();
        server.run("start", settings.startCommand());
        if (!server.await(true, settings.serverTimeout())) {
          throw new IllegalStateException(
              "PostgreSQL does not accept connections "
                  + settings.serverTimeout()
                  + " after the start command "
                  + settings.startCommand()
                  + ": start it by hand");
        }
      }
      outage.up = System.nanoTime();
      progress.printf(
          "db-outage: server accepts connections again after %.1f s down%n",
          seconds(outage.up - (outage.down == 0 ? outage.upStart : outage.down)));
      progress.flush();
    }

    private DbOutageReport report(
        Outage outage,
        Map<String, List<PipelineConfig>> historyBefore,
        double resume,
        boolean readyAfter,
        double readyAfterSeconds)
        throws InterruptedException {
      long from = outage.down;
      long to = outage.upStart;
      List<TickRecord> during =
          ticks.stream()
              .filter(t -> from != 0 && t.startNanos() >= from && t.startNanos() < to)
              .toList();
      long closedDuring =
          ticks.stream()
              .filter(
                  t -> from != 0 && t.closed() != null && t.endNanos() >= from && t.endNanos() < to)
              .count();
      List<DrillPlatform.Call> callsDuring =
          platform.calls().stream()
              .filter(c -> from != 0 && c.startNanos() >= from && c.startNanos() < to)
              .toList();
      boolean configChanged =
          outage.configsAtDown != null && !outage.configsAtDown.equals(outage.configsAtEnd);
      if (!callsDuring.isEmpty()) {
        failures.add(
            callsDuring.size() + " platform call(s) started during the outage: " + callsDuring);
      }
      if (configChanged) {
        failures.add(
            "configuration changed on the platform during the outage: "
                + outage.configsAtDown
                + " -> "
                + outage.configsAtEnd);
      }
      boolean readyDuring = outage.readyOk > 0;
      if (from != 0 && (outage.readySamples == 0 || readyDuring)) {
        failures.add(
            "/ready answered OK "
                + outage.readyOk
                + " of "
                + outage.readySamples
                + " time(s) during the outage");
      }
      if (outage.aliveOk < outage.aliveSamples) {
        failures.add(
            "/alive failed "
                + (outage.aliveSamples - outage.aliveOk)
                + " of "
                + outage.aliveSamples
                + " time(s) during the outage");
      }
      if (outage.gaugeUp) {
        failures.add("autopilot_journal_up was 1 during the outage");
      }
      boolean gaugeAfter = cluster.node(0).metrics().journalUp();
      if (!gaugeAfter) {
        failures.add("autopilot_journal_up is 0 after the outage");
      }

      // The journal against what the entities acknowledged, and against the platform.
      AuditReplay.Result replay;
      try {
        replay =
            AuditReplay.create(cluster.system(0))
                .replayAll()
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        failures.add("audit replay failed: " + e);
        replay = new AuditReplay.Result(List.of(), List.of());
      }
      if (!replay.errors().isEmpty()) {
        failures.add("audit replay errors: " + replay.errors());
      }
      DbOutageJournalCheck journal =
          DbOutageJournalCheck.of(replay.records(), closedTicks(), applications());
      failures.addAll(journal.problems());

      MetaSettings meta = MetaSettings.create(cluster.config());
      boolean equivalent = true;
      int historiesIntact = 0;
      for (String p : pipelines) {
        MetaAgent.State liveMeta =
            cluster.askEntity(0, MetaAgent.ENTITY_TYPE_KEY, p, MetaAgent.GetState::new, ASK, ASK);
        Actuator.State liveActuator =
            cluster.askEntity(
                0, MetaAgent.ENTITY_TYPE_KEY, p, MetaAgent.GetActuatorState::new, ASK, ASK);
        MetaAgent.State replayedMeta = MetaAgent.State.initial(p, meta.mode());
        Actuator.State replayedActuator = Actuator.State.initial(p, meta.historySize());
        for (AuditRecord r : replay.records()) {
          if (r.persistenceId().equals("meta|" + p)) {
            replayedMeta = replayedMeta.apply((MetaAgent.Event) r.event());
          } else if (r.persistenceId().equals("actuator|" + p)) {
            replayedActuator = replayedActuator.apply((Actuator.Event) r.event());
          }
        }
        if (!replayedMeta.equals(liveMeta)) {
          equivalent = false;
          failures.add(p + ": replayed meta-agent state differs from the live one");
        }
        if (!replayedActuator.equals(liveActuator)) {
          equivalent = false;
          failures.add(p + ": replayed actuator state differs from the live one");
        }
        List<PipelineConfig> before = historyBefore.get(p);
        if (DbOutageJournalCheck.historyIntact(
            before, liveActuator.history().entries(), meta.historySize())) {
          historiesIntact++;
        } else {
          failures.add(
              p
                  + ": the actuator's history before the outage "
                  + before
                  + " is not kept in order in "
                  + liveActuator.history().entries());
        }
      }
      int verifiedAfter = 0;
      int appliedAfter = 0;
      for (String p : pipelines) {
        verifiedAfter += verifiedDecidedAfter(p, to).size();
        appliedAfter += appliedDecidedAfter(p, to).size();
      }
      return new DbOutageReport(
          seconds(Math.max(0, to - from)),
          settings.nodes(),
          pipelines.size(),
          during.size(),
          (int) closedDuring,
          callsDuring.size(),
          configChanged,
          readyDuring,
          outage.notReadyBody,
          outage.aliveOk == outage.aliveSamples,
          readyAfter,
          readyAfterSeconds,
          resume,
          settings.resumeBound().toSeconds(),
          ticks.size(),
          (int) ticks.stream().filter(t -> t.closed() != null).count(),
          cluster.node(0).metrics().tickFailedCount(),
          cluster.node(0).metrics().journalCheckFailureCount(),
          appliedAfter,
          verifiedAfter,
          journal.events(),
          journal.acknowledged(),
          journal.lost(),
          journal.duplicates(),
          journal.gaps(),
          journal.applications(),
          journal.duplicateApplications(),
          journal.unjournaledApplications(),
          historiesIntact,
          equivalent && replay.errors().isEmpty(),
          List.copyOf(failures));
    }

    private List<MetaAgent.TickClosed> closedTicks() {
      return ticks.stream().map(TickRecord::closed).filter(c -> c != null).toList();
    }

    private Map<String, List<DrillPlatform.Call>> applications() {
      Map<String, List<DrillPlatform.Call>> out = new LinkedHashMap<>();
      for (String p : pipelines) {
        out.put(p, platform.applications(p));
      }
      return out;
    }

    private Map<String, List<PipelineConfig>> histories() {
      Map<String, List<PipelineConfig>> out = new LinkedHashMap<>();
      for (String p : pipelines) {
        Actuator.State s =
            cluster.askEntity(
                0, MetaAgent.ENTITY_TYPE_KEY, p, MetaAgent.GetActuatorState::new, ASK, ASK);
        out.put(p, s.history().entries());
      }
      return out;
    }

    private Map<String, PipelineConfig> configs() {
      Map<String, PipelineConfig> out = new LinkedHashMap<>();
      for (String p : pipelines) {
        out.put(p, platform.observe(p).config());
      }
      return out;
    }

    /** Reports of one kind for a pipeline in ticks started at or after {@code since}. */
    private long count(String p, Actuator.Report.Kind kind, long since) {
      return ticks.stream()
          .filter(t -> t.pipeline().equals(p) && t.closed() != null && t.startNanos() >= since)
          .flatMap(t -> t.closed().actuations().stream())
          .filter(r -> r.kind() == kind)
          .count();
    }

    /** Proposals of a pipeline applied in a tick started after {@code since}. */
    private List<String> appliedDecidedAfter(String p, long since) {
      return ticks.stream()
          .filter(t -> t.pipeline().equals(p) && t.closed() != null && t.startNanos() >= since)
          .flatMap(t -> t.closed().actuations().stream())
          .filter(r -> r.kind() == Actuator.Report.Kind.APPLIED)
          .map(Actuator.Report::proposalId)
          .toList();
    }

    /** Of those, the ones verified since. */
    private List<String> verifiedDecidedAfter(String p, long since) {
      List<String> applied = appliedDecidedAfter(p, since);
      return ticks.stream()
          .filter(t -> t.pipeline().equals(p) && t.closed() != null && t.startNanos() >= since)
          .flatMap(t -> t.closed().actuations().stream())
          .filter(r -> r.kind() == Actuator.Report.Kind.VERIFIED)
          .map(Actuator.Report::proposalId)
          .filter(applied::contains)
          .toList();
    }

    /** The first tick of a pipeline started after {@code since} that was decided and closed. */
    private TickRecord firstClosedAfter(String p, long since) {
      for (TickRecord t : ticks) {
        if (t.pipeline().equals(p)
            && t.closed() != null
            && !t.closed().proposals().isEmpty()
            && t.startNanos() >= since) {
          return t;
        }
      }
      return null;
    }

    private Probe get(String path) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(management.resolve(path))
                    .timeout(Duration.ofSeconds(2))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        return new Probe(r.statusCode() == 200, r.statusCode() + " " + r.body());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Probe(false, "interrupted");
      } catch (Exception e) {
        return new Probe(false, e.toString());
      }
    }

    private boolean awaitCondition(BooleanSupplier condition, Duration timeout)
        throws InterruptedException {
      return awaitUntil(condition, System.nanoTime() + timeout.toNanos());
    }

    private boolean awaitUntil(BooleanSupplier condition, long deadline)
        throws InterruptedException {
      while (!condition.getAsBoolean()) {
        if (System.nanoTime() > deadline) {
          return false;
        }
        TimeUnit.MILLISECONDS.sleep(200);
      }
      return true;
    }
  }

  /** What was seen while the server was down ({@link System#nanoTime()} stamps, 0 = not yet). */
  private static final class Outage {
    long down;
    long upStart;
    long up;
    Map<String, PipelineConfig> configsAtDown;
    Map<String, PipelineConfig> configsAtEnd;
    int readySamples;
    int readyOk;
    int aliveSamples;
    int aliveOk;
    boolean gaugeUp;
    String notReadyBody;
  }

  private record Probe(boolean ok, String body) {}

  private static double seconds(long nanos) {
    return Math.round(nanos / 1e7) / 100.0;
  }
}
